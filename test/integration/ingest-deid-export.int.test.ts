import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/libs/formats/csv/index.js';
import { RESTRICTED_ZIP3 } from '../../src/libs/privacy/deidentify/index.js';
import { losCsvChunks } from '../../src/libs/synth/index.js';
import { decodeDeidReport } from '../../src/services/ingest/deidentified-export-wire.js';
import { createPersona, type Persona } from '../helpers/personas.js';
import { testStores } from '../helpers/stores.js';
import { buildTestApp, createTestInstance, type TestInstance } from '../helpers/test-instance.js';

const ROWS = 400;
const UNITS = ['=1+2', '@SUM(A1)', 'ok', '-3.5', '+cmd|calc'];
/** The generated PII file plus a column of formula-like text and an MRN shared by three consecutive stays. */
const LINES = [...losCsvChunks({ rows: ROWS, seed: 5, withPii: true })].join('').trim().split('\n');
const CSV = [`${LINES[0]},unit,mrn`, ...LINES.slice(1).map((l, i) => `${l},${UNITS[i % UNITS.length]},MRN${100_000 + Math.floor(i / 3)}`)].join('\n') + '\n';
const SOURCE = parseCsv(Buffer.from(CSV));
const HEADER = SOURCE.summary.header!;
const source = (row: number, column: string): string => SOURCE.records[row]!.fields[HEADER.indexOf(column)]!;
const DROPPED = ['First', 'Middle', 'Last', 'ssn', 'phone', 'email', 'street', 'city', 'ccnum', 'notes'];

/** Days since the epoch of an M/D/YYYY date. */
const day = (mdy: string): number => {
  const [m, d, y] = mdy.split('/').map(Number);
  return Date.UTC(y!, m! - 1, d!) / 86_400_000;
};

