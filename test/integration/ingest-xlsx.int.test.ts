import { createHash } from 'node:crypto';
import { Buffer } from 'node:buffer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createPersona, type Persona } from '../helpers/personas.js';
import { testStores } from '../helpers/stores.js';
import { buildTestApp, createTestInstance, type TestInstance } from '../helpers/test-instance.js';
import { stays, staysCsv, staysWorkbook, unzipParts, withParts, zipParts } from '../helpers/workbooks.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const XLSM = 'application/vnd.ms-excel.sheet.macroEnabled.12';
const WS = 'ws-alpha';
/** Small enough for a test bomb, large enough for the test workbooks. */
const EXPANDED_LIMIT = 4 * 1024 * 1024;

interface Report {
  version: number;
  sha256: string;
  rowsRead: number;
  rowsStored: number;
  rowsQuarantined: number;
  classification: { column: string; label: string; kind?: string; confidence: number }[];
  handling: { column: string; action: string }[];
}

for (const store of testStores()) {
  describe(`Excel workbook import [${store.name}]`, () => {
    let t: TestInstance;
    let app: FastifyInstance;
    let steward: Persona;
    let book: Buffer;
    beforeAll(async () => {
      t = await createTestInstance(store, { withKeys: true, config: { ingest: { maxWorkbookExpandedBytes: EXPANDED_LIMIT } } });
      app = await buildTestApp(t);
      steward = await createPersona(t.instance, 'steward', { memberships: [{ workspace: 'alpha', role: 'data_steward' }] });
      book = await staysWorkbook();
    });
    afterAll(async () => {
      await app.close();
      await t.cleanup();
      await store.cleanup();
    });

    const upload = (dataset: string, payload: Buffer | string, contentType: string, query = '') =>
      app.inject({
        method: 'POST',
        url: `/api/workspaces/alpha/datasets/${dataset}/imports${query}`,
        headers: { authorization: `Bearer ${steward.token}`, 'content-type': contentType },
        payload,
      });

    const versionsOf = async (dataset: string) => {
      const ds = await t.instance.storage.read.datasets.datasetByName(WS, dataset);
      return ds ? t.instance.storage.read.datasets.versions(ds.id) : [];
    };

    /** Nothing left behind: no version still importing anywhere, and no row or quarantined row for the dataset. */
    const expectNothingKept = async (dataset: string) => {
      expect(await t.instance.storage.read.datasets.versionsWithStatus('importing')).toEqual([]);
      for (const v of await versionsOf(dataset)) {
        expect(v.status).toBe('failed');
        expect(await t.instance.storage.read.datasets.rows(v.id, 0, 10)).toEqual([]);
        expect(await t.instance.storage.read.datasets.quarantine(v.id, 10)).toEqual([]);
      }
    };

    const serverUp = async () => {
      expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
      const ok = await upload('after-bad-input', `id,n\n${Math.random()},1\n`, 'text/csv');
      expect(ok.statusCode, ok.body).toBe(201);
    };

    it('a workbook (formulas with cached values, a date column, a second sheet, a stray cell) imports with the classification of the equivalent CSV', async () => {
      const fromCsv = await upload('stays-csv', staysCsv(), 'text/csv');
      const fromXlsx = await upload('stays-xlsx', book, XLSX);
      expect(fromCsv.statusCode, fromCsv.body).toBe(201);
      expect(fromXlsx.statusCode, fromXlsx.body).toBe(201);
      const csv = fromCsv.json() as Report;
      const xlsx = fromXlsx.json() as Report;
      expect(xlsx.classification).toEqual(csv.classification);
      expect(xlsx.handling).toEqual(csv.handling);
      expect(xlsx).toMatchObject({ rowsRead: 61, rowsStored: 60, rowsQuarantined: 1 });
      expect(csv).toMatchObject({ rowsRead: 61, rowsStored: 60, rowsQuarantined: 1 });
      // The hash is of the content: the workbook's sheet in canonical CSV form is exactly the equivalent CSV.
      expect(xlsx.sha256).toBe(createHash('sha256').update(staysCsv()).digest('hex'));
      expect(xlsx.sha256).toBe(csv.sha256);
      const label = (c: string) => xlsx.classification.find((x) => x.column === c);
      expect(label('First')).toMatchObject({ label: 'direct_identifier', kind: 'name' });
      expect(label('vdate')).toMatchObject({ label: 'direct_identifier', kind: 'date' });
      expect(label('discharged')).toMatchObject({ label: 'direct_identifier', kind: 'date' });
      expect(xlsx.handling.find((h) => h.column === 'Last')?.action).toBe('encrypt');

      const [version] = await versionsOf('stays-xlsx');
      const quarantined = await t.instance.storage.read.datasets.quarantine(version!.id, 10);
      expect(quarantined.map((q) => [q.rowNo, q.line, q.reason])).toEqual([[61, 62, 'HAVEN_XLSX_CELL_OUTSIDE_TABLE']]);
      // The quarantined row's text is stored encrypted, like the CSV path's.
      expect(quarantined[0]!.raw).not.toContain('stray');
      const detail = await app.inject({
        method: 'GET',
        url: '/api/workspaces/alpha/datasets/stays-xlsx/versions/1',
        headers: { authorization: `Bearer ${steward.token}` },
      });
      const schema = (detail.json() as { schema: { name: string; type: string }[] }).schema;
      expect(schema.find((c) => c.name === 'vdate')?.type).toBe('date');
      expect(schema.find((c) => c.name === 'total')?.type).toBe('decimal');
      expect(schema.find((c) => c.name === 'readmitted')?.type).toBe('boolean');
    });

    it('re-importing the workbook, or its equivalent CSV, is detected by the content hash', async () => {
      const again = await upload('stays-xlsx', book, XLSX);
      expect(again.statusCode).toBe(409);
      expect(again.json()).toMatchObject({ error: { code: 'HAVEN_INGEST_DUPLICATE' } });
      const csv = await upload('stays-xlsx', staysCsv(), 'text/csv');
      expect(csv.json()).toMatchObject({ error: { code: 'HAVEN_INGEST_DUPLICATE' } });
    });

    it('imports a named sheet (?sheet=), and the file type is found from the content when sent as octet-stream', async () => {
      const res = await upload('labs', book, 'application/octet-stream', '?sheet=Labs');
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({ rowsRead: 10, rowsStored: 10, rowsQuarantined: 0 });
      expect((res.json() as Report).classification.map((c) => c.column)).toEqual(['sample', 'sodium']);
    });

    it('a missing sheet is a coded 404 that does not echo the name, and nothing is created', async () => {
      const res = await upload('no-sheet', book, XLSX, `?sheet=${encodeURIComponent('Ward 7 Smith')}`);
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ error: { code: 'HAVEN_XLSX_SHEET_NOT_FOUND' } });
      expect(res.body).not.toContain('Smith');
      expect(await t.instance.storage.read.datasets.datasetByName(WS, 'no-sheet')).toBeUndefined();
      await serverUp();
    });

    it.each([
      ['garbage sent as a workbook', () => Buffer.from('eid,First\n1,Ann\n'), XLSX, 400, 'HAVEN_XLSX_NOT_A_WORKBOOK'],
      ['a truncated workbook', (b: Buffer) => b.subarray(0, Math.floor(b.length * 0.7)), XLSX, 400, 'HAVEN_XLSX_CORRUPT'],
      ['a workbook sent as CSV', (b: Buffer) => b, 'text/csv', 415, 'HAVEN_INGEST_CONTENT_MISMATCH'],
      [
        'a ZIP archive that is no workbook',
        () => zipParts([{ name: 'notes.txt', data: Buffer.from('hello') }]),
        'application/octet-stream',
        400,
        'HAVEN_XLSX_NOT_A_WORKBOOK',
      ],
    ])('%s: a coded error, no version left importing, no rows written, the server up', async (_name, make, type, status, code) => {
      const res = await upload('bad-book', make(book), type);
      expect(res.statusCode).toBe(status);
      expect(res.json()).toMatchObject({ error: { code } });
      await expectNothingKept('bad-book');
      expect(await t.instance.storage.read.datasets.datasetByName(WS, 'bad-book')).toBeUndefined();
      await serverUp();
    });

    it('sheet XML that breaks half-way, after rows were stored: the import is withdrawn (version failed, no rows), the server up', async () => {
      // 2,600 rows: the first 2,000 decide the handling policy and are stored before the break at row 2,500.
      const parts = unzipParts(await staysWorkbook(stays(2600)));
      const broken = zipParts(
        parts.map((p) => {
          if (p.name !== 'xl/worksheets/sheet1.xml') {
            return p;
          }
          // Row 2,500 gets a cell with no usable reference: found only when the parser reaches it.
          const xml = p.data.toString('utf8').replace('<c r="A2500"', '<c r="??"');
          expect(xml).toContain('<c r="??"');
          return { name: p.name, data: Buffer.from(xml) };
        }),
      );
      const res = await upload('half-book', broken, XLSX);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ error: { code: 'HAVEN_XLSX_CORRUPT' } });
      const versions = await versionsOf('half-book');
      expect(versions.map((v) => v.status)).toEqual(['failed']);
      await expectNothingKept('half-book');
      await serverUp();
    });

    it('a zip bomb is refused by the decompression limit (413, coded), nothing written', async () => {
      const parts = unzipParts(book);
      const filler = Buffer.alloc(EXPANDED_LIMIT * 2, 0x20);
      const bomb = zipParts(parts.map((p) => (p.name === 'xl/worksheets/sheet1.xml' ? { name: p.name, data: Buffer.concat([p.data, filler]) } : p)));
      expect(bomb.length).toBeLessThan(EXPANDED_LIMIT / 8);
      const res = await upload('bomb-book', bomb, XLSX);
      expect(res.statusCode).toBe(413);
      expect(res.json()).toMatchObject({ error: { code: 'HAVEN_XLSX_EXPANDS_TOO_MUCH' } });
      await expectNothingKept('bomb-book');
      await serverUp();
    });

    it('a macro-enabled workbook with external links and an embedded object imports; those parts are never read', async () => {
      const junk = Buffer.from([0xff, 0xfe, 0xfd, 0x00]);
      const names = ['xl/vbaProject.bin', 'xl/externalLinks/externalLink1.xml', 'xl/embeddings/oleObject1.bin'];
      const xlsm = withParts(
        await staysWorkbook(),
        names.map((name) => ({ name, data: Buffer.from('x') })),
        Object.fromEntries(names.map((name) => [name, { data: junk }])),
      );
      const res = await upload('macro-book', xlsm, XLSM, '?sheet=Labs');
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({ rowsRead: 10, rowsStored: 10 });
    });

    it('?sheet= on a CSV upload is refused, not ignored', async () => {
      const res = await upload('csv-sheet', 'a,b\n1,2\n', 'text/csv', '?sheet=Data');
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ error: { code: 'HAVEN_INGEST_OPTION_NOT_APPLICABLE' } });
      expect(await t.instance.storage.read.datasets.datasetByName(WS, 'csv-sheet')).toBeUndefined();
    });
  });
}
