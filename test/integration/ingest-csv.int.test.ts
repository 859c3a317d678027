import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createPersona, type Persona } from '../helpers/personas.js';
import { rawSql } from '../helpers/raw-sql.js';
import { testStores } from '../helpers/stores.js';
import { buildTestApp, createTestInstance, type TestInstance } from '../helpers/test-instance.js';

const SAMPLE = readFileSync(new URL('../../../shared/data/los-10k.csv', import.meta.url));
const IMPORT_URL = '/api/workspaces/alpha/datasets/stays/imports';

for (const store of testStores()) {
  describe(`CSV ingest [${store.name}]`, () => {
    let t: TestInstance;
    let app: FastifyInstance;
    let steward: Persona;
    let scientist: Persona;
    beforeAll(async () => {
      t = await createTestInstance(store, { withKeys: true });
      app = await buildTestApp(t);
      steward = await createPersona(t.instance, 'steward', { memberships: [{ workspace: 'alpha', role: 'data_steward' }] });
      scientist = await createPersona(t.instance, 'scientist', { memberships: [{ workspace: 'alpha', role: 'data_scientist' }] });
    });
    afterAll(async () => {
      await app.close();
      await t.cleanup();
      await store.cleanup();
    });

    const upload = (payload: Buffer | string, token = steward.token, headers: Record<string, string> = { 'content-type': 'text/csv' }, url = IMPORT_URL) =>
      app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${token}`, ...headers }, payload });

    it('imports the real 10,000-row sample: names encrypted, eid an identifier, dates tied to a person, clinical columns sensitive', async () => {
      const res = await upload(SAMPLE);
      expect(res.statusCode, res.body).toBe(201);
      const report = res.json() as { version: number; rowsRead: number; rowsStored: number; rowsQuarantined: number; classification: { column: string; label: string; kind?: string }[]; handling: { column: string; action: string }[] };
      expect(report).toMatchObject({ version: 1, rowsRead: 10_000, rowsStored: 10_000, rowsQuarantined: 0 });
      const label = (c: string) => report.classification.find((x) => x.column === c);
      for (const c of ['First', 'Middle', 'Last']) {
        expect(label(c)).toMatchObject({ label: 'direct_identifier', kind: 'name' });
        expect(report.handling.find((h) => h.column === c)?.action).toBe('encrypt');
      }
      expect(label('eid')).toMatchObject({ label: 'direct_identifier', kind: 'unique_id' });
      expect(report.handling.find((h) => h.column === 'eid')?.action).toBe('pseudonymise');
      for (const c of ['vdate', 'discharged']) {
        expect(label(c)).toMatchObject({ label: 'direct_identifier', kind: 'date' });
      }
      for (const c of ['hematocrit', 'sodium', 'glucose', 'bmi', 'pulse', 'lengthofstay']) {
        expect(label(c)?.label).toBe('sensitive_attribute');
      }
    });

    it('stores identifiers only as ciphertext: no name from the file appears in the database', async () => {
      const firstRow = SAMPLE.toString('utf8').split('\n')[1]!.split(',');
      const header = SAMPLE.toString('utf8').split('\n')[0]!.trim().split(',');
      const last = firstRow[header.indexOf('Last')]!.trim();
      const versions = (await t.instance.storage.read.datasets.versions((await t.instance.storage.read.datasets.datasetByName('ws-alpha', 'stays'))!.id));
      const rows = await t.instance.storage.read.datasets.rows(versions[0]!.id, 0, 50);
      expect(rows).toHaveLength(50);
      for (const r of rows) {
        expect(r.data).not.toContain(`"${last}"`);
        const doc = JSON.parse(r.data) as { v: Record<string, string>; e: Record<string, string>; p: Record<string, string> };
        expect(Object.keys(doc.e).sort()).toEqual(expect.arrayContaining(['First', 'Last', 'eid', 'vdate', 'discharged']));
        expect(doc.v.First).toBeUndefined();
      }
    });

    it('the data scientist sees the pseudonymised view only; publishing needs the steward', async () => {
      const res = await app.inject({ method: 'GET', url: '/api/workspaces/alpha/datasets/stays/versions/1/rows?limit=5', headers: { authorization: `Bearer ${scientist.token}` } });
      expect(res.statusCode).toBe(200);
      const body = res.json() as { columns: string[]; rows: { values: Record<string, string> }[] };
      expect(body.columns).not.toContain('First');
      expect(body.columns).toContain('eid');
      expect(body.rows[0]!.values.First).toBeUndefined();
      expect(body.rows[0]!.values.eid).toMatch(/^[A-Za-z0-9_-]{16,}$/);
      const denied = await app.inject({ method: 'POST', url: '/api/workspaces/alpha/datasets/stays/versions/1/publish', headers: { authorization: `Bearer ${scientist.token}` } });
      expect(denied.statusCode).toBe(403);
      const ok = await app.inject({ method: 'POST', url: '/api/workspaces/alpha/datasets/stays/versions/1/publish', headers: { authorization: `Bearer ${steward.token}` } });
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toMatchObject({ status: 'published' });
    });

    it('re-importing the same file is detected by its hash and keeps nothing', async () => {
      const res = await upload(SAMPLE);
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ error: { code: 'HAVEN_INGEST_DUPLICATE' } });
      const versions = (await app.inject({ method: 'GET', url: '/api/workspaces/alpha/datasets/stays/versions', headers: { authorization: `Bearer ${steward.token}` } })).json() as { versions: { version: number; status: string; rowsStored: number }[] };
      expect(versions.versions.map((v) => v.status)).toEqual(['published', 'failed']);
    });

    it('quarantines rows with the wrong column count and reconciles: read = stored + quarantined', async () => {
      const text = ['id,name,score', '1,Ann,3', '2,Bob', '3,Cy,4,extra', '4,Di,5', ''].join('\n');
      const res = await upload(text, steward.token, { 'content-type': 'text/csv' }, '/api/workspaces/alpha/datasets/small/imports');
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({ rowsRead: 4, rowsStored: 2, rowsQuarantined: 2 });
      expect(res.body).not.toContain('Bob');
    });

    it('accepts gzip and refuses a gzip bomb with a coded error, keeping nothing', async () => {
      const gz = gzipSync(Buffer.from(['a,b', '1,2', '3,4', ''].join('\n')));
      expect((await upload(gz, steward.token, { 'content-type': 'application/gzip' }, '/api/workspaces/alpha/datasets/zipped/imports')).statusCode).toBe(201);
      const bomb = gzipSync(Buffer.concat([Buffer.from('a,b\n'), Buffer.alloc(50 * 1024 * 1024, 0x30)]));
      const res = await upload(bomb, steward.token, { 'content-type': 'application/gzip' }, '/api/workspaces/alpha/datasets/bomb/imports');
      expect(res.statusCode).toBe(413);
      expect(res.json()).toMatchObject({ error: { code: 'HAVEN_INGEST_GZIP_BOMB' } });
      expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    });

    it.each([
      ['an unclosed quote', 'a,b\n1,"open\n', 'HAVEN_CSV_UNCLOSED_QUOTE'],
      ['NUL bytes', 'a,b\n1,\u00002\n', 'HAVEN_CSV_NUL_BYTE'],
      ['an empty file', '', 'HAVEN_CSV_EMPTY_FILE'],
      ['a header with no rows', 'a,b\n', 'HAVEN_CSV_NO_ROWS'],
      ['duplicate headers', 'a,a\n1,2\n', 'HAVEN_CSV_DUPLICATE_HEADER'],
      ['a secret pasted by accident', 'id,note\n1,AKIAIOSFODNN7EXAMPLE\n2,fine\n', 'HAVEN_CLASSIFY_SECRET_FOUND'],
    ])('%s: a coded error, nothing half-stored, the server up', async (_name, body, code) => {
      const before = await countRows(t);
      const res = await upload(body, steward.token, { 'content-type': 'text/csv' }, '/api/workspaces/alpha/datasets/bad/imports');
      expect(res.statusCode).toBeGreaterThanOrEqual(400);
      expect(res.statusCode).toBeLessThan(500);
      expect(res.json()).toMatchObject({ error: { code } });
      expect(res.body).not.toContain('AKIA');
      expect(await countRows(t)).toBe(before);
      expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    });

    it('invalid UTF-8 is refused with its line, not its bytes', async () => {
      const res = await upload(Buffer.concat([Buffer.from('a,b\n1,'), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]), steward.token, { 'content-type': 'text/csv' }, '/api/workspaces/alpha/datasets/bad/imports');
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ error: { code: 'HAVEN_CSV_INVALID_UTF8' } });
    });

    it('an import left half-done by a crash is withdrawn at start-up', async () => {
      const ds = (await t.instance.storage.read.datasets.datasetByName('ws-alpha', 'stays'))!;
      await t.instance.storage.transaction(async (repos) => {
        await repos.datasets.insertVersion({
          id: 'crashed-version', datasetId: ds.id, version: 99, status: 'importing', sha256: null, rowsRead: 0, rowsStored: 0, rowsQuarantined: 0, header: null, schema: null,
          classification: null, policy: null, importedBy: 'x', createdAt: new Date().toISOString(), finishedAt: null, publishedAt: null, publishedBy: null,
        });
        await repos.datasets.insertRows('crashed-version', [{ rowNo: 1, data: '{}' }]);
      });
      expect(await t.instance.ingest.recoverInterrupted('test')).toBe(1);
      expect((await t.instance.storage.read.datasets.versionById('crashed-version'))?.status).toBe('failed');
      expect(await t.instance.storage.read.datasets.rows('crashed-version', 0, 10)).toHaveLength(0);
    });

    it('other roles and other workspaces cannot import', async () => {
      expect((await upload('a,b\n1,2\n', scientist.token)).statusCode).toBe(403);
      const outsider = await createPersona(t.instance, 'outsider', { memberships: [{ workspace: 'beta', role: 'data_steward' }] });
      expect((await upload('a,b\n1,2\n', outsider.token)).statusCode).toBe(404);
    });
  });
}

async function countRows(t: TestInstance): Promise<number> {
  let n = 0;
  await rawSql(t, []);
  for (const v of await t.instance.storage.read.datasets.versionsWithStatus('ready')) {
    n += (await t.instance.storage.read.datasets.rows(v.id, 0, 100_000)).length;
  }
  for (const v of await t.instance.storage.read.datasets.versionsWithStatus('published')) {
    n += (await t.instance.storage.read.datasets.rows(v.id, 0, 100_000)).length;
  }
  return n;
}
