/** Actual length of stay (CMIO): discharged encounters by facility, month and condition, and occupancy against capacity. */
import type { ActualStayReport } from '../../../src/libs/stay-reports/report-types.js';
import { api } from '../api.js';
import type { PageContext } from '../app.js';
import { barChart } from '../charts.js';
import type { Child } from '../dom.js';
import { h } from '../dom.js';
import { figure, monthLabel } from '../format.js';
import { card, section, table } from '../ui.js';
import { disclosureNote, refusedNote } from './disclosure-note.js';
import { facilityName, filterForm, reportQuery } from './filters.js';

const CONDITION_NAMES: Readonly<Record<string, string>> = {
  dialysisrenalendstage: 'Dialysis / renal end stage',
  asthma: 'Asthma',
  irondef: 'Iron deficiency',
  pneum: 'Pneumonia',
  substancedependence: 'Substance dependence',
  psychologicaldisordermajor: 'Major psychological disorder',
  depress: 'Depression',
  psychother: 'Other psychological disorder',
  fibrosisandother: 'Fibrosis and other',
  malnutrition: 'Malnutrition',
  hemo: 'Blood disorder',
  none: 'No listed condition',
};

/**
 * Render the page's content.
 * @param ctx - the page context
 */
export async function renderActualStay(ctx: PageContext): Promise<Child[]> {
  const r = await api<ActualStayReport>(
    'GET',
    `/api/workspaces/${encodeURIComponent(ctx.workspace)}/reports/actual-stay${reportQuery(ctx, ['facility', 'from', 'to'])}`,
  );
  const form = filterForm(ctx, true);
  const d = r.discharged;
  if (d.status === 'refused') {
    return [form, refusedNote('These figures', d.threshold)];
  }
  const facilities = d.facilities.map(facilityName);
  const months = d.months.map(monthLabel);
  return [
    form,
    h(
      'div',
      { class: 'cards', attrs: { 'data-testid': 'actual-summary' } },
      card('Encounters', figure(d.total.count)),
      card('Average stay (days)', figure(d.total.mean, 1)),
      card('Period (days)', figure(d.periodDays)),
    ),
    section(
      'Stay by facility',
      barChart(
        'Average stay by facility',
        'Bars: average length of stay in days per facility; withheld facilities have no bar.',
        d.facilities,
        [{ label: 'Average stay', values: d.byFacility.map((f) => f.mean) }],
        {
          yLabel: 'days',
          testId: 'chart-stay-by-facility',
        },
      ),
      table(
        'Stay by facility',
        ['Facility', 'Encounters', 'Average stay (days)'],
        d.byFacility.map((f, i) => [facilities[i]!, figure(f.count), figure(f.mean, 1)]),
        'table-stay-by-facility',
      ),
    ),
    section(
      'Encounters by month',
      barChart(
        'Encounters by month of admission',
        'Bars: discharged encounters per admission month.',
        d.months.map((m) => m.slice(2)),
        [{ label: 'Encounters', values: d.byMonth.map((m) => m.count) }],
        {
          yLabel: 'encounters',
          testId: 'chart-encounters-by-month',
        },
      ),
      table(
        'Encounters by month',
        ['Month', 'Encounters', 'Average stay (days)'],
        d.byMonth.map((m, i) => [months[i]!, figure(m.count), figure(m.mean, 1)]),
        'table-encounters-by-month',
      ),
    ),
    section(
      'Stay by condition',
      barChart(
        'Average stay by condition',
        'Bars: average length of stay of encounters with each condition (conditions overlap).',
        d.byCondition.map((c) => c.condition.slice(0, 6)),
        [{ label: 'Average stay', values: d.byCondition.map((c) => c.figure.mean) }],
        { yLabel: 'days', testId: 'chart-stay-by-condition' },
      ),
      table(
        'Stay by condition',
        ['Condition', 'Encounters', 'Average stay (days)'],
        d.byCondition.map((c) => [CONDITION_NAMES[c.condition] ?? c.condition, figure(c.figure.count), figure(c.figure.mean, 1)]),
        'table-stay-by-condition',
      ),
    ),
    section(
      'Occupancy against capacity',
      barChart(
        'Average daily census as a share of capacity',
        'Bars: bed-days of the period divided by its days, as a percentage of beds; the dashed line is 100 %.',
        d.occupancy.map((o) => o.facility),
        [{ label: '% of capacity', values: d.occupancy.map((o) => o.percentOfCapacity) }],
        { yLabel: '% of beds', reference: 100, testId: 'chart-occupancy' },
      ),
      table(
        'Occupancy against capacity',
        ['Facility', 'Beds', 'Average daily census', '% of capacity'],
        d.occupancy.map((o) => [facilityName(o.facility), figure(o.capacity), figure(o.averageDailyCensus, 1), figure(o.percentOfCapacity)]),
        'table-occupancy',
      ),
    ),
    section(
      'Facility by month',
      table(
        'Encounters (average stay in days) by facility and month of admission',
        ['Facility', ...months, 'All months'],
        d.cells.map((row, i) => [
          facilities[i]!,
          ...row.map((c) => h('span', {}, figure(c.count), c.mean === null ? null : h('span', { class: 'sub' }, ' (', figure(c.mean, 1), ')'))),
          figure(d.byFacility[i]!.count),
        ]),
        'table-facility-by-month',
      ),
    ),
    disclosureNote(r.disclosure),
  ];
}
