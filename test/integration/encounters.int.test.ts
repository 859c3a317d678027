import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { AdmissionRecord } from '../../src/libs/formats/fhir/index.js';
import { generateFhirMessages } from '../../src/libs/synth/index.js';
import { haven } from '../helpers/cli.js';
import { listenHttps } from '../helpers/listen.js';
import { createPersona, type Persona } from '../helpers/personas.js';
import { testStores } from '../helpers/stores.js';
import { buildTestApp, createTestInstance, type TestInstance } from '../helpers/test-instance.js';

const shared = (name: string): Record<string, unknown> => JSON.parse(readFileSync(new URL(`../../../shared/fhir/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;

/** The record the FHIR library's own tests expect from admit_100001.json (src/libs/formats/fhir/map-admission.test.ts). */
const EXPECTED: AdmissionRecord = {
  First: 'FQOyd', Middle: 'vGECP', Last: 'AutXO',
  eid: 100001, vdate: '11/24/2017', rcount: null, gender: 'M',
  dialysisrenalendstage: 0, asthma: 1, irondef: 0, pneum: 1, substancedependence: 0,
  psychologicaldisordermajor: 1, depress: 1, psychother: 0, fibrosisandother: 1, malnutrition: 0, hemo: 0,
  hematocrit: 12.841591387494276, neutrophils: 15.324001778766513, sodium: 6.477982171335249,
  glucose: 80.05802161244583, bloodureanitro: 8, creatinine: 0.7538774242875527, bmi: 27.315629304859616,
  pulse: 65, respiration: 7.432499034205684,
  secondarydiagnosisnonicd9: 0, facid: 'B',
};
const NAMES = ['FQOyd', 'vGECP', 'AutXO'];
const EXPECTED_NO_NAMES = Object.fromEntries(Object.entries(EXPECTED).filter(([k]) => !['First', 'Middle', 'Last'].includes(k)));

/** Every stored encounter row, read with SQL straight from the database (as an attacker with a dump would). */
async function rawEncounterRows(t: TestInstance): Promise<Record<string, unknown>[]> {
  const { url, schema } = t.instance.config.database;
  if (!url) {
    const db = new SQLite(join(t.dataDir, 'haven.db'), { readonly: true });
    try {
      return db.prepare('select * from encounter').all() as Record<string, unknown>[];
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: url, ...(schema ? { options: `-c search_path=${schema}` } : {}) });
  await client.connect();
  try {
    return (await client.query('select * from encounter')).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

for (const store of testStores()) {
  describe(`clinician admission and discharge from FHIR messages [${store.name}]`, () => {
    let t: TestInstance;
    let app: FastifyInstance;
    let doc: Persona;
    let colleague: Persona;
    let steward: Persona;
    let scientist: Persona;
    let outsider: Persona;
    beforeAll(async () => {
      t = await createTestInstance(store, { withKeys: true });
      app = await buildTestApp(t);
      doc = await createPersona(t.instance, 'doc', { memberships: [{ workspace: 'alpha', role: 'clinician' }] });
      colleague = await createPersona(t.instance, 'colleague', { memberships: [{ workspace: 'alpha', role: 'clinician' }] });
      steward = await createPersona(t.instance, 'steward', { memberships: [{ workspace: 'alpha', role: 'data_steward' }] });
      scientist = await createPersona(t.instance, 'scientist', { memberships: [{ workspace: 'alpha', role: 'data_scientist' }] });
      outsider = await createPersona(t.instance, 'outsider', { memberships: [{ workspace: 'beta', role: 'clinician' }] });
    });
    afterAll(async () => {
      await app.close();
      await t.cleanup();
      await store.cleanup();
    });

    const post = (what: 'admissions' | 'discharges', body: unknown, who: Persona = doc, ws = 'alpha') =>
      app.inject({ method: 'POST', url: `/api/workspaces/${ws}/${what}`, headers: { authorization: `Bearer ${who.token}`, 'content-type': 'application/json' }, payload: typeof body === 'string' ? body : JSON.stringify(body) });
    const get = (eid: number, who: Persona = doc) => app.inject({ method: 'GET', url: `/api/workspaces/alpha/encounters/${eid}`, headers: { authorization: `Bearer ${who.token}` } });

    it('admits and discharges the reference patient with every mapped value right; names only for the admitting clinician', async () => {
      const admitted = await post('admissions', shared('admit_100001.json'));
      expect(admitted.statusCode, admitted.body).toBe(201);
      const body = admitted.json() as { encounter: Record<string, unknown>; record: Record<string, unknown>; unknownCodes: unknown[]; notes: unknown[] };
      expect(body.record).toEqual({ ...EXPECTED, discharged: null, lengthofstay: null });
      expect(body.encounter).toMatchObject({ eid: 100001, vdate: '11/24/2017', admittedBy: doc.id, discharged: null, lengthofstay: null, namesShown: true });
      expect(body.unknownCodes).toEqual([]);
      expect(body.notes).toContainEqual({ kind: 'unexpected_unit', column: 'glucose', path: 'observations[3]' });
      expect(body).toMatchObject({ prediction: { status: 'failed', errorCode: 'HAVEN_MODEL_NO_APPROVED', predictedLengthOfStay: null } });

      const mine = (await get(100001)).json() as { record: Record<string, unknown> };
      expect(mine.record).toEqual({ ...EXPECTED, discharged: null, lengthofstay: null });
      const theirs = await get(100001, colleague);
      expect(theirs.statusCode).toBe(200);
      expect((theirs.json() as { record: Record<string, unknown> }).record).toEqual({ ...EXPECTED_NO_NAMES, discharged: null, lengthofstay: null });
      for (const n of NAMES) {
        expect(theirs.body).not.toContain(n);
      }

      const discharged = await post('discharges', shared('discharge_100001.json'), colleague);
      expect(discharged.statusCode, discharged.body).toBe(200);
      expect(discharged.json()).toMatchObject({ encounter: { eid: 100001, vdate: '11/24/2017', discharged: '11/26/2017', lengthofstay: 2, dischargedBy: colleague.id } });
      const after = (await get(100001)).json() as { record: Record<string, unknown> };
      expect(after.record).toEqual({ ...EXPECTED, discharged: '11/26/2017', lengthofstay: 2 });
    });

    it('stores names only as ciphertext and keeps them out of the ledger', async () => {
      const rows = await rawEncounterRows(t);
      expect(rows.length).toBeGreaterThan(0);
      const dump = JSON.stringify(rows);
      for (const n of NAMES) {
        expect(dump).not.toContain(n);
      }
      const row = rows.find((r) => Number(r.eid) === 100001)!;
      const names = JSON.parse(String(row.names)) as Record<string, string>;
      expect(Object.keys(names).sort()).toEqual(['First', 'Last', 'Middle']);
      expect(names.First).toMatch(/^[A-Za-z0-9_-]{40,}$/);
      // Other values stay plain (the record is what the model and the checks will read).
      expect(JSON.parse(String(row.record))).toMatchObject({ sodium: EXPECTED.sodium, facid: 'B' });
      const ledger = JSON.stringify(await t.instance.storage.read.audit.page(0, 100_000));
      expect(ledger).toContain('encounter.admit');
      expect(ledger).toContain('encounter.discharge');
      for (const n of NAMES) {
        expect(ledger).not.toContain(n);
      }
    });

    it('refuses a second admission, a second discharge, an unknown encounter and a discharge before admission', async () => {
      const again = await post('admissions', shared('admit_100001.json'));
      expect([again.statusCode, again.json().error.code]).toEqual([409, 'HAVEN_ENCOUNTER_EXISTS']);
      const twice = await post('discharges', shared('discharge_100001.json'));
      expect([twice.statusCode, twice.json().error.code]).toEqual([409, 'HAVEN_FHIR_ALREADY_DISCHARGED']);
      const unknown = shared('discharge_100001.json');
      (unknown.encounter as Record<string, unknown>).id = 4242;
      const nf = await post('discharges', unknown);
      expect([nf.statusCode, nf.json().error.code]).toEqual([404, 'HAVEN_FHIR_UNKNOWN_ENCOUNTER']);
      expect((await get(4242)).statusCode).toBe(404);

      const [m] = [...generateFhirMessages({ rows: 1, seed: 11, startEid: 7001, shape: 'bundle' })];
      expect((await post('admissions', m!.admission)).statusCode).toBe(201);
      const early = structuredClone(m!.discharge) as { entry: { resource: { period: { end: string } } }[] };
      early.entry[0]!.resource.period.end = '2001-01-01T10:00:00+00:00';
      const before = await post('discharges', early);
      expect([before.statusCode, before.json().error.code]).toEqual([400, 'HAVEN_FHIR_DISCHARGE_BEFORE_ADMISSION']);
      expect(((await get(7001)).json() as { record: { discharged: unknown } }).record.discharged).toBeNull();
    });

    it('lets only one of two concurrent discharges (or admissions) of the same encounter pass', async () => {
      const [m] = [...generateFhirMessages({ rows: 1, seed: 12, startEid: 7101, shape: 'legacy' })];
      const admissions = await Promise.all([post('admissions', m!.admission), post('admissions', m!.admission, colleague)]);
      expect(admissions.map((r) => r.statusCode).sort()).toEqual([201, 409]);
      expect((await rawEncounterRows(t)).filter((r) => Number(r.eid) === 7101)).toHaveLength(1);
      const results = await Promise.all([post('discharges', m!.discharge), post('discharges', m!.discharge), post('discharges', m!.discharge)]);
      expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409, 409]);
      expect(((await get(7101)).json() as { record: { lengthofstay: number } }).record.lengthofstay).toBe(m!.record.lengthofstay);
    });

    it('maps generated R4 bundles to the records they came from, discharge included', async () => {
      for (const m of generateFhirMessages({ rows: 4, seed: 3, startEid: 8001, shape: 'bundle' })) {
        const res = await post('admissions', m.admission);
        expect(res.statusCode, res.body).toBe(201);
        const { discharged, lengthofstay, ...admission } = m.record;
        expect((res.json() as { record: unknown }).record).toEqual({ ...admission, discharged: null, lengthofstay: null });
        const d = await post('discharges', m.discharge);
        expect(d.json()).toMatchObject({ encounter: { discharged, lengthofstay } });
      }
    });

    it.each([
      ['a wrong resourceType', () => ({ resourceType: 'Patient', id: 'x' }), 400, 'HAVEN_FHIR_'],
      ['a missing encounter id', () => { const m = shared('admit_100001.json'); delete (m.encounter as Record<string, unknown>).id; return m; }, 400, 'HAVEN_FHIR_MISSING_ENCOUNTER_ID'],
      ['a huge array', () => { const m = shared('admit_100001.json'); m.observations = Array.from({ length: 5000 }, () => ({})); return m; }, 413, 'HAVEN_FHIR_TOO_MANY_ENTRIES'],
      ['deeply nested JSON', () => `{"patient":${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}}`, 413, 'HAVEN_FHIR_TOO_DEEP'],
      ['a JSON array', () => '[1,2,3]', 400, 'HAVEN_'],
    ])('%s: a coded 4xx, nothing stored, the server up', async (_name, make, status, code) => {
      const before = (await rawEncounterRows(t)).length;
      const res = await post('admissions', make());
      expect(res.statusCode, res.body).toBe(status);
      expect(String(res.json().error.code).startsWith(code)).toBe(true);
      expect((await rawEncounterRows(t)).length).toBe(before);
      expect((await post('discharges', make())).statusCode).toBeGreaterThanOrEqual(400);
      expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    });

    it('haven admit and haven discharge send the files over HTTPS with the saved token', async () => {
      const server = await listenHttps(t);
      const dir = mkdtempSync(join(tmpdir(), 'haven-admit-'));
      try {
        const [m] = [...generateFhirMessages({ rows: 1, seed: 21, startEid: 9501, shape: 'legacy' })];
        const tokenFile = join(dir, 'token');
        writeFileSync(tokenFile, `${doc.token}\n`, { mode: 0o600 });
        writeFileSync(join(dir, 'admit.json'), JSON.stringify(m!.admission));
        writeFileSync(join(dir, 'discharge.json'), JSON.stringify(m!.discharge));
        writeFileSync(join(dir, 'broken.json'), '{"patient": ');
        const env = { HAVEN_SERVER: server.url, HAVEN_CA: server.caFile, HAVEN_TOKEN_FILE: tokenFile };
        const admitted = await haven(['admit', join(dir, 'admit.json'), '--workspace', 'alpha'], env);
        expect(admitted.code, admitted.stderr).toBe(0);
        expect(admitted.stdout).toContain('admitted encounter 9501');
        expect(admitted.stdout).not.toContain(m!.record.Last);
        const again = await haven(['admit', join(dir, 'admit.json'), '--workspace', 'alpha'], env);
        expect(again.code).not.toBe(0);
        expect(again.stderr).toContain('HAVEN_ENCOUNTER_EXISTS');
        const discharged = await haven(['discharge', join(dir, 'discharge.json'), '--workspace', 'alpha'], env);
        expect(discharged.code, discharged.stderr).toBe(0);
        expect(discharged.stdout).toContain(`length of stay ${m!.record.lengthofstay} days`);
        const broken = await haven(['admit', join(dir, 'broken.json'), '--workspace', 'alpha'], env);
        expect([broken.code, broken.stderr.trim()]).toEqual([2, 'error HAVEN_USAGE: the message file is not valid JSON']);
      } finally {
        await server.app.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('only clinicians of the workspace admit, discharge or read; other workspaces do not exist', async () => {
      const msg = [...generateFhirMessages({ rows: 1, seed: 5, startEid: 9001 })][0]!;
      for (const who of [steward, scientist]) {
        const res = await post('admissions', msg.admission, who);
        expect([res.statusCode, res.json().error.code]).toEqual([403, 'HAVEN_AUTH_FORBIDDEN']);
        expect((await get(100001, who)).statusCode).toBe(403);
      }
      expect((await post('admissions', msg.admission, outsider)).statusCode).toBe(404);
      expect((await post('discharges', shared('discharge_100001.json'), outsider)).statusCode).toBe(404);
      expect((await app.inject({ method: 'GET', url: '/api/workspaces/alpha/encounters/100001', headers: { authorization: `Bearer ${outsider.token}` } })).statusCode).toBe(404);
      // Admitting into the outsider's own workspace is fine, and separate: eids are unique per workspace.
      expect((await post('admissions', shared('admit_100001.json'), outsider, 'beta')).statusCode).toBe(201);
      expect((await rawEncounterRows(t)).filter((r) => Number(r.eid) === 9001)).toHaveLength(0);
    });
  });
}