for (const store of testStores()) {
  describe(`de-identified export [${store.name}]`, () => {
    let t: TestInstance;
    let app: FastifyInstance;
    let steward: Persona;
    let scientist: Persona;

    const exportUrl = (query: string, dataset = 'pii') => `/api/workspaces/alpha/datasets/${dataset}/versions/1/export?${query}`;
    const get = (url: string, token = steward.token) => app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
    const exported = async (query: string) => {
      const res = await get(exportUrl(query));
      expect(res.statusCode, res.body).toBe(200);
      const parsed = parseCsv(Buffer.from(res.body));
      const report = decodeDeidReport(String(res.headers['x-haven-deid-plan']), res.trailers['x-haven-deid-counts']!);
      const header = parsed.summary.header!;
      return { res, header, rows: parsed.records.map((r) => Object.fromEntries(header.map((h, i) => [h, r.fields[i]!]))), report };
    };

    beforeAll(async () => {
      t = await createTestInstance(store, { withKeys: true });
      app = await buildTestApp(t);
      steward = await createPersona(t.instance, 'steward', { memberships: [{ workspace: 'alpha', role: 'data_steward' }] });
      scientist = await createPersona(t.instance, 'scientist', { memberships: [{ workspace: 'alpha', role: 'data_scientist' }] });
      const imports: [string, string][] = [
        ['pii', CSV],
        ['plain', 'score,site\n1,A\n2,B\n'],
      ];
      for (const [dataset, body] of imports) {
        const r = await app.inject({
          method: 'POST',
          url: `/api/workspaces/alpha/datasets/${dataset}/imports`,
          headers: { authorization: `Bearer ${steward.token}`, 'content-type': 'text/csv' },
          payload: body,
        });
        expect(r.statusCode, r.body).toBe(201);
      }
    }, 120_000);
    afterAll(async () => {
      await app.close();
      await t.cleanup();
      await store.cleanup();
    });

    it('drops direct identifiers, keeps dates as years, ZIP3 with the small-population rule, ages over 89 grouped, and reports it', async () => {
      const { res, header, rows, report } = await exported('deidentified=true');
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      expect(res.headers['content-disposition']).toBe('attachment; filename="pii-v1-deidentified.csv"');
      expect(rows).toHaveLength(ROWS);
      for (const c of DROPPED) {
        expect(header).not.toContain(c);
      }
      expect(header).toEqual(
        expect.arrayContaining(['eid', 'mrn', 'vdate', 'discharged', 'zip', 'birthdate', 'age', 'gender', 'facid', 'sodium', 'lengthofstay', 'unit']),
      );
      const refYear = report.referenceYear;
      expect(refYear).toBe(t.instance.clock.now().getUTCFullYear());
      const restricted = new Set<string>(RESTRICTED_ZIP3);
      rows.forEach((r, i) => {
        expect(r.vdate).toBe(source(i, 'vdate').split('/')[2]);
        expect(r.discharged).toBe(source(i, 'discharged').split('/')[2]);
        const zip3 = source(i, 'zip').slice(0, 3);
        expect(r.zip).toBe(restricted.has(zip3) ? '000' : zip3);
        const age = Number(source(i, 'age'));
        expect(r.age).toBe(age > 89 ? '90+' : String(age));
        const born = Number(source(i, 'birthdate').split('/')[2]);
        expect(r.birthdate).toBe(born <= refYear - 90 ? `<=${refYear - 90}` : String(born));
        expect(r.sodium).toBe(source(i, 'sodium'));
        // Export codes: keyed, 96 bits in hex (never altered by the formula guard), never the id itself.
        expect(r.eid).toMatch(/^[0-9a-f]{24}$/);
        expect(r.eid).not.toBe(source(i, 'eid'));
      });
      // Same MRN, same export code; different MRNs, different codes.
      expect(rows[0]!.mrn).toBe(rows[2]!.mrn);
      expect(rows[0]!.mrn).not.toBe(rows[3]!.mrn);
      // Export codes are not the pseudonyms scientists see (the two cannot be joined).
      const view = (await get('/api/workspaces/alpha/datasets/pii/versions/1/rows?limit=5', scientist.token)).json() as {
        rows: { values: Record<string, string> }[];
      };
      expect(view.rows[0]!.values.eid).toMatch(/^[A-Za-z0-9_-]{16}$/);
      expect(view.rows[0]!.values.eid).not.toBe(rows[0]!.eid);

      expect(report).toMatchObject({ dataset: 'pii', version: 1, rows: ROWS, dates: 'year', patientColumn: null, maxShiftDays: null });
      expect(report.dropped).toEqual(expect.arrayContaining(DROPPED));
      expect(report.generalised).toEqual(expect.arrayContaining(['vdate', 'discharged', 'zip', 'birthdate', 'age']));
      expect([...report.pseudonymised].sort()).toEqual(['eid', 'mrn']);
      expect(report.shifted).toEqual([]);
      const col = (c: string) => report.perColumn.find((x) => x.column === c)!;
      expect(col('zip').restrictedZip).toBe(SOURCE.records.filter((_r, i) => restricted.has(source(i, 'zip').slice(0, 3))).length);
      expect(col('zip').restrictedZip).toBeGreaterThan(0);
      expect(col('age').topCoded).toBe(SOURCE.records.filter((_r, i) => Number(source(i, 'age')) > 89).length);
      expect(col('age').topCoded).toBeGreaterThan(0);
      expect(col('ssn')).toMatchObject({ action: 'drop', rows: ROWS, changed: ROWS });
      expect(col('ccnum')).toMatchObject({ action: 'drop' });
    });

    it('never writes a direct identifier: no name, number, address, full date or note text of the file is in the export', async () => {
      const { res } = await exported('deidentified=true');
      const text = res.body;
      for (let i = 0; i < ROWS; i++) {
        for (const c of ['Last', 'ssn', 'phone', 'email', 'street', 'ccnum', 'vdate', 'discharged', 'birthdate', 'notes']) {
          expect(text.includes(source(i, c)), `${c} of row ${i + 1}`).toBe(false);
        }
      }
      expect(text).not.toContain('MRN1');
    });

    it('neutralises formula injection in every cell', async () => {
      const { rows } = await exported('deidentified=true');
      const expected = ["'=1+2", "'@SUM(A1)", 'ok', '-3.5', "'+cmd|calc"];
      rows.forEach((r, i) => expect(r.unit).toBe(expected[i % expected.length]));
    });

    it('shifts dates per patient with a keyed per-workspace shift: same patient, same shift; intervals kept; same again next time', async () => {
      const a = await exported('deidentified=true&dates=shift');
      expect(a.report).toMatchObject({ dates: 'shift', patientColumn: 'mrn', maxShiftDays: 365 });
      expect([...a.report.shifted].sort()).toEqual(['discharged', 'vdate']);
      const shifts = a.rows.map((r, i) => day(r.vdate!) - day(source(i, 'vdate')));
      a.rows.forEach((r, i) => {
        expect(Math.abs(shifts[i]!)).toBeGreaterThanOrEqual(1);
        expect(Math.abs(shifts[i]!)).toBeLessThanOrEqual(365);
        expect(day(r.discharged!) - day(r.vdate!)).toBe(day(source(i, 'discharged')) - day(source(i, 'vdate')));
        // Birth dates are never shifted (a shifted birth date still tells the age): year only.
        expect(r.birthdate).toMatch(/^(\d{4}|<=\d{4})$/);
        if (i % 3 > 0) {
          expect(shifts[i], `row ${i + 1} shares its MRN with row ${i}`).toBe(shifts[i - 1]);
        }
      });
      expect(new Set(shifts).size).toBeGreaterThan(50);
      const b = await exported('deidentified=true&dates=shift');
      expect(b.rows.map((r) => r.vdate)).toEqual(a.rows.map((r) => r.vdate));
      // Keyed on another pseudonymised column, the shifts differ.
      const byStay = await exported('deidentified=true&dates=shift&patientColumn=eid');
      expect(byStay.report.patientColumn).toBe('eid');
      expect(byStay.rows.map((r) => r.vdate)).not.toEqual(a.rows.map((r) => r.vdate));
    });

    it('is the steward’s alone, audited with counts only; bad requests are coded before any row is read', async () => {
      expect((await get(exportUrl('deidentified=true'), scientist.token)).statusCode).toBe(403);
      const cases: [string, string, number, string][] = [
        [exportUrl('deidentified=false'), 'no de-identification', 400, 'HAVEN_INGEST_EXPORT_NOT_DEIDENTIFIED'],
        [exportUrl(''), 'no flag', 400, 'HAVEN_HTTP_VALIDATION'],
        [exportUrl('deidentified=true&dates=month'), 'bad dates', 400, 'HAVEN_HTTP_VALIDATION'],
        [exportUrl('deidentified=true&dates=shift&patientColumn=First'), 'patient column not pseudonymised', 400, 'HAVEN_INGEST_EXPORT_NO_PATIENT_KEY'],
        [exportUrl('deidentified=true&dates=shift', 'plain'), 'nothing to key a shift on', 400, 'HAVEN_INGEST_EXPORT_NO_PATIENT_KEY'],
        ['/api/workspaces/alpha/datasets/pii/versions/7/export?deidentified=true', 'no such version', 404, 'HAVEN_HTTP_NOT_FOUND'],
      ];
      for (const [url, name, status, code] of cases) {
        const res = await get(url);
        expect([res.statusCode, res.json().error.code], name).toEqual([status, code]);
        expect(res.body).not.toContain('First');
      }
      const entries = (await t.instance.storage.read.audit.page(0, 100_000)).filter((e) => e.action === 'dataset.export_deidentified');
      expect(entries.filter((e) => e.outcome === 'success').at(-1)).toMatchObject({ detail: { rows: ROWS, dropped: DROPPED.length, dates: 'shift' } });
      expect(entries.filter((e) => e.outcome === 'failure').map((e) => e.detail.code)).toEqual(
        expect.arrayContaining(['HAVEN_INGEST_EXPORT_NO_PATIENT_KEY', 'HAVEN_HTTP_NOT_FOUND']),
      );
      const ledger = JSON.stringify(entries);
      expect(ledger).not.toContain(source(0, 'Last'));
      expect(ledger).not.toContain(source(0, 'ssn'));
    });

    it('a value that cannot be decrypted mid-stream cuts the download short: no trailer, and the ledger records the failure', async () => {
      const body = [...losCsvChunks({ rows: 1200, seed: 6, withPii: true })].join('');
      const r = await app.inject({
        method: 'POST',
        url: '/api/workspaces/alpha/datasets/damaged/imports',
        headers: { authorization: `Bearer ${steward.token}`, 'content-type': 'text/csv' },
        payload: body,
      });
      expect(r.statusCode, r.body).toBe(201);
      const ds = (await t.instance.storage.read.datasets.datasetByName('ws-alpha', 'damaged'))!;
      const v = (await t.instance.storage.read.datasets.version(ds.id, 1))!;
      const [row] = await t.instance.storage.read.datasets.rows(v.id, 1099, 1);
      const doc = JSON.parse(row!.data) as { e: Record<string, string> };
      doc.e.vdate = doc.e.discharged!; // a real ciphertext, bound to another column: authentication fails
      await t.instance.storage.transaction((repos) => repos.datasets.updateRowData(v.id, row!.rowNo, JSON.stringify(doc)));
      // The rows before it were sent; then the response is destroyed, so no client takes it for complete.
      await expect(
        app.inject({
          method: 'GET',
          url: '/api/workspaces/alpha/datasets/damaged/versions/1/export?deidentified=true',
          headers: { authorization: `Bearer ${steward.token}` },
        }),
      ).rejects.toThrow(/destroyed before completion/);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const failures = (await t.instance.storage.read.audit.page(0, 100_000)).filter(
        (e) => e.action === 'dataset.export_deidentified' && e.resource === 'dataset:damaged@1',
      );
      expect(failures.map((e) => [e.outcome, e.detail.code])).toEqual([['failure', 'HAVEN_CRYPTO_DECRYPT_FAILED']]);
      expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    });

    it('a version being relabelled cannot be exported', async () => {
      const ds = (await t.instance.storage.read.datasets.datasetByName('ws-alpha', 'plain'))!;
      const v = (await t.instance.storage.read.datasets.version(ds.id, 1))!;
      await t.instance.storage.transaction((repos) => repos.datasets.updateVersion(v.id, { status: 'relabelling' }));
      const res = await get(exportUrl('deidentified=true', 'plain'));
      expect([res.statusCode, res.json().error.code]).toEqual([409, 'HAVEN_INGEST_VERSION_STATE']);
      await t.instance.storage.transaction((repos) => repos.datasets.updateVersion(v.id, { status: 'ready' }));
      const ok = await exported('deidentified=true');
      expect(ok.rows).toHaveLength(ROWS);
    });
  });
}
