import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/libs/formats/csv/index.js';
import { QUARANTINE_RAW_COLUMN, rowRecordId } from '../../src/services/ingest/row-ciphertexts.js';
import { createPersona, type Persona } from '../helpers/personas.js';
import { testStores } from '../helpers/stores.js';
import { buildTestApp, createTestInstance, type TestInstance } from '../helpers/test-instance.js';

const SAMPLE = readFileSync(new URL('../../../shared/data/los-10k.csv', import.meta.url));
const FLAGS = [
  'dialysisrenalendstage',
  'asthma',
  'irondef',
  'pneum',
  'substancedependence',
  'psychologicaldisordermajor',
  'depress',
  'psychother',
  'fibrosisandother',
  'malnutrition',
  'hemo',
];
/** A declared schema of the reference sample, as a steward would write it from the data dictionary. */
const LOS_SCHEMA = {
  columns: [
    { name: 'First', type: 'text', nullable: false },
    { name: 'Middle', type: 'text' },
    { name: 'Last', type: 'text', nullable: false },
    { name: 'eid', type: 'integer', nullable: false, min: 1 },
    { name: 'vdate', type: 'date', dateFormat: 'M/D/YYYY', nullable: false, min: '2012-01-01', max: '2013-12-31' },
    { name: 'rcount', type: 'categorical', categories: ['0', '1', '2', '3', '4', '5+'] },
    { name: 'gender', type: 'categorical', categories: ['F', 'M'] },
    ...FLAGS.map((name) => ({ name, type: 'boolean' })),
    ...['hematocrit', 'neutrophils', 'sodium', 'glucose', 'bloodureanitro', 'creatinine', 'bmi'].map((name) => ({ name, type: 'decimal', min: 0 })),
    { name: 'pulse', type: 'integer', min: 0, max: 300 },
    { name: 'respiration', type: 'decimal', min: 0 },
    { name: 'secondarydiagnosisnonicd9', type: 'integer', min: 0 },
    { name: 'discharged', type: 'date', dateFormat: 'M/D/YYYY' },
    { name: 'facid', type: 'categorical', categories: ['A', 'B', 'C', 'D', 'E'] },
    { name: 'lengthofstay', type: 'integer', nullable: false, min: 1, max: 30 },
  ],
};
const SMALL_SCHEMA = {
  columns: [
    { name: 'id', type: 'integer', nullable: false },
    { name: 'score', type: 'integer', nullable: false, min: 0, max: 100 },
    { name: 'when', type: 'date' },
  ],
};
const SMALL = ['id,score,when', '1,5,2020-01-01', 'x7,5,2020-01-02', '3,500,2020-01-03', '4,,2020-01-04', '5,5,2020-02-30', '6,7,', ''].join('\n');

