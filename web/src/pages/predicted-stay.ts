/**
 * Predicted length of stay (clinicians and CMIO): patients in hospital with the stay predicted at admission and the
 * out-of-distribution flags; after discharge, predicted against actual. Aggregates come from the server (protected for
 * roles without row-level access); clinicians also get their workspace's patients row by row.
 */
import { PERMISSIONS } from '../../../src/services/access/policy.js';
import type { PatientList, PatientRow, PredictedStayReport } from '../../../src/libs/stay-reports/report-types.js';
import { api } from '../api.js';
import type { PageContext } from '../app.js';
import { barChart, scatterChart } from '../charts.js';
import { h, type Child } from '../dom.js';
import { figure } from '../format.js';
import { card, section, table } from '../ui.js';
import { disclosureNote, refusedNote } from './disclosure-note.js';
import { facilityName, filterForm, reportQuery } from './filters.js';

function mayListPatients(ctx: PageContext): boolean {
  const roles: readonly string[] = PERMISSIONS['report:patients'].roles;
  return ctx.session.workspaces.some((w) => w.name === ctx.workspace && roles.includes(w.role));
}

function nameOf(p: PatientRow): Child {
  if (p.names === null) {
    return h('span', { class: 'muted' }, 'not shown');
  }
  return h('span', { class: 'wrap' }, [p.names.first, p.names.middle, p.names.last].filter((n): n is string => n !== null).join(' '));
}

function predictionOf(p: PatientRow): Child {
  if (p.predicted === null) {
    return h('span', { class: 'muted' }, p.errorCode === null ? 'not scored' : `not scored (${p.errorCode})`);
  }
  return h('span', {}, figure(p.predicted, 1), p.interval ? h('span', { class: 'sub' }, ` (${p.interval[0].toFixed(1)}–${p.interval[1].toFixed(1)})`) : null);
}

function patientSections(list: PatientList): Child[] {
  const scored = list.inHospital.filter((p) => p.predicted !== null);
  return [
    section(
      'Patients in hospital',
      scored.length > 0
        ? barChart(
            'Predicted stay per patient',
            'One bar per patient in hospital: predicted length of stay in days.',
            scored.map((p) => String(p.eid)),
            [{ label: 'Predicted stay', values: scored.map((p) => p.predicted) }],
            {
              yLabel: 'days',
              testId: 'chart-patient-bars',
            },
          )
        : null,
      table(
        'Patients in hospital and their predicted stay',
        ['Encounter', 'Name', 'Facility', 'Admitted', 'Predicted stay (80 % interval)', 'Out of distribution'],
        list.inHospital.map((p) => [
          String(p.eid),
          nameOf(p),
          h('abbr', { attrs: { title: facilityName(p.facility) } }, p.facility === 'unknown' ? '?' : p.facility),
          h('span', { class: 'nowrap' }, p.admitted),
          predictionOf(p),
          p.outOfDistribution ? h('span', { class: 'flag' }, `yes: ${p.oodFeatures.join(', ')}`) : 'no',
        ]),
        'table-patients',
      ),
      list.truncated ? h('p', { class: 'muted' }, 'The lists show the most recent admissions only.') : null,
    ),
    list.discharged.length > 0
      ? section(
          'Your discharged patients',
          scatterChart(
            'Predicted against actual stay',
            'Each point is a discharged patient: predicted stay across, actual stay up; the dashed line is a perfect prediction.',
            list.discharged.map((p) => [p.predicted ?? 0, p.actual] as const),
            {
              xLabel: 'predicted (days)',
              yLabel: 'actual (days)',
              testId: 'chart-patient-scatter',
            },
          ),
        )
      : null,
  ];
}

/**
 * Render the page's content.
 * @param ctx - the page context
 */
