import { Buffer } from 'node:buffer';
import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { readZipDirectory } from '../../src/libs/formats/xlsx/zip-directory.js';
import { layOutZip, type ZipWriteEntry } from '../../src/libs/formats/xlsx/zip-writer.js';

/** One length-of-stay row of the test workbook, in JavaScript values. */
interface StayRow {
  readonly eid: number;
  readonly first: string;
  readonly last: string;
  readonly vdate: Date;
  readonly los: number;
  readonly hematocrit: number;
  readonly glucose: number;
  readonly facility: string;
  readonly readmitted: boolean;
}

const FIRST = ['James', 'Mary', 'John', 'Patricia', 'Robert', 'Jennifer', 'Michael', 'Linda', 'William', 'Elizabeth'];
const LAST = ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez'];
const FACILITIES = ['A', 'B', 'North, Wing "C"', 'D'];
const MS_PER_DAY = 86_400_000;
const EXCEL_EPOCH_DAYS = 25_569;

/** The stays of the test workbook: deterministic, with common names so the name detector fires. */
export function stays(n = 60): StayRow[] {
  return Array.from({ length: n }, (_, i) => ({
    eid: 1000 + i * 7,
    first: FIRST[i % FIRST.length]!,
    last: LAST[(i * 3) % LAST.length]!,
    vdate: new Date(Date.UTC(2012, i % 12, 1 + (i % 27))),
    los: 1 + (i % 9),
    hematocrit: 10 + (i % 7) + 0.5,
    // Binary noise on purpose: 0.1 + 0.2 style sums must read as Excel shows them.
    glucose: 100 + (i % 11) * 0.1 + 0.2,
    facility: FACILITIES[i % FACILITIES.length]!,
    readmitted: i % 5 === 0,
  }));
}

const HEADER = ['eid', 'First', 'Last', 'vdate', 'lengthofstay', 'discharged', 'hematocrit', 'glucose', 'total', 'facility', 'readmitted'];

function excelSerial(d: Date): number {
  return EXCEL_EPOCH_DAYS + d.getTime() / MS_PER_DAY;
}

function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** Excel's 15 significant digits, shortest form (what Haven writes for a number cell). */
function excelNumber(n: number): string {
  return String(Number(n.toPrecision(15)));
}

/**
 * The stays workbook: sheet "Stays" (first) with a date column, a formula giving a date (discharged = vdate + length
 * of stay) and a formula giving a number (total, one of which is a cached 0), then one bad row with a value in a
 * column that has no header; a second sheet "Labs" with other columns; cached results are set as Excel would.
 * @param rows - the stays
 */
export async function staysWorkbook(rows: readonly StayRow[] = stays()): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Stays');
  ws.addRow(HEADER);
  rows.forEach((r, i) => {
    const n = i + 2;
    const total = i === 3 ? 0 : r.hematocrit + r.glucose;
    const row = ws.addRow([
      r.eid,
      r.first,
      r.last,
      r.vdate,
      r.los,
      { formula: `D${n}+E${n}`, result: excelSerial(r.vdate) + r.los },
      r.hematocrit,
      r.glucose,
      { formula: i === 3 ? `G${n}-G${n}` : `G${n}+H${n}`, result: total },
      r.facility,
      r.readmitted,
    ]);
    row.getCell(4).numFmt = 'm/d/yyyy';
    row.getCell(6).numFmt = 'yyyy-mm-dd';
  });
  // The bad row: a complete row plus a value in column L, which has no header.
  const bad = rows[0]!;
  ws.addRow([
    9999,
    bad.first,
    bad.last,
    bad.vdate,
    1,
    { formula: 'D1+E1', result: excelSerial(bad.vdate) + 1 },
    1,
    2,
    { formula: 'G1+H1', result: 3 },
    'A',
    false,
    'stray',
  ]);
  ws.lastRow!.getCell(4).numFmt = 'm/d/yyyy';
  ws.lastRow!.getCell(6).numFmt = 'yyyy-mm-dd';
  const labs = wb.addWorksheet('Labs');
  labs.addRow(['sample', 'sodium']);
  for (let i = 0; i < 10; i++) {
    labs.addRow([`S${i}`, 135 + i]);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/**
 * The CSV a careful person would write for {@link staysWorkbook}'s first sheet: ISO dates, numbers as Excel shows
 * them, TRUE/FALSE, RFC 4180 quoting, LF line ends; the bad row has one field too many.
 * @param rows - the stays
 */
export function staysCsv(rows: readonly StayRow[] = stays()): string {
  const q = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  const lines = [HEADER.join(',')];
  rows.forEach((r, i) => {
    const discharged = new Date(r.vdate.getTime() + r.los * MS_PER_DAY);
    const total = i === 3 ? 0 : r.hematocrit + r.glucose;
    const fields = [
      String(r.eid),
      r.first,
      r.last,
      isoDay(r.vdate),
      String(r.los),
      isoDay(discharged),
      excelNumber(r.hematocrit),
      excelNumber(r.glucose),
      excelNumber(total),
      r.facility,
      r.readmitted ? 'TRUE' : 'FALSE',
    ];
    lines.push(fields.map(q).join(','));
  });
  const bad = rows[0]!;
  const badDischarged = new Date(bad.vdate.getTime() + MS_PER_DAY);
  lines.push(['9999', bad.first, bad.last, isoDay(bad.vdate), '1', isoDay(badDischarged), '1', '2', '3', 'A', 'FALSE', 'stray'].map(q).join(','));
  return `${lines.join('\n')}\n`;
}

/** A workbook part as plain bytes. */
export interface Part {
  readonly name: string;
  readonly data: Buffer;
}

/**
 * The parts of a ZIP archive, decompressed (test fixtures only: no limits).
 * @param zip - the archive
 */
export function unzipParts(zip: Buffer): Part[] {
  return readZipDirectory(zip, { maxEntries: 10_000 }).map((e) => {
    const raw = zip.subarray(e.dataOffset, e.dataOffset + e.compressedSize);
    return { name: e.name, data: e.method === 8 ? inflateRawSync(raw) : Buffer.from(raw) };
  });
}

/**
 * A ZIP archive of parts, deflated.
 * @param parts - the parts, in order
 * @param overrides - per part name, fields to write instead of the true ones (to forge a lying directory)
 */
export function zipParts(parts: readonly Part[], overrides: Readonly<Record<string, Partial<ZipWriteEntry>>> = {}): Buffer {
  const entries = parts.map((p): ZipWriteEntry => ({
    name: p.name,
    method: 8,
    crc32: crc32(p.data),
    uncompressedSize: p.data.length,
    data: deflateRawSync(p.data),
    ...overrides[p.name],
  }));
  return Buffer.concat(layOutZip(entries));
}

/**
 * A workbook with parts added or replaced (macros, external links, embedded objects, a bomb).
 * @param xlsx - the original workbook
 * @param extra - parts to add (or replace, by name)
 * @param overrides - as for {@link zipParts}
 */
export function withParts(xlsx: Buffer, extra: readonly Part[], overrides: Readonly<Record<string, Partial<ZipWriteEntry>>> = {}): Buffer {
  const names = new Set(extra.map((p) => p.name));
  return zipParts([...unzipParts(xlsx).filter((p) => !names.has(p.name)), ...extra], overrides);
}
