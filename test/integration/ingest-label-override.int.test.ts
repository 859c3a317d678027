import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inferSchema } from '../../src/libs/formats/csv/index.js';
import { losCsvChunks } from '../../src/libs/synth/index.js';
import { LabelOverrideService, type LabelProtection } from '../../src/services/ingest/label-override.js';
import type { StoredClassification, StoredHandling } from '../../src/services/ingest/label-override-rules.js';
import type { RowDocument } from '../../src/services/ingest/label-override-rows.js';
import { rowRecordId } from '../../src/services/ingest/row-ciphertexts.js';
import { createPersona, type Persona } from '../helpers/personas.js';
import { testStores } from '../helpers/stores.js';
import { buildTestApp, createTestInstance, type TestInstance } from '../helpers/test-instance.js';

const ROWS = 1200;
const CSV = [...losCsvChunks({ rows: ROWS, seed: 31 })].join('');
const LINES = CSV.trim().split('\n');
const HEADER = LINES[0]!.split(',');
/** The file's value of a column in data row `rowNo` (from 1). The generated file has no quoted fields. */
const cellOf = (rowNo: number, column: string): string => LINES[rowNo]!.split(',')[HEADER.indexOf(column)]!;
const REASON = 'data dictionary: this column identifies the treating site';

for (const store of testStores()) {
  describe(`steward label review and override [${store.name}]`, () => {
    let t: TestInstance;
    let app: FastifyInstance;
    let steward: Persona;
    let scientist: Persona;

    const importVersion = async (dataset: string, body: string) => {
      const r = await app.inject({
        method: 'POST',
        url: `/api/workspaces/alpha/datasets/${dataset}/imports`,
        headers: { authorization: `Bearer ${steward.token}`, 'content-type': 'text/csv' },
        payload: body,
      });
      expect(r.statusCode, r.body).toBe(201);
    };
    const label = (body: Record<string, unknown>, token = steward.token, dataset = 'stays', version = 1) =>
      app.inject({
        method: 'POST',
        url: `/api/workspaces/alpha/datasets/${dataset}/versions/${version}/labels`,
        headers: { authorization: `Bearer ${token}` },
        payload: body,
      });
    const detail = async (dataset = 'stays', version = 1) =>
      (
        await app.inject({
          method: 'GET',
          url: `/api/workspaces/alpha/datasets/${dataset}/versions/${version}`,
          headers: { authorization: `Bearer ${steward.token}` },
        })
      ).json() as {
        status: string;
        schema: Record<string, unknown>[];
        classification: StoredClassification[];
        handling: StoredHandling[];
      };
    const storedRows = async (dataset = 'stays', version = 1) => {
      const d = (await t.instance.storage.read.datasets.datasetByName('ws-alpha', dataset))!;
      const v = (await t.instance.storage.read.datasets.version(d.id, version))!;
      return (await t.instance.storage.read.datasets.rows(v.id, 0, 100_000)).map((r) => ({ rowNo: r.rowNo, doc: JSON.parse(r.data) as RowDocument }));
    };
    const decrypt = async (dataset: string, version: number, rowNo: number, column: string, text: string) => {
      const d = (await t.instance.storage.read.datasets.datasetByName('ws-alpha', dataset))!;
      const cipher = await (await t.instance.keys()).keys.datasetCipher(t.instance.storage, 'ws-alpha', d.id, 0);
      return cipher.decrypt(column, rowRecordId(version, rowNo), text).toString('utf8');
    };
    const ledger = async (action: string) => (await t.instance.storage.read.audit.page(0, 100_000)).filter((e) => e.action === action);

    beforeAll(async () => {
      t = await createTestInstance(store, { withKeys: true });
      app = await buildTestApp(t);
      steward = await createPersona(t.instance, 'steward', { memberships: [{ workspace: 'alpha', role: 'data_steward' }] });
      scientist = await createPersona(t.instance, 'scientist', { memberships: [{ workspace: 'alpha', role: 'data_scientist' }] });
      await importVersion('stays', CSV);
    }, 120_000);
    afterAll(async () => {
      await app.close();
      await t.cleanup();
      await store.cleanup();
    });

    it('raising protection (plain → pseudonymise) moves every value out of v into e and p, keeps the evidence and records who', async () => {
      const before = await detail();
      const facid = before.classification.find((c) => c.column === 'facid')!;
      expect(before.handling.find((h) => h.column === 'facid')!.action).toBe('plain');
      expect(before.schema.find((c) => c.name === 'facid')).toHaveProperty('categories');

      const res = await label({ column: 'facid', label: 'direct_identifier', kind: 'unique_id', reason: REASON });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({
        status: 'ready',
        label: 'direct_identifier',
        kind: 'unique_id',
        previousLabel: facid.label,
        action: 'pseudonymise',
        previousAction: 'plain',
        rowsRewritten: ROWS,
      });

      const after = await detail();
      const entry = after.classification.find((c) => c.column === 'facid')!;
      expect(entry).toMatchObject({ label: 'direct_identifier', kind: 'unique_id', confidence: 1, overriddenBy: expect.any(String) });
      expect(entry.evidence).toEqual(facid.evidence);
      expect(entry.override).toMatchObject({ reason: REASON, detected: { label: facid.label, kind: facid.kind, confidence: facid.confidence } });
      expect(after.handling.find((h) => h.column === 'facid')).toEqual({
        column: 'facid',
        action: 'pseudonymise',
        label: 'direct_identifier',
        kind: 'unique_id',
        flagged: false,
      });
      // The schema no longer shows the column's levels.
      expect(after.schema.find((c) => c.name === 'facid')).not.toHaveProperty('categories');

      const pseudonym = await (await t.instance.keys()).keys.pseudonymiser(t.instance.storage, 'ws-alpha');
      const rows = await storedRows();
      expect(rows).toHaveLength(ROWS);
      for (const { rowNo, doc } of rows) {
        expect(doc.v).not.toHaveProperty('facid');
        expect(doc.p.facid).toBe(pseudonym(cellOf(rowNo, 'facid')));
      }
      for (const { rowNo, doc } of rows.slice(0, 20)) {
        expect(await decrypt('stays', 1, rowNo, 'facid', doc.e.facid!)).toBe(cellOf(rowNo, 'facid'));
      }
      // The scientist's view now has pseudonyms where the facility letters were.
      const view = (
        await app.inject({
          method: 'GET',
          url: '/api/workspaces/alpha/datasets/stays/versions/1/rows?limit=50',
          headers: { authorization: `Bearer ${scientist.token}` },
        })
      ).json() as {
        rows: { values: Record<string, string> }[];
      };
      for (const r of view.rows) {
        expect(r.values.facid).toMatch(/^[A-Za-z0-9_-]{16}$/);
      }
      // The ledger has the fact (column, labels, actions), never the reason.
      const entries = await ledger('dataset.label_override');
      expect(entries.at(-1)).toMatchObject({
        outcome: 'success',
        detail: { column: 'facid', fromAction: 'plain', toAction: 'pseudonymise', toKind: 'unique_id' },
      });
      expect(JSON.stringify(await t.instance.storage.read.audit.page(0, 100_000))).not.toContain('treating site');
      expect((await ledger('dataset.label_rewrite')).at(-1)).toMatchObject({ outcome: 'success', detail: { column: 'facid', rows: ROWS } });
    });

    it('a label change that keeps the action rewrites nothing', async () => {
      const res = await label({ column: 'First', label: 'direct_identifier', kind: 'email', reason: 'tested relabel, same protection' });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ action: 'encrypt', previousAction: 'encrypt', rowsRewritten: 0, previousKind: 'name' });
      const entry = (await detail()).classification.find((c) => c.column === 'First')!;
      expect(entry.override?.detected).toMatchObject({ label: 'direct_identifier', kind: 'name' });
    });

    it('lowering protection needs confirmDecrypt; refused, nothing changes; confirmed, values return to v and the schema regains them', async () => {
      const body = { column: 'discharged', label: 'sensitive_attribute', kind: 'outcome', reason: 'discharge dates are studied here, not used to identify' };
      expect((await detail()).schema.find((c) => c.name === 'discharged')).not.toHaveProperty('min');
      const refused = await label(body);
      expect(refused.statusCode).toBe(400);
      expect(refused.json()).toMatchObject({ error: { code: 'HAVEN_INGEST_DECRYPT_NOT_CONFIRMED' } });
      expect((await detail()).handling.find((h) => h.column === 'discharged')!.action).toBe('encrypt');
      expect((await storedRows())[0]!.doc.v).not.toHaveProperty('discharged');
      expect((await ledger('dataset.label_override')).at(-1)).toMatchObject({ outcome: 'failure', detail: { code: 'HAVEN_INGEST_DECRYPT_NOT_CONFIRMED' } });

      const ok = await label({ ...body, confirmDecrypt: true });
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json()).toMatchObject({ action: 'plain', previousAction: 'encrypt', rowsRewritten: ROWS, kind: 'outcome' });
      for (const { rowNo, doc } of await storedRows()) {
        expect(doc.v.discharged).toBe(cellOf(rowNo, 'discharged'));
        expect(doc.e).not.toHaveProperty('discharged');
      }
      // Stored in clear now, so the schema shows the column's range again, as inference over the file gives it.
      const inferred = inferSchema(
        HEADER,
        LINES.slice(1).map((l) => l.split(',')),
      ).find((c) => c.name === 'discharged')!;
      const schema = (await detail()).schema.find((c) => c.name === 'discharged')!;
      expect(schema).toMatchObject({ type: 'date', present: ROWS, min: inferred.min, max: inferred.max });
      expect((await ledger('dataset.label_downgrade')).at(-1)).toMatchObject({
        outcome: 'success',
        detail: { column: 'discharged', fromAction: 'encrypt', toAction: 'plain' },
      });
    });

    it('bad requests are coded 4xx, audited, and never echo the column or a value', async () => {
      const cases: [Record<string, unknown>, number, string][] = [
        [{ column: 'NoSuchColumnXyz', label: 'non_sensitive', reason: 'a reason long enough' }, 400, 'HAVEN_INGEST_LABEL_UNKNOWN_COLUMN'],
        [{ column: 'sodium', label: 'quasi_identifier', kind: 'name', reason: 'a reason long enough' }, 400, 'HAVEN_INGEST_LABEL_INVALID'],
        [{ column: 'sodium', label: 'non_sensitive', kind: 'lab_value', reason: 'a reason long enough' }, 400, 'HAVEN_INGEST_LABEL_INVALID'],
        [{ column: 'sodium', label: 'secret', reason: 'a reason long enough' }, 400, 'HAVEN_HTTP_VALIDATION'],
        [{ column: 'sodium', label: 'sensitive_attribute', reason: 'short' }, 400, 'HAVEN_HTTP_VALIDATION'],
        [{ column: 'sodium', label: 'sensitive_attribute', reason: 'a reason long enough', extra: 1 }, 400, 'HAVEN_HTTP_VALIDATION'],
      ];
      for (const [body, status, code] of cases) {
        const res = await label(body);
        expect([res.statusCode, res.json().error.code], JSON.stringify(body)).toEqual([status, code]);
        expect(res.body).not.toContain('NoSuchColumnXyz');
      }
      expect((await label({ column: 'sodium', label: 'non_sensitive', reason: 'a reason long enough' }, scientist.token)).statusCode).toBe(403);
      expect((await label({ column: 'sodium', label: 'non_sensitive', reason: 'a reason long enough' }, steward.token, 'stays', 9)).statusCode).toBe(404);
    });

    it('an interrupted rewrite leaves complete batches and a checkpoint; the version is unusable until the override is repeated, which resumes it', async () => {
      await importVersion('sites', [...losCsvChunks({ rows: ROWS, seed: 32 })].join(''));
      const keys = (await t.instance.keys()).keys;
      let encrypted = 0;
      // A real key service whose cipher fails on the 700th encryption: the second batch's transaction rolls back.
      const failing: LabelProtection = {
        pseudonymiser: (s, w) => keys.pseudonymiser(s, w),
        async datasetCipher(s, w, d, reserve) {
          const c = await keys.datasetCipher(s, w, d, reserve);
          return {
            get remainingInvocations() {
              return c.remainingInvocations;
            },
            decrypt: (col, rec, text) => c.decrypt(col, rec, text),
            encrypt(col, rec, value) {
              if (++encrypted === 700) {
                throw new Error('simulated crash');
              }
              return c.encrypt(col, rec, value);
            },
          };
        },
      };
      const service = new LabelOverrideService(t.instance.storage, t.instance.audit, t.instance.clock, async () => failing, 500);
      const principal = {
        subject: 'steward-id',
        username: 'steward',
        globalRoles: [],
        memberships: [],
        via: 'token' as const,
        tokenScopes: null,
        tokenWorkspace: null,
        mfaAt: null,
        fullyAuthenticated: true,
      };
      await expect(
        service.override(
          principal,
          'ws-alpha',
          'sites',
          1,
          { column: 'facid', label: 'direct_identifier', kind: 'geographic_subunit', reason: REASON },
          'test',
        ),
      ).rejects.toThrow();

      const mid = await detail('sites');
      expect(mid.status).toBe('relabelling');
      expect(mid.handling.find((h) => h.column === 'facid')).toMatchObject({ action: 'encrypt', pending: { from: 'plain', afterRowNo: 500 } });
      const rows = await storedRows('sites');
      expect(rows.filter((r) => r.doc.e.facid !== undefined).map((r) => r.rowNo)).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
      expect(rows.filter((r) => r.doc.v.facid !== undefined)).toHaveLength(ROWS - 500);
      // Half-moved: neither publishable nor readable.
      const publish = await app.inject({
        method: 'POST',
        url: '/api/workspaces/alpha/datasets/sites/versions/1/publish',
        headers: { authorization: `Bearer ${steward.token}` },
      });
      expect([publish.statusCode, publish.json().error.code]).toEqual([409, 'HAVEN_INGEST_VERSION_STATE']);
      const read = await app.inject({
        method: 'GET',
        url: '/api/workspaces/alpha/datasets/sites/versions/1/rows',
        headers: { authorization: `Bearer ${scientist.token}` },
      });
      expect(read.statusCode).toBe(409);
      expect((await ledger('dataset.label_rewrite')).at(-1)).toMatchObject({ outcome: 'failure', detail: { column: 'facid', code: 'HAVEN_INTERNAL' } });

      const resumed = await label({ column: 'facid', label: 'direct_identifier', kind: 'geographic_subunit', reason: REASON }, steward.token, 'sites');
      expect(resumed.statusCode, resumed.body).toBe(200);
      expect(resumed.json()).toMatchObject({ status: 'ready', action: 'encrypt', previousAction: 'encrypt', rowsRewritten: ROWS - 500 });
      const done = await detail('sites');
      expect(done.status).toBe('ready');
      expect(done.handling.find((h) => h.column === 'facid')).not.toHaveProperty('pending');
      const final = await storedRows('sites');
      for (const { doc } of final) {
        expect(doc.v).not.toHaveProperty('facid');
        expect(doc.e.facid).toBeDefined();
      }
      expect(await decrypt('sites', 1, 1000, 'facid', final[999]!.doc.e.facid!)).toMatch(/^[A-E]$/);
    });

    it('resumeInterrupted finishes a rewrite left by a crash (start-up)', async () => {
      await importVersion('clinics', [...losCsvChunks({ rows: 600, seed: 33 })].join(''));
      const ds = (await t.instance.storage.read.datasets.datasetByName('ws-alpha', 'clinics'))!;
      const v = (await t.instance.storage.read.datasets.version(ds.id, 1))!;
      // The state the first transaction of an override leaves: handling changed, checkpoint at 0, status relabelling.
      const policy = (v.policy as StoredHandling[]).map((h) =>
        h.column === 'gender'
          ? { ...h, action: 'encrypt' as const, label: 'direct_identifier', kind: 'biometric', pending: { from: 'plain' as const, afterRowNo: 0 } }
          : h,
      );
      await t.instance.storage.transaction((repos) => repos.datasets.updateVersion(v.id, { policy, status: 'relabelling' }));
      const service = new LabelOverrideService(t.instance.storage, t.instance.audit, t.instance.clock, async () => (await t.instance.keys()).keys, 250);
      expect(await service.resumeInterrupted('startup')).toBe(1);
      const after = (await t.instance.storage.read.datasets.versionById(v.id))!;
      expect(after.status).toBe('ready');
      for (const r of await t.instance.storage.read.datasets.rows(v.id, 0, 1000)) {
        const doc = JSON.parse(r.data) as RowDocument;
        expect(doc.v).not.toHaveProperty('gender');
        expect(doc.e.gender).toBeDefined();
      }
    });

    it('a published version is immutable: overriding it is a coded 409 and nothing changes', async () => {
      const pub = await app.inject({
        method: 'POST',
        url: '/api/workspaces/alpha/datasets/stays/versions/1/publish',
        headers: { authorization: `Bearer ${steward.token}` },
      });
      expect(pub.statusCode, pub.body).toBe(200);
      const before = await detail();
      const res = await label({ column: 'sodium', label: 'direct_identifier', kind: 'unique_id', reason: 'too late for this version' });
      expect([res.statusCode, res.json().error.code]).toEqual([409, 'HAVEN_INGEST_VERSION_PUBLISHED']);
      expect(await detail()).toEqual(before);
    });
  });
}