for (const store of testStores()) {
  describe(`declared schema on import [${store.name}]`, () => {
    let t: TestInstance;
    let app: FastifyInstance;
    let steward: Persona;

    const upload = (dataset: string, body: Buffer | string, schema: unknown) =>
      app.inject({
        method: 'POST',
        url: `/api/workspaces/alpha/datasets/${dataset}/imports?schema=${encodeURIComponent(typeof schema === 'string' ? schema : JSON.stringify(schema))}`,
        headers: { authorization: `Bearer ${steward.token}`, 'content-type': 'text/csv' },
        payload: body,
      });
    const datasetNames = async () => (await t.instance.storage.read.datasets.datasets('ws-alpha')).map((d) => d.name);
    const ledger = async (action: string) => (await t.instance.storage.read.audit.page(0, 100_000)).filter((e) => e.action === action);

    beforeAll(async () => {
      t = await createTestInstance(store, { withKeys: true });
      app = await buildTestApp(t);
      steward = await createPersona(t.instance, 'steward', { memberships: [{ workspace: 'alpha', role: 'data_steward' }] });
    });
    afterAll(async () => {
      await app.close();
      await t.cleanup();
      await store.cleanup();
    });

    it('the reference sample meets its declared schema: 10,000 rows stored, none quarantined, the import says a schema was declared', async () => {
      const res = await upload('stays', SAMPLE, LOS_SCHEMA);
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({ rowsRead: 10_000, rowsStored: 10_000, rowsQuarantined: 0 });
      expect((await ledger('dataset.import')).at(-1)).toMatchObject({ outcome: 'success', detail: { declaredSchema: true, rowsStored: 10_000 } });
    });

    it('out-of-range values are quarantined with their reason code, and the report reconciles', async () => {
      const tight = { columns: LOS_SCHEMA.columns.map((c) => (c.name === 'sodium' ? { ...c, max: 140 } : c)) };
      const parsed = parseCsv(SAMPLE);
      const col = parsed.summary.header!.indexOf('sodium');
      const over = parsed.records.filter((r) => Number(r.fields[col]) > 140).length;
      expect(over).toBeGreaterThan(100);
      const res = await upload('tight', SAMPLE, tight);
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({ rowsRead: 10_000, rowsStored: 10_000 - over, rowsQuarantined: over });
      const ds = (await t.instance.storage.read.datasets.datasetByName('ws-alpha', 'tight'))!;
      const v = (await t.instance.storage.read.datasets.version(ds.id, 1))!;
      const q = await t.instance.storage.read.datasets.quarantine(v.id, 20_000);
      expect(q).toHaveLength(over);
      expect(new Set(q.map((r) => r.reason))).toEqual(new Set(['HAVEN_CSV_OUT_OF_RANGE']));
    });

    it('type errors, missing required values and impossible dates are quarantined; raw text is stored encrypted; nothing is echoed', async () => {
      const res = await upload('small', SMALL, SMALL_SCHEMA);
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({ rowsRead: 6, rowsStored: 2, rowsQuarantined: 4 });
      expect(res.body).not.toContain('x7');
      const ds = (await t.instance.storage.read.datasets.datasetByName('ws-alpha', 'small'))!;
      const v = (await t.instance.storage.read.datasets.version(ds.id, 1))!;
      const q = await t.instance.storage.read.datasets.quarantine(v.id, 100);
      expect(q.map((r) => [r.rowNo, r.line, r.reason])).toEqual([
        [2, 3, 'HAVEN_CSV_TYPE_MISMATCH'],
        [3, 4, 'HAVEN_CSV_OUT_OF_RANGE'],
        [4, 5, 'HAVEN_CSV_MISSING_REQUIRED'],
        [5, 6, 'HAVEN_CSV_TYPE_MISMATCH'],
      ]);
      expect(q[0]!.raw).not.toContain('x7');
      const cipher = await (await t.instance.keys()).keys.datasetCipher(t.instance.storage, 'ws-alpha', ds.id, 0);
      expect(cipher.decrypt(QUARANTINE_RAW_COLUMN, rowRecordId(1, 2), q[0]!.raw).toString('utf8')).toBe('x7,5,2020-01-02');
      expect((await t.instance.storage.read.datasets.rows(v.id, 0, 10)).map((r) => r.rowNo)).toEqual([1, 6]);
    });

    it('a header that does not match is a coded 400 and nothing is written, not even the dataset', async () => {
      const before = (await t.instance.storage.read.audit.page(0, 100_000)).length;
      for (const body of ['id,when,score\n1,2020-01-01,5\n', 'id,score\n1,5\n', 'id,score,when,extra\n1,5,2020-01-01,z\n']) {
        const res = await upload('mismatch', body, SMALL_SCHEMA);
        expect([res.statusCode, res.json().error.code]).toEqual([400, 'HAVEN_CSV_SCHEMA_MISMATCH']);
      }
      expect(await datasetNames()).not.toContain('mismatch');
      const failures = (await t.instance.storage.read.audit.page(0, 100_000)).slice(before).filter((e) => e.action === 'dataset.import');
      expect(failures.map((e) => [e.outcome, e.detail.code])).toEqual(Array(3).fill(['failure', 'HAVEN_CSV_SCHEMA_MISMATCH']));
      expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    });

    it('an invalid declared schema is refused before the upload is read', async () => {
      for (const schema of ['{not json', JSON.stringify({ columns: [{ name: 'id', type: 'uuid' }] }), JSON.stringify({ columns: [] })]) {
        const res = await upload('badschema', SMALL, schema);
        expect([res.statusCode, res.json().error.code]).toEqual([400, 'HAVEN_INGEST_SCHEMA_INVALID']);
        expect(res.body).not.toContain('uuid');
      }
      expect(await datasetNames()).not.toContain('badschema');
    });
  });
}