export async function renderPredictedStay(ctx: PageContext): Promise<Child[]> {
  const base = `/api/workspaces/${encodeURIComponent(ctx.workspace)}/reports/predicted-stay`;
  const query = reportQuery(ctx, ['facility']);
  const [r, list] = await Promise.all([
    api<PredictedStayReport>('GET', `${base}${query}`),
    mayListPatients(ctx) ? api<PatientList>('GET', `${base}/patients${query}`) : Promise.resolve(null),
  ]);
  const out: Child[] = [filterForm(ctx, false)];
  const inH = r.inHospital;
  if (inH.status === 'refused') {
    out.push(refusedNote('Patients in hospital', inH.threshold));
  } else {
    out.push(
      h(
        'div',
        { class: 'cards', attrs: { 'data-testid': 'in-hospital-summary' } },
        card('Patients in hospital', figure(inH.patients.count)),
        card('Average predicted stay (days)', figure(inH.patients.mean, 1)),
        card('Scored', figure(inH.scored)),
        card('Not scored', figure(inH.failed)),
        card('Out of distribution', figure(inH.outOfDistribution)),
      ),
      section(
        'Predicted stay in hospital',
        barChart(
          'Patients by predicted stay',
          'Bars: patients in hospital per predicted length of stay (whole days; the last bar is that many days or more).',
          inH.predictedDays.map((d) => String(d.day)),
          [{ label: 'Patients', values: inH.predictedDays.map((d) => d.count) }],
          {
            yLabel: 'patients',
            testId: 'chart-predicted-days',
          },
        ),
        table(
          'Scored patients in hospital by facility',
          ['Facility', 'Patients', 'Average predicted stay (days)'],
          inH.byFacility.map((f, i) => [facilityName(inH.facilities[i]!), figure(f.count), figure(f.mean, 1)]),
          'table-in-hospital-by-facility',
        ),
      ),
    );
  }
  if (list) {
    out.push(...patientSections(list));
  }
  const dis = r.discharged;
  if (dis.status === 'refused') {
    out.push(refusedNote('Predicted against actual after discharge', dis.threshold));
  } else {
    out.push(
      section(
        'After discharge: predicted against actual',
        h(
          'div',
          { class: 'cards', attrs: { 'data-testid': 'discharged-summary' } },
          card('Discharged patients with a prediction', figure(dis.total.count)),
          card('Average predicted (days)', figure(dis.total.meanPredicted, 1)),
          card('Average actual (days)', figure(dis.total.meanActual, 1)),
          card('Mean absolute error (days)', figure(dis.total.meanAbsoluteError, 1)),
        ),
        scatterChart(
          'Average actual stay per predicted stay',
          'Points: for each predicted stay in whole days, the average actual stay of those patients; the dashed line is a perfect prediction.',
          dis.calibration.map((c) => [c.predictedDay, c.meanActual] as const),
          {
            xLabel: 'predicted (days)',
            yLabel: 'average actual (days)',
            testId: 'chart-calibration',
          },
        ),
        barChart(
          'Error distribution',
          'Bars: patients per prediction error (predicted minus actual, whole days; the end bars are open).',
          dis.errors.map((e) => (e.error > 0 ? `+${e.error}` : String(e.error))),
          [{ label: 'Patients', values: dis.errors.map((e) => e.count) }],
          {
            yLabel: 'patients',
            testId: 'chart-errors',
          },
        ),
        table(
          'Predicted against actual by facility',
          ['Facility', 'Patients', 'Average predicted (days)', 'Average actual (days)', 'Mean absolute error (days)'],
          [...dis.byFacility, dis.total].map((f) => [
            f.facility === 'all' ? 'All facilities' : facilityName(f.facility),
            figure(f.count),
            figure(f.meanPredicted, 1),
            figure(f.meanActual, 1),
            figure(f.meanAbsoluteError, 1),
          ]),
          'table-discharged-by-facility',
        ),
      ),
    );
  }
  out.push(disclosureNote(r.disclosure));
  return out;
}
