import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { HavenError } from '../../errors/haven-error.js';
import { DEFAULT_CSV_LIMITS } from '../../libs/formats/csv/index.js';
import { cellText, type CellText, type SheetCellValue, type SheetFormulaResult } from '../../libs/formats/xlsx/cell-text.js';
import { SheetTable, type SheetRow } from '../../libs/formats/xlsx/sheet-table.js';
import type { TabularBatch, TabularSource } from '../../services/ingest/tabular-source.js';
import { collectWorkbook, WorkbookArchive, type WorkbookArchiveLimits } from './workbook-archive.js';

/** How to read a workbook. */
export interface WorkbookReadOptions {
  /** The worksheet to import (matched case-insensitively, as Excel does); absent: the first visible worksheet. */
  readonly sheet?: string | undefined;
  readonly limits: WorkbookArchiveLimits & { readonly maxColumns?: number };
}

/** The fixed part names exceljs's streaming reader looks for. */
const PARTS = {
  workbook: 'xl/workbook.xml',
  rels: 'xl/_rels/workbook.xml.rels',
  styles: 'xl/styles.xml',
  sharedStrings: 'xl/sharedStrings.xml',
  /** The chosen sheet is handed to the parser under this name, whatever its name in the archive. */
  sheet: 'xl/worksheets/sheet1.xml',
} as const;
const EMPTY_SHARED_STRINGS = '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>';
/** Excel's grid: columns A..XFD, rows 1..1,048,576. A reference outside it is damage, not data. */
const MAX_SHEET_COLUMN = 16_384;
const MAX_SHEET_ROW = 1_048_576;
const BATCH_ROWS = 1000;

/** What the streaming reader knows after the workbook part (runtime fields of exceljs 4's WorkbookReader). */
interface ReaderInternals {
  readonly model?: { readonly sheets?: readonly { readonly name?: unknown; readonly rId?: unknown; readonly state?: unknown }[] };
  readonly workbookRels?: readonly { readonly Id?: unknown; readonly Type?: unknown; readonly Target?: unknown; readonly TargetMode?: unknown }[];
  readonly properties?: { readonly model?: { readonly date1904?: unknown } };
}

/** A worksheet listed in the workbook, with the archive part that holds it. */
interface SheetRef {
  readonly name: string;
  readonly visible: boolean;
  /** The part name, or undefined when the entry is not a worksheet held in the archive (a chart sheet, say). */
  readonly part: string | undefined;
}

/**
 * Open an Excel workbook (.xlsx or .xlsm) upload for import: the file is collected (bounded), its ZIP container
 * checked, its worksheet list read and the sheet chosen, all before any row is read; a damaged, oversized or
 * expanding workbook, or a missing sheet, fails here with a coded error. The returned table then streams the sheet's
 * rows through exceljs's streaming reader. Only the workbook, its relationships, styles, shared strings and the chosen
 * sheet are ever decompressed: macros (vbaProject.bin), external links, embedded objects and other sheets are not
 * read, and nothing is fetched or executed. See ADR 0023 for how cells become text and what the hash covers.
 * @param source - the upload bytes
 * @param options - the sheet and the limits
 */
export async function openWorkbook(source: AsyncIterable<Uint8Array>, options: WorkbookReadOptions): Promise<TabularSource> {
  const archive = WorkbookArchive.open(await collectWorkbook(source, options.limits.maxBytes), options.limits);
  if (!archive.has(PARTS.workbook) || !archive.has(PARTS.rels)) {
    throw new HavenError('HAVEN_XLSX_NOT_A_WORKBOOK', undefined, { detail: { reason: 'no_workbook_part' } });
  }
  await archive.verify(
    [
      { name: PARTS.rels, root: 'Relationships' },
      { name: PARTS.workbook, root: 'workbook' },
    ],
    true,
  );
  const sheet = chooseSheet(await listSheets(archive), options.sheet);
  if (!archive.has(sheet)) {
    throw new HavenError('HAVEN_XLSX_CORRUPT', undefined, { detail: { reason: 'missing_sheet_part' } });
  }
  const extras = [
    { name: PARTS.styles, root: 'styleSheet' },
    { name: PARTS.sharedStrings, root: 'sst' },
  ].filter((p) => archive.has(p.name));
  await archive.verify(extras, true);
  await archive.verify([{ name: sheet, root: 'worksheet' }], false);
  return sheetSource(archive, sheet, options.limits.maxColumns ?? DEFAULT_CSV_LIMITS.maxColumns);
}

