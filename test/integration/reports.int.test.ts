import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { actualStaySection } from '../../src/libs/stay-reports/actual-stay.js';
import { EXACT_FIGURES } from '../../src/libs/stay-reports/disclosure-options.js';
import type { ActualStayReport, PatientList, PredictedStayReport, StayFilter } from '../../src/libs/stay-reports/report-types.js';
import { toStayRow } from '../../src/libs/stay-reports/stay-row.js';
import { generateFhirMessages } from '../../src/libs/synth/index.js';
import { createPersona, type Persona } from '../helpers/personas.js';
import { rawQuery } from '../helpers/raw-sql.js';
import { seedStays, synthStays, type SeedStay } from '../helpers/seed-stays.js';
import { testStores } from '../helpers/stores.js';
import { buildTestApp, createTestInstance, type TestInstance } from '../helpers/test-instance.js';

const WS = 'alpha';
const WS_ID = `ws-${WS}`;

type Released<T> = Extract<T, { status: 'released' }>;

/** The attacker's arithmetic: the stay of the one patient in B but not in A, from the two published totals. */
function recoverFromTotals(a: ActualStayReport, b: ActualStayReport): number | null {
  if (a.discharged.status !== 'released' || b.discharged.status !== 'released') {
    return null;
  }
  const ta = a.discharged.total;
  const tb = b.discharged.total;
  if (ta.count === null || ta.mean === null || tb.count === null || tb.mean === null) {
    return null;
  }
  return tb.mean * tb.count - ta.mean * ta.count;
}

