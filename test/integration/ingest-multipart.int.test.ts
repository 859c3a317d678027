import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Buffer } from 'node:buffer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { listenHttps, type ListeningServer } from '../helpers/listen.js';
import { formData, type FormPart } from '../helpers/multipart.js';
import { createPersona, type Persona } from '../helpers/personas.js';
import { testStores } from '../helpers/stores.js';
import { buildTestApp, createTestInstance, type TestInstance } from '../helpers/test-instance.js';
import { staysWorkbook } from '../helpers/workbooks.js';

/** The real 10,000-row sample (1.5 MB: larger than the JSON body limit, so it must be streamed). */
const SAMPLE_PATH = new URL('../../../shared/data/los-10k.csv', import.meta.url);
const SAMPLE = readFileSync(SAMPLE_PATH);
const WS = 'ws-alpha';
const SMALL_CSV = 'id,score\n1,3\n2,4\n';

interface Report {
  sha256: string;
  rowsRead: number;
  rowsStored: number;
  classification: unknown[];
  handling: unknown[];
}

/** Run curl (asynchronously: the server answers from this process) and return its exit code and output. */
function curl(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('curl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

for (const store of testStores()) {
  describe(`multipart import [${store.name}]`, () => {
    let t: TestInstance;
    let app: FastifyInstance;
    let server: ListeningServer;
    let steward: Persona;
    let dir: string;
    beforeAll(async () => {
      t = await createTestInstance(store, { withKeys: true });
      app = await buildTestApp(t);
      server = await listenHttps(t);
      steward = await createPersona(t.instance, 'steward', { memberships: [{ workspace: 'alpha', role: 'data_steward' }] });
      dir = mkdtempSync(join(tmpdir(), 'haven-multipart-'));
    }, 60_000);
    afterAll(async () => {
      await server?.app.close();
      await app?.close();
      await t?.cleanup();
      await store.cleanup();
      rmSync(dir, { recursive: true, force: true });
    });

    const auth = () => ({ authorization: `Bearer ${steward.token}` });
    const url = (dataset: string, query = '') => `/api/workspaces/alpha/datasets/${dataset}/imports${query}`;
    const raw = (dataset: string, payload: Buffer | string, contentType = 'text/csv') =>
      app.inject({ method: 'POST', url: url(dataset), headers: { ...auth(), 'content-type': contentType }, payload });
    const multipart = (dataset: string, parts: readonly FormPart[], query = '') => {
      const body = formData(parts);
      return app.inject({ method: 'POST', url: url(dataset, query), headers: { ...auth(), 'content-type': body.contentType }, payload: body.payload });
    };
    const nothingKept = async (dataset: string) => {
      expect(await t.instance.storage.read.datasets.versionsWithStatus('importing')).toEqual([]);
      const ds = await t.instance.storage.read.datasets.datasetByName(WS, dataset);
      for (const v of ds ? await t.instance.storage.read.datasets.versions(ds.id) : []) {
        expect(v.status).toBe('failed');
        expect(await t.instance.storage.read.datasets.rows(v.id, 0, 10)).toEqual([]);
      }
    };
    const serverUp = async () => {
      const ok = await multipart(`after-${Math.floor(Math.random() * 1e9)}`, [{ name: 'file', filename: 'ok.csv', data: SMALL_CSV }]);
      expect(ok.statusCode, ok.body).toBe(201);
    };

    it('a multipart CSV upload gives the same version hash as the raw body: the hash of the file bytes', async () => {
      const body = await raw('small-raw', SMALL_CSV);
      const form = await multipart('small-form', [{ name: 'file', filename: 'stays.csv', data: SMALL_CSV }]);
      expect(body.statusCode, body.body).toBe(201);
      expect(form.statusCode, form.body).toBe(201);
      expect((form.json() as Report).sha256).toBe((body.json() as Report).sha256);
      expect((form.json() as Report).sha256).toBe(createHash('sha256').update(SMALL_CSV).digest('hex'));
    });

    it('a workbook in a multipart upload is found by its content (octet-stream, any file name) and its sheet chosen by ?sheet=', async () => {
      const book = await staysWorkbook();
      const res = await multipart('labs-form', [{ name: 'file', filename: 'labs.csv', data: book }], '?sheet=Labs');
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({ rowsRead: 10, rowsStored: 10 });
      const rawRes = await raw('labs-raw', book, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      const formFirst = await multipart('stays-form', [
        { name: 'file', filename: 'book.xlsx', data: book, contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
      ]);
      expect(formFirst.statusCode, formFirst.body).toBe(201);
      expect((formFirst.json() as Report).classification).toEqual((rawRes.json() as Report).classification);
      expect((formFirst.json() as Report).sha256).toBe((rawRes.json() as Report).sha256);
    });

    it.each([
      [
        'two files',
        [
          { name: 'file', filename: 'a.csv', data: SMALL_CSV },
          { name: 'file', filename: 'b.csv', data: SMALL_CSV },
        ],
        'HAVEN_INGEST_MULTIPART_TOO_MANY_PARTS',
      ],
      [
        'a text field after the file',
        [
          { name: 'file', filename: 'a.csv', data: SMALL_CSV },
          { name: 'note', data: 'hello' },
        ],
        'HAVEN_INGEST_MULTIPART_TOO_MANY_PARTS',
      ],
      ['no file, only a text field', [{ name: 'file', data: SMALL_CSV }], 'HAVEN_INGEST_MULTIPART_FIELD'],
      ['the file under another field name', [{ name: 'upload', filename: 'a.csv', data: SMALL_CSV }], 'HAVEN_INGEST_MULTIPART_NO_FILE'],
      ['no part at all', [], 'HAVEN_INGEST_MULTIPART_NO_FILE'],
    ] as const)('%s: a coded 400, nothing kept, the server up', async (_name, parts, code) => {
      const dataset = `bad-${code.toLowerCase().replaceAll('_', '-').slice(-20)}`;
      const res = await multipart(dataset, parts);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json()).toMatchObject({ error: { code } });
      await nothingKept(dataset);
      await serverUp();
    });

    it('a malformed multipart body (no boundary, or cut short) is a coded 400 and keeps nothing', async () => {
      const noBoundary = await app.inject({
        method: 'POST',
        url: url('bad-boundary'),
        headers: { ...auth(), 'content-type': 'multipart/form-data' },
        payload: 'x',
      });
      expect(noBoundary.statusCode).toBe(400);
      expect(noBoundary.json()).toMatchObject({ error: { code: 'HAVEN_INGEST_MULTIPART_MALFORMED' } });
      const whole = formData([{ name: 'file', filename: 'a.csv', data: SMALL_CSV }]);
      const cut = await app.inject({
        method: 'POST',
        url: url('bad-cut'),
        headers: { ...auth(), 'content-type': whole.contentType },
        payload: whole.payload.subarray(0, whole.payload.length - 30),
      });
      expect(cut.statusCode).toBe(400);
      // The file's data is complete only when its closing boundary follows: cut inside it, the file is cut short.
      expect(cut.json()).toMatchObject({ error: { code: 'HAVEN_INGEST_INTERRUPTED' } });
      await nothingKept('bad-cut');
      await serverUp();
    });

    it('a file over the upload limit in a multipart body is refused with a coded 413', async () => {
      const limited = await createTestInstance(store, { withKeys: true, config: { ingest: { maxUploadBytes: 2048 } } });
      const limitedApp = await buildTestApp(limited);
      try {
        const owner = await createPersona(limited.instance, 'steward', { memberships: [{ workspace: 'alpha', role: 'data_steward' }] });
        const body = formData([{ name: 'file', filename: 'big.csv', data: `id,v\n${'1,2\n'.repeat(2000)}` }]);
        const res = await limitedApp.inject({
          method: 'POST',
          url: url('too-big'),
          headers: { authorization: `Bearer ${owner.token}`, 'content-type': body.contentType },
          payload: body.payload,
        });
        expect(res.statusCode).toBe(413);
        expect(res.json()).toMatchObject({ error: { code: 'HAVEN_INGEST_TOO_LARGE' } });
        expect(await limited.instance.storage.read.datasets.versionsWithStatus('importing')).toEqual([]);
      } finally {
        await limitedApp.close();
        await limited.cleanup();
      }
    });

    it('multipart is understood by the imports route only: other routes still take JSON and refuse multipart', async () => {
      const body = formData([{ name: 'limit', data: '1' }]);
      const res = await app.inject({
        method: 'POST',
        url: '/api/audit/query',
        headers: { authorization: `Bearer ${t.token}`, 'content-type': body.contentType },
        payload: body.payload,
      });
      expect(res.statusCode).toBe(415);
      expect(res.json()).toMatchObject({ error: { code: 'HAVEN_HTTP_UNSUPPORTED_MEDIA_TYPE' } });
      const json = await app.inject({
        method: 'POST',
        url: '/api/audit/query',
        headers: { authorization: `Bearer ${t.token}`, 'content-type': 'application/json' },
        payload: '{"limit":1}',
      });
      expect(json.statusCode).toBe(200);
    });

    it('curl -F file=@los-10k.csv over HTTPS streams the 10,000-row sample and gives the hash of the raw-body upload', async () => {
      const viaRaw = await raw('sample-raw', SAMPLE);
      expect(viaRaw.statusCode, viaRaw.body).toBe(201);
      const tokenHeader = join(dir, 'auth-header');
      writeFileSync(tokenHeader, `Authorization: Bearer ${steward.token}\n`, { mode: 0o600 });
      const r = await curl([
        '-sS',
        '--cacert',
        server.caFile,
        '-H',
        `@${tokenHeader}`,
        '-F',
        `file=@${SAMPLE_PATH.pathname}`,
        `${server.url}${url('sample-curl')}`,
      ]);
      expect(r.code, r.stderr).toBe(0);
      const report = JSON.parse(r.stdout) as Report;
      expect(report).toMatchObject({ rowsRead: 10_000, rowsStored: 10_000 });
      expect(report.sha256).toBe((viaRaw.json() as Report).sha256);
      expect(report.sha256).toBe(createHash('sha256').update(SAMPLE).digest('hex'));
      // A second file in the same curl call is refused, and the server goes on serving.
      const two = await curl([
        '-sS',
        '--cacert',
        server.caFile,
        '-H',
        `@${tokenHeader}`,
        '-F',
        `file=@${SAMPLE_PATH.pathname}`,
        '-F',
        `file=@${SAMPLE_PATH.pathname}`,
        `${server.url}${url('sample-two')}`,
      ]);
      expect(two.code, two.stderr).toBe(0);
      expect(JSON.parse(two.stdout)).toMatchObject({ error: { code: 'HAVEN_INGEST_MULTIPART_TOO_MANY_PARTS' } });
      await nothingKept('sample-two');
      const book = join(dir, 'book.xlsx');
      writeFileSync(book, await staysWorkbook());
      const xlsx = await curl([
        '-sS',
        '--cacert',
        server.caFile,
        '-H',
        `@${tokenHeader}`,
        '-F',
        `file=@${book}`,
        `${server.url}${url('book-curl', '?sheet=Labs')}`,
      ]);
      expect(xlsx.code, xlsx.stderr).toBe(0);
      expect(JSON.parse(xlsx.stdout)).toMatchObject({ rowsRead: 10, rowsStored: 10 });
    }, 120_000);
  });
}