/** The worksheets in workbook (tab) order, from a pass over just the workbook part and its relationships. */
async function listSheets(archive: WorkbookArchive): Promise<SheetRef[]> {
  const stream = archive.stream([
    { name: PARTS.rels, as: PARTS.rels },
    { name: PARTS.workbook, as: PARTS.workbook },
  ]);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(stream, {
    worksheets: 'ignore',
    sharedStrings: 'ignore',
    styles: 'ignore',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  try {
    for await (const event of reader.parse() as unknown as AsyncIterable<unknown>) {
      void event;
    }
  } catch (err) {
    throw damaged(err);
  } finally {
    stream.destroy();
  }
  const internals = reader as unknown as ReaderInternals;
  const rels = internals.workbookRels ?? [];
  return (internals.model?.sheets ?? []).map((s) => {
    const rel = rels.find((r) => r.Id === s.rId);
    const isSheet = rel !== undefined && typeof rel.Type === 'string' && rel.Type.endsWith('/worksheet') && rel.TargetMode !== 'External';
    return {
      name: typeof s.name === 'string' ? s.name : '',
      visible: s.state !== 'hidden' && s.state !== 'veryHidden',
      part: isSheet && typeof rel.Target === 'string' ? partName(rel.Target) : undefined,
    };
  });
}

/** A relationship target (relative to xl/, or absolute in the package) as a part name; undefined if it leaves the package. */
function partName(target: string): string | undefined {
  const path = target.startsWith('/') ? target.slice(1) : `xl/${target.replace(/^\.\//, '')}`;
  return path.includes('..') || path.includes('\\') ? undefined : path;
}

/** The part of the named worksheet, or of the first visible one. The name never goes into the error. */
function chooseSheet(sheets: readonly SheetRef[], wanted: string | undefined): string {
  if (wanted === undefined) {
    const first = sheets.find((s) => s.visible && s.part !== undefined);
    if (!first?.part) {
      throw new HavenError('HAVEN_XLSX_SHEET_NOT_FOUND', undefined, { detail: { reason: 'no_worksheet' } });
    }
    return first.part;
  }
  const key = wanted.toLowerCase();
  const match = sheets.find((s) => s.name.toLowerCase() === key);
  if (!match) {
    throw new HavenError('HAVEN_XLSX_SHEET_NOT_FOUND', undefined, { detail: { reason: 'no_such_name', sheets: sheets.length } });
  }
  if (!match.part) {
    throw new HavenError('HAVEN_XLSX_SHEET_NOT_FOUND', undefined, { detail: { reason: 'not_a_worksheet' } });
  }
  return match.part;
}

/**
 * The chosen sheet as a table. The parser gets a ZIP stream holding the workbook part, its relationships, styles and
 * shared strings (an empty table when the workbook has none) before the sheet, so it streams the sheet's rows and
 * never spills parts to temporary files. The hash is of the canonical CSV form of the rows read.
 */
function sheetSource(archive: WorkbookArchive, sheet: string, maxColumns: number): TabularSource {
  const hash = createHash('sha256');
  let digest: string | undefined;
  return {
    format: 'xlsx',
    async *batches(): AsyncGenerator<TabularBatch> {
      const table = new SheetTable({ maxColumns });
      const stream = archive.stream([
        { name: PARTS.rels, as: PARTS.rels },
        { name: PARTS.workbook, as: PARTS.workbook },
        ...(archive.has(PARTS.styles) ? [{ name: PARTS.styles, as: PARTS.styles }] : []),
        archive.has(PARTS.sharedStrings) ? { name: PARTS.sharedStrings, as: PARTS.sharedStrings } : { as: PARTS.sharedStrings, text: EMPTY_SHARED_STRINGS },
        { name: sheet, as: PARTS.sheet },
      ]);
      try {
        let pending = 0;
        for await (const row of sheetRows(stream)) {
          const line = table.push(row);
          if (line !== undefined) {
            hash.update(line);
            if (++pending >= BATCH_ROWS) {
              pending = 0;
              yield { header: table.header, ...table.drain() };
            }
          }
        }
        table.end();
      } finally {
        stream.destroy();
      }
      digest = hash.digest('hex');
      yield { header: table.header, ...table.drain() };
    },
    sha256() {
      if (digest === undefined) {
        throw new HavenError('HAVEN_USAGE', 'sha256 before the end of the source');
      }
      return digest;
    },
  };
}

/** The rows of the one worksheet in a prepared ZIP stream, as row numbers and cell texts; parser failures are coded. */
async function* sheetRows(stream: Readable): AsyncGenerator<SheetRow> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(stream, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  try {
    for await (const worksheet of reader) {
      const date1904 = (reader as unknown as ReaderInternals).properties?.model?.date1904 === true;
      for await (const row of worksheet) {
        yield toSheetRow(row, date1904);
      }
    }
  } catch (err) {
    throw damaged(err);
  }
}

function toSheetRow(row: ExcelJS.Row, date1904: boolean): SheetRow {
  if (!Number.isInteger(row.number) || row.number < 1 || row.number > MAX_SHEET_ROW) {
    throw new HavenError('HAVEN_XLSX_CORRUPT', undefined, { detail: { reason: 'row_reference' } });
  }
  const cells: (readonly [number, CellText])[] = [];
  row.eachCell({ includeEmpty: false }, (cell, col) => {
    if (!Number.isInteger(col) || col < 1 || col > MAX_SHEET_COLUMN) {
      throw new HavenError('HAVEN_XLSX_CORRUPT', undefined, { detail: { reason: 'cell_reference', row: row.number } });
    }
    cells.push([col, cellText(cellValue(cell), cell.numFmt || undefined, date1904)]);
  });
  return { number: row.number, cells };
}

/**
 * A cell's value in the shapes cellText reads. Formula cells are read through `result`, not `value`: exceljs drops
 * falsy results (0, '', FALSE) from `value`, which would turn a cached 0 into a missing value.
 */
function cellValue(cell: ExcelJS.Cell): SheetCellValue {
  if (cell.type === ExcelJS.ValueType.Formula) {
    return { formula: cell.formula, result: cell.result as SheetFormulaResult };
  }
  return cell.value as SheetCellValue;
}

/** Any failure of the parser as a coded error; its message (which may quote cell text) is kept only as the cause. */
function damaged(err: unknown): HavenError {
  return err instanceof HavenError ? err : new HavenError('HAVEN_XLSX_CORRUPT', undefined, { cause: err, detail: { reason: 'parse' } });
}