for (const store of testStores()) {
  describe(`length-of-stay reports under disclosure control [${store.name}]`, () => {
    let t: TestInstance;
    let app: FastifyInstance;
    let cmio: Persona;
    let doc: Persona;
    let steward: Persona;
    let outsider: Persona;
    let stays: SeedStay[];
    /** The one patient admitted in January 2013 (every other admission is in 2012), at facility C. */
    let lone: SeedStay;

    const get = (url: string, who: Persona) => app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${who.token}` } });
    const actual = async (who: Persona, query = ''): Promise<ActualStayReport> => {
      const res = await get(`/api/workspaces/${WS}/reports/actual-stay${query}`, who);
      expect(res.statusCode, res.body).toBe(200);
      return res.json<ActualStayReport>();
    };

    beforeAll(async () => {
      t = await createTestInstance(store, { withKeys: true });
      app = await buildTestApp(t);
      cmio = await createPersona(t.instance, 'cmio', { memberships: [{ workspace: WS, role: 'cmio' }] });
      doc = await createPersona(t.instance, 'doc', { memberships: [{ workspace: WS, role: 'clinician' }] });
      steward = await createPersona(t.instance, 'steward', { memberships: [{ workspace: WS, role: 'data_steward' }] });
      outsider = await createPersona(t.instance, 'outsider', { memberships: [{ workspace: 'beta', role: 'cmio' }] });
      stays = synthStays({ rows: 400, inHospital: 40, seed: 5 });
      const [extra] = synthStays({ rows: 1, inHospital: 0, seed: 77, startEid: 3_000_001 });
      lone = { ...extra!, record: { ...extra!.record, facid: 'C', vdate: '1/15/2013', discharged: '1/24/2013', lengthofstay: 9 } };
      await seedStays(t, WS_ID, doc.id, [...stays, lone]);
    });
    afterAll(async () => {
      await app.close();
      await t.cleanup();
      await store.cleanup();
    });

    it('the CMIO sees actual stay with small cells withheld, counts rounded to 5 and the margins of one joint pattern', async () => {
      const r = await actual(cmio, '?from=2012-01&to=2012-12');
      expect(r.disclosure).toMatchObject({ applied: true, threshold: 10, roundingBase: 5 });
      const d = r.discharged as Released<ActualStayReport['discharged']>;
      expect(d.status).toBe('released');
      const discharged = stays.filter((s) => !s.inHospital);
      expect(d.total.count).toBe(Math.floor(discharged.length / 5 + 0.5) * 5);
      let smallWithheld = 0;
      d.facilities.forEach((f, i) =>
        d.months.forEach((m, j) => {
          const n = discharged.filter((s) => s.record.facid === f && s.record.vdate.startsWith(`${Number(m.slice(5))}/`)).length;
          const cell = d.cells[i]![j]!;
          if (n > 0 && n < 10) {
            expect(cell, `${f} ${m} holds ${n}`).toEqual({ count: null, mean: null });
            smallWithheld++;
          }
          expect(cell.count === null || cell.count % 5 === 0).toBe(true);
        }),
      );
      expect(smallWithheld).toBeGreaterThan(0);
      expect(r.disclosure.suppressed.primary).toBeGreaterThanOrEqual(smallWithheld);
      expect(d.occupancy.map((o) => [o.facility, o.capacity])).toEqual([
        ['A', 75],
        ['B', 80],
        ['C', 30],
        ['D', 100],
        ['E', 95],
      ]);
      expect(d.byCondition).toHaveLength(12);
    });

    it('a clinician gets exact predicted-stay figures and the patient list; the CMIO gets them protected', async () => {
      const exact = (await get(`/api/workspaces/${WS}/reports/predicted-stay`, doc)).json<PredictedStayReport>();
      expect(exact.disclosure.applied).toBe(false);
      const inH = exact.inHospital as Released<PredictedStayReport['inHospital']>;
      expect(inH.patients.count).toBe(40);
      expect(inH.outOfDistribution).toBe(stays.filter((s) => s.inHospital && s.ood).length);
      const dis = exact.discharged as Released<PredictedStayReport['discharged']>;
      expect(dis.total.count).toBe(361);
      const mae = [...stays.filter((s) => !s.inHospital), lone].reduce((a, s) => a + Math.abs(s.predicted - s.record.lengthofstay), 0) / 361;
      expect(dis.total.meanAbsoluteError).toBeCloseTo(mae, 2);
      const list = (await get(`/api/workspaces/${WS}/reports/predicted-stay/patients`, doc)).json<PatientList>();
      expect(list.inHospital).toHaveLength(40);
      expect(list.inHospital.every((p) => p.names === null && p.predicted !== null)).toBe(true);
      const prot = (await get(`/api/workspaces/${WS}/reports/predicted-stay`, cmio)).json<PredictedStayReport>();
      expect(prot.disclosure.applied).toBe(true);
      expect((prot.inHospital as Released<PredictedStayReport['inHospital']>).patients.count).toBe(40);
      expect((await get(`/api/workspaces/${WS}/reports/predicted-stay/patients`, cmio)).json()).toMatchObject({ error: { code: 'HAVEN_AUTH_FORBIDDEN' } });
    });

    it('names in the patient list only for the clinician who admitted the patient', async () => {
      const colleague = await createPersona(t.instance, 'colleague', { memberships: [{ workspace: WS, role: 'clinician' }] });
      const [m] = [...generateFhirMessages({ rows: 1, seed: 9, startEid: 5_000_001 })];
      const admitted = await app.inject({
        method: 'POST',
        url: `/api/workspaces/${WS}/admissions`,
        headers: { authorization: `Bearer ${doc.token}`, 'content-type': 'application/json' },
        payload: JSON.stringify(m!.admission),
      });
      expect(admitted.statusCode, admitted.body).toBe(201);
      const row = (who: Persona) =>
        get(`/api/workspaces/${WS}/reports/predicted-stay/patients`, who).then((r) => r.json<PatientList>().inHospital.find((p) => p.eid === m!.record.eid));
      expect((await row(doc))?.names).toEqual({ first: m!.record.First, middle: m!.record.Middle, last: m!.record.Last });
      expect(await row(colleague)).toMatchObject({ names: null, predicted: null, errorCode: 'HAVEN_MODEL_NO_APPROVED' });
    });

    it('refuses other roles (403) and other workspaces (404)', async () => {
      expect((await get(`/api/workspaces/${WS}/reports/actual-stay`, steward)).statusCode).toBe(403);
      expect((await get(`/api/workspaces/${WS}/reports/actual-stay`, doc)).statusCode).toBe(403);
      expect((await get(`/api/workspaces/${WS}/reports/predicted-stay`, steward)).statusCode).toBe(403);
      expect((await get(`/api/workspaces/${WS}/reports/actual-stay`, outsider)).statusCode).toBe(404);
      expect((await get(`/api/workspaces/${WS}/reports/predicted-stay/patients`, outsider)).statusCode).toBe(404);
    });

    it('bad filters are refused with a coded 400 and nothing is remembered', async () => {
      const before = await t.instance.storage.read.reports.releaseMemory(steward.id, WS_ID);
      for (const q of ['?from=2012-13', '?from=2012-05&to=2012-01', '?facility=Z', '?facility=A&extra=1', '?from=1990-01&to=2012-01', '?from=2012-1']) {
        const res = await get(`/api/workspaces/${WS}/reports/actual-stay${q}`, cmio);
        expect([res.statusCode, res.json<{ error: { code: string } }>().error.code], q).toEqual([400, 'HAVEN_HTTP_VALIDATION']);
      }
      expect((await get(`/api/workspaces/${WS}/reports/predicted-stay?from=2012-01`, cmio)).statusCode).toBe(400);
      expect(await t.instance.storage.read.reports.releaseMemory(steward.id, WS_ID)).toEqual(before);
    });

    it('blocks the differencing attack: two slices differing by one patient do not reveal that patient’s stay', async () => {
      // The attack works: on exact, unguarded figures of the same two slices (what a report without disclosure control
      // would publish), the two totals give the lone patient's stay.
      const rows = (await t.instance.storage.read.reports.stays(WS_ID)).map(toStayRow);
      const unguarded = (filter: StayFilter): ActualStayReport => ({
        filter,
        disclosure: { applied: false, threshold: 1, roundingBase: 1, dominance: { n: 1, k: 1 }, suppressed: { primary: 0, secondary: 0 } },
        discharged: { status: 'released', ...actualStaySection(rows, filter, EXACT_FIGURES).section },
      });
      const exact = recoverFromTotals(
        unguarded({ facility: 'C', from: '2012-01', to: '2012-12' }),
        unguarded({ facility: 'C', from: '2012-01', to: '2013-01' }),
      );
      expect(Math.round(exact!)).toBe(lone.record.lengthofstay);
      // The CMIO asks for facility C in 2012, then for facility C from 2012 to January 2013: the only difference is the lone patient.
      const a = await actual(cmio, '?facility=C&from=2012-01&to=2012-12');
      expect(a.discharged.status).toBe('released');
      const b = await actual(cmio, '?facility=C&from=2012-01&to=2013-01');
      expect(b.discharged).toEqual({ status: 'refused', code: 'HAVEN_PRIVACY_DIFFERENCING_REFUSED', threshold: 10 });
      const recovered = recoverFromTotals(a, b);
      expect(recovered === null ? null : Math.round(recovered)).not.toBe(lone.record.lengthofstay);
      // Asking in the other order, or again, or after a restart (the memory is in the database), is refused too.
      expect((await actual(cmio, '?facility=C&from=2012-01&to=2013-01')).discharged.status).toBe('refused');
      const restarted = await buildTestApp(t);
      try {
        const res = await restarted.inject({
          method: 'GET',
          url: `/api/workspaces/${WS}/reports/actual-stay?facility=C&from=2012-01&to=2013-01`,
          headers: { authorization: `Bearer ${cmio.token}` },
        });
        expect(res.json<ActualStayReport>().discharged.status).toBe('refused');
      } finally {
        await restarted.close();
      }
      // A repeat of the released slice is allowed; a slice that differs by many patients is allowed.
      expect((await actual(cmio, '?facility=C&from=2012-01&to=2012-12')).discharged.status).toBe('released');
      expect((await actual(cmio, '?facility=A&from=2012-01&to=2012-12')).discharged.status).toBe('released');
      // The refusal is in the ledger, with the slice's labels only.
      const entries = await t.instance.storage.read.audit.page(0, 100_000);
      const refusal = entries.find((e) => e.action === 'report.release' && e.outcome === 'denied' && e.actor === cmio.id);
      expect(refusal?.detail).toMatchObject({ code: 'HAVEN_PRIVACY_DIFFERENCING_REFUSED', threshold: 10 });
      // The stored memory holds salted sketches and counts: no encounter id or eid.
      const memories = await rawQuery(t, 'select state from report_release_memory');
      const text = memories.map((r) => String(r.state)).join('\n');
      expect(text.length).toBeGreaterThan(100);
      for (const s of [...stays.slice(0, 50), lone]) {
        expect(text).not.toContain(s.id);
        expect(text).not.toContain(String(s.record.eid));
      }
    });

    it('blocks the differencing attack over time: the same view before and after one discharge', async () => {
      const first = await actual(cmio, '?facility=B');
      expect(first.discharged.status).toBe('released');
      const patient = stays.find((s) => s.inHospital && s.record.facid === 'B')!;
      await t.instance.storage.transaction((repos) =>
        repos.encounters.discharge(patient.id, {
          discharged: patient.record.discharged,
          lengthOfStay: patient.record.lengthofstay,
          dischargedBy: doc.id,
          dischargedAt: new Date().toISOString(),
        }),
      );
      const second = await actual(cmio, '?facility=B');
      expect(second.discharged).toMatchObject({ status: 'refused', code: 'HAVEN_PRIVACY_DIFFERENCING_REFUSED' });
      expect(recoverFromTotals(first, second)).toBeNull();
    });
  });
}
