import { createHash } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { HavenError } from '../../errors/haven-error.js';
import { parseCsv } from '../../libs/formats/csv/index.js';
import type { TabularBatch } from '../../services/ingest/tabular-source.js';
import { staysCsv, staysWorkbook, unzipParts, withParts, zipParts } from '../../../test/helpers/workbooks.js';
import { openWorkbook, type WorkbookReadOptions } from './xlsx-reader.js';

const LIMITS = { maxBytes: 64 * 1024 * 1024, maxExpandedBytes: 256 * 1024 * 1024 };

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

async function readAll(bytes: Buffer, options: Partial<WorkbookReadOptions> = {}) {
  const source = await openWorkbook(once(bytes), { limits: LIMITS, ...options });
  const batches: TabularBatch[] = [];
  for await (const b of source.batches()) {
    batches.push(b);
  }
  return {
    header: batches.at(-1)!.header,
    records: batches.flatMap((b) => b.records),
    rejected: batches.flatMap((b) => b.rejected),
    sha256: source.sha256(),
  };
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(HavenError);
    return (err as HavenError).code;
  }
  throw new Error('expected a HavenError');
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

describe('openWorkbook', () => {
  it('reads the first sheet as the equivalent CSV reads: same header, same fields, the stray cell quarantined, the same hash', async () => {
    const got = await readAll(await staysWorkbook());
    const csv = parseCsv(Buffer.from(staysCsv()));
    expect(got.header).toEqual(csv.summary.header);
    expect(got.records.map((r) => r.fields)).toEqual(csv.records.map((r) => r.fields));
    expect(got.rejected).toHaveLength(1);
    expect(got.rejected[0]).toMatchObject({ code: 'HAVEN_XLSX_CELL_OUTSIDE_TABLE', row: 61, line: 62 });
    expect(csv.rejected).toHaveLength(1);
    expect(got.sha256).toBe(sha256(staysCsv()));
  });

  it('takes formula cells as their cached values, a cached 0 included, and dates as ISO days', async () => {
    const got = await readAll(await staysWorkbook());
    const row4 = got.records[3]!.fields;
    expect(row4[8]).toBe('0');
    expect(got.records[0]!.fields.slice(3, 6)).toEqual(['2012-01-01', '1', '2012-01-02']);
    expect(got.records[0]!.fields[7]).toBe('100.2');
  });

  it('reads a named sheet, matched case-insensitively', async () => {
    const got = await readAll(await staysWorkbook(), { sheet: 'labs' });
    expect(got.header).toEqual(['sample', 'sodium']);
    expect(got.records).toHaveLength(10);
  });

  it('a missing sheet is a coded error, and the name is not echoed', async () => {
    const err = await openWorkbook(once(await staysWorkbook()), { limits: LIMITS, sheet: 'Secret Patient List' }).catch((e: unknown) => e as HavenError);
    expect(err).toBeInstanceOf(HavenError);
    expect((err as HavenError).code).toBe('HAVEN_XLSX_SHEET_NOT_FOUND');
    expect(JSON.stringify({ m: (err as HavenError).message, d: (err as HavenError).detail })).not.toContain('Secret');
  });

  it('the first visible sheet is the default: a hidden first sheet is skipped', async () => {
    const wb = new ExcelJS.Workbook();
    const hidden = wb.addWorksheet('Lookup', { state: 'hidden' });
    hidden.addRow(['code']);
    hidden.addRow(['x']);
    const shown = wb.addWorksheet('Data');
    shown.addRow(['id', 'value']);
    shown.addRow([1, 'a']);
    const got = await readAll(Buffer.from(await wb.xlsx.writeBuffer()));
    expect(got.header).toEqual(['id', 'value']);
  });

  it('a workbook in the 1904 date system (old Mac Excel) gives the same days, for plain dates and formula results', async () => {
    const wb = new ExcelJS.Workbook();
    wb.properties.date1904 = true;
    const ws = wb.addWorksheet('S');
    ws.addRow(['admitted', 'discharged']);
    // 39688 is 2012-08-29 counted from 1904-01-01; the formula's cached result is a serial in the same system.
    ws.addRow([new Date(Date.UTC(2012, 7, 29)), { formula: 'A2+2', result: 39690 }]);
    ws.getCell('A2').numFmt = 'yyyy-mm-dd';
    ws.getCell('B2').numFmt = 'yyyy-mm-dd';
    const got = await readAll(Buffer.from(await wb.xlsx.writeBuffer()));
    expect(got.records[0]!.fields).toEqual(['2012-08-29', '2012-08-31']);
  });

  it('error values send the row to quarantine (a plain #N/A and a formula whose cached result is an error)', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('S');
    ws.addRow(['id', 'value']);
    ws.addRow([1, { error: '#N/A' }]);
    ws.addRow([2, { formula: '1/0', result: { error: '#DIV/0!' } }]);
    ws.addRow([3, 'fine']);
    const got = await readAll(Buffer.from(await wb.xlsx.writeBuffer()));
    expect(got.rejected.map((r) => [r.line, r.code])).toEqual([
      [2, 'HAVEN_XLSX_ERROR_CELL'],
      [3, 'HAVEN_XLSX_ERROR_CELL'],
    ]);
    expect(got.records.map((r) => r.fields)).toEqual([['3', 'fine']]);
  });

  it('ignores macros, external links and embedded objects: the parts are never decompressed (garbage there changes nothing)', async () => {
    const base = await staysWorkbook();
    const expected = await readAll(base);
    // Parts a careless reader would open, whose bytes are not even valid deflate data: inflating any fails.
    const junk = Buffer.from([0xff, 0xff, 0xff, 0xff, 0x00, 0x13, 0x37]);
    const names = ['xl/vbaProject.bin', 'xl/externalLinks/externalLink1.xml', 'xl/externalLinks/_rels/externalLink1.xml.rels', 'xl/embeddings/oleObject1.bin'];
    const link = '<Relationships><Relationship Id="rId1" Type="x" Target="https://127.0.0.1:1/book.xlsx" TargetMode="External"/></Relationships>';
    const broken = withParts(
      base,
      names.map((name) => ({ name, data: Buffer.from(link) })),
      Object.fromEntries(names.map((name) => [name, { data: junk }])),
    );
    const got = await readAll(broken);
    expect(got.records.map((r) => r.fields)).toEqual(expected.records.map((r) => r.fields));
    expect(got.sha256).toBe(expected.sha256);
  });

  it('a formula on an external workbook gives its cached value, and the link is never fetched', async () => {
    let connections = 0;
    const server = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('S');
      ws.addRow(['id', 'remote']);
      ws.addRow([1, { formula: '[1]Sheet1!A1', result: 42 }]);
      const parts = unzipParts(Buffer.from(await wb.xlsx.writeBuffer()));
      const target = `http://127.0.0.1:${port}/other.xlsx`;
      const edited = parts.map((p) => {
        const xml = p.data.toString('utf8');
        if (p.name === 'xl/_rels/workbook.xml.rels') {
          const rel =
            '<Relationship Id="rIdExt" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/externalLink" Target="externalLinks/externalLink1.xml"/>';
          return { name: p.name, data: Buffer.from(xml.replace('</Relationships>', `${rel}</Relationships>`)) };
        }
        if (p.name === 'xl/workbook.xml') {
          return {
            name: p.name,
            data: Buffer.from(xml.replace('</sheets>', '</sheets><externalReferences><externalReference r:id="rIdExt"/></externalReferences>')),
          };
        }
        return p;
      });
      const link = `<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><externalBook r:id="rId1"><sheetNames><sheetName val="Sheet1"/></sheetNames></externalBook></externalLink>`;
      const linkRels = `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/externalLinkPath" Target="${target}" TargetMode="External"/></Relationships>`;
      const book = zipParts([
        ...edited,
        { name: 'xl/externalLinks/externalLink1.xml', data: Buffer.from(link) },
        { name: 'xl/externalLinks/_rels/externalLink1.xml.rels', data: Buffer.from(linkRels) },
      ]);
      const got = await readAll(book);
      expect(got.records.map((r) => r.fields)).toEqual([['1', '42']]);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(connections).toBe(0);
    } finally {
      server.close();
    }
  });

  it('garbage, an empty upload and a truncated workbook are coded errors', async () => {
    const book = await staysWorkbook();
    expect(await codeOf(readAll(Buffer.from('just some text, not a workbook')))).toBe('HAVEN_XLSX_NOT_A_WORKBOOK');
    expect(await codeOf(readAll(Buffer.alloc(0)))).toBe('HAVEN_XLSX_NOT_A_WORKBOOK');
    expect(await codeOf(readAll(book.subarray(0, Math.floor(book.length / 2))))).toBe('HAVEN_XLSX_CORRUPT');
    expect(await codeOf(readAll(book.subarray(0, book.length - 1)))).toBe('HAVEN_XLSX_CORRUPT');
  });

  it('a ZIP that is not a workbook is refused', async () => {
    expect(await codeOf(readAll(zipParts([{ name: 'readme.txt', data: Buffer.from('hello') }])))).toBe('HAVEN_XLSX_NOT_A_WORKBOOK');
  });

  it('damaged sheet data is caught by the CRC check before any row is read', async () => {
    const parts = unzipParts(await staysWorkbook());
    const sheet = parts.find((p) => p.name === 'xl/worksheets/sheet1.xml')!;
    const book = zipParts(parts, { 'xl/worksheets/sheet1.xml': { crc32: 12345 } });
    expect(sheet.data.length).toBeGreaterThan(0);
    await expect(openWorkbook(once(book), { limits: LIMITS })).rejects.toMatchObject({ code: 'HAVEN_XLSX_CORRUPT' });
  });

  it('malformed sheet XML fails while reading with a coded error, never a crash', async () => {
    const parts = unzipParts(await staysWorkbook());
    const book = zipParts(
      parts.map((p) =>
        p.name === 'xl/worksheets/sheet1.xml'
          ? { name: p.name, data: Buffer.from(p.data.toString('utf8').replace('</sheetData>', '<row r="x"><c r="??"><v>1</c></sheetData>')) }
          : p,
      ),
    );
    expect(await codeOf(readAll(book))).toBe('HAVEN_XLSX_CORRUPT');
  });

  it('sheet XML cut short after a row (a valid ZIP entry, a truncated document) is refused, not read as a shorter sheet', async () => {
    const parts = unzipParts(await staysWorkbook());
    const cut = (p: { name: string; data: Buffer }) => {
      const xml = p.data.toString('utf8');
      return { name: p.name, data: Buffer.from(xml.slice(0, xml.indexOf('</row>') + '</row>'.length)) };
    };
    expect(await codeOf(readAll(zipParts(parts.map((p) => (p.name === 'xl/worksheets/sheet1.xml' ? cut(p) : p)))))).toBe('HAVEN_XLSX_CORRUPT');
    const strings = parts.map((p) => (p.name === 'xl/sharedStrings.xml' ? { name: p.name, data: p.data.subarray(0, p.data.length - 10) } : p));
    expect(await codeOf(readAll(zipParts(strings)))).toBe('HAVEN_XLSX_CORRUPT');
  });

  it('a part whose directory understates its size (a bomb in disguise) is refused after its declared size', async () => {
    const parts = unzipParts(await staysWorkbook());
    const sheet = parts.find((p) => p.name === 'xl/worksheets/sheet1.xml')!;
    const book = zipParts(parts, { 'xl/worksheets/sheet1.xml': { uncompressedSize: 100 } });
    expect(sheet.data.length).toBeGreaterThan(100);
    expect(await codeOf(readAll(book))).toBe('HAVEN_XLSX_CORRUPT');
  });

  it('a zip bomb is refused by the expansion limit before it is inflated; an oversized file by the size limit', async () => {
    const parts = unzipParts(await staysWorkbook());
    const filler = Buffer.alloc(8 * 1024 * 1024, 0x20);
    const bomb = zipParts(parts.map((p) => (p.name === 'xl/sharedStrings.xml' ? { name: p.name, data: Buffer.concat([p.data, filler]) } : p)));
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const small = { maxBytes: LIMITS.maxBytes, maxExpandedBytes: 4 * 1024 * 1024 };
    await expect(openWorkbook(once(bomb), { limits: small })).rejects.toMatchObject({ code: 'HAVEN_XLSX_EXPANDS_TOO_MUCH' });
    await expect(openWorkbook(once(bomb), { limits: { maxBytes: 4096, maxExpandedBytes: LIMITS.maxExpandedBytes } })).rejects.toMatchObject({
      code: 'HAVEN_XLSX_TOO_LARGE',
    });
  });

  it('a sheet with only a header, or nothing at all, is a coded error', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Empty');
    wb.addWorksheet('HeaderOnly').addRow(['a', 'b']);
    const book = Buffer.from(await wb.xlsx.writeBuffer());
    expect(await codeOf(readAll(book))).toBe('HAVEN_XLSX_EMPTY_SHEET');
    expect(await codeOf(readAll(book, { sheet: 'HeaderOnly' }))).toBe('HAVEN_XLSX_NO_ROWS');
  });

  it('a DOCTYPE with entities (billion laughs, external entities) is refused, never expanded or fetched', async () => {
    const parts = unzipParts(await staysWorkbook());
    const evil =
      '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY ext SYSTEM "https://127.0.0.1:1/x">]>';
    const book = zipParts(
      parts.map((p) =>
        p.name === 'xl/worksheets/sheet1.xml'
          ? {
              name: p.name,
              data: Buffer.from(
                p.data
                  .toString('utf8')
                  .replace(/^<\?xml[^>]*\?>/, evil)
                  .replace('<v>0</v>', '<v>&b;&ext;</v>'),
              ),
            }
          : p,
      ),
    );
    expect(await codeOf(readAll(book))).toBe('HAVEN_XLSX_CORRUPT');
  });
});
