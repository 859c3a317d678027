import { HavenError } from '../../../errors/haven-error.js';
import type { CsvRecord } from '../csv/csv-reader.js';
import { formatCsvRecord } from '../csv/csv-writer.js';
import type { CellText } from './cell-text.js';

/** One worksheet row: its row number in the sheet and its non-empty cells by column number (1 = column A). */
export interface SheetRow {
  readonly number: number;
  readonly cells: readonly (readonly [column: number, cell: CellText])[];
}

/** Why a worksheet row was quarantined. */
export type SheetRowRejectCode = 'HAVEN_XLSX_ERROR_CELL' | 'HAVEN_XLSX_CELL_OUTSIDE_TABLE';

/**
 * A quarantined worksheet row: where it was, why, and its cells as one CSV line so nothing is lost.
 * `raw` is data (it may hold PHI): store it like accepted rows, never log it or put it in an error.
 */
export interface SheetRejectedRow {
  readonly row: number;
  /** The row number in the sheet (as Excel shows it). */
  readonly line: number;
  readonly code: SheetRowRejectCode;
  readonly raw: string;
}

/** Rows completed since the last {@link SheetTable.drain}. */
export interface SheetBatch {
  readonly records: CsvRecord[];
  readonly rejected: SheetRejectedRow[];
}

/** Options of the canonical CSV form: RFC 4180 quoting, LF line ends, cells exactly as imported. */
const CANONICAL = { neutraliseFormulas: false, lineEnding: '\n' } as const;

/**
 * Turns worksheet rows into the table Haven imports, the way the CSV reader does for lines:
 * the first non-empty row is the header (names trimmed; empty, duplicate — case-insensitively — or error names are
 * fatal), spanning from its first to its last non-empty cell. Later rows give one field per header column ('' when
 * empty); wholly empty rows are skipped. A row holding an error value, or a value in a column outside the header's
 * span, is rejected for quarantine. Every row, header included, also has a canonical CSV line (see {@link push})
 * from which the importer hashes the content.
 */
export class SheetTable {
  /** The header, once read. */
  header: readonly string[] | undefined;
  private first = 0;
  private last = 0;
  private rows = 0;
  private out: { records: CsvRecord[]; rejected: SheetRejectedRow[] } = { records: [], rejected: [] };

  /** @param limits - the most columns the header may span */
  constructor(private readonly limits: { readonly maxColumns: number }) {}

  /**
   * Take the next worksheet row (rows must come in sheet order).
   * @param row - its number and non-empty cells
   * @returns the row as a canonical CSV line (for the content hash), or undefined for a row with no value
   */
  push(row: SheetRow): string | undefined {
    const cells = row.cells.filter(([, c]) => c.text !== '' || c.error);
    if (cells.length === 0) {
      return undefined;
    }
    if (this.header === undefined) {
      return this.readHeader(cells);
    }
    let lo = this.first;
    let hi = this.last;
    let outside = false;
    let error = false;
    for (const [col, c] of cells) {
      outside ||= col < this.first || col > this.last;
      error ||= c.error;
      lo = Math.min(lo, col);
      hi = Math.max(hi, col);
    }
    const fields = spread(cells, lo, hi);
    const line = formatCsvRecord(fields, CANONICAL);
    const rowNo = ++this.rows;
    if (outside || error) {
      const code = outside ? 'HAVEN_XLSX_CELL_OUTSIDE_TABLE' : 'HAVEN_XLSX_ERROR_CELL';
      this.out.rejected.push({ row: rowNo, line: row.number, code, raw: line.slice(0, -1) });
    } else {
      this.out.records.push({ row: rowNo, line: row.number, fields });
    }
    return line;
  }

  /** The rows completed since the last call. */
  drain(): SheetBatch {
    const batch = this.out;
    this.out = { records: [], rejected: [] };
    return batch;
  }

  /** Check the sheet had a header and at least one data row (quarantined rows count). */
  end(): void {
    if (this.header === undefined) {
      throw new HavenError('HAVEN_XLSX_EMPTY_SHEET');
    }
    if (this.rows === 0) {
      throw new HavenError('HAVEN_XLSX_NO_ROWS', undefined, { detail: { columns: this.header.length } });
    }
  }

  private readHeader(cells: readonly (readonly [number, CellText])[]): string {
    const cols = cells.map(([col]) => col);
    this.first = Math.min(...cols);
    this.last = Math.max(...cols);
    if (this.last - this.first + 1 > this.limits.maxColumns) {
      throw new HavenError('HAVEN_XLSX_TOO_MANY_COLUMNS', undefined, { detail: { limit: this.limits.maxColumns } });
    }
    const bad = cells.find(([, c]) => c.error);
    if (bad) {
      throw new HavenError('HAVEN_XLSX_BAD_HEADER', undefined, { detail: { column: bad[0], reason: 'error_value' } });
    }
    const names = spread(cells, this.first, this.last).map((n) => n.trim());
    const seen = new Map<string, number>();
    names.forEach((name, k) => {
      // Details give sheet column numbers (1 = A), never names: a sheet without a header would put data here.
      if (name === '') {
        throw new HavenError('HAVEN_XLSX_BAD_HEADER', undefined, { detail: { column: this.first + k, reason: 'empty' } });
      }
      const first = seen.get(name.toLowerCase());
      if (first !== undefined) {
        throw new HavenError('HAVEN_XLSX_BAD_HEADER', undefined, { detail: { column: this.first + k, firstColumn: this.first + first, reason: 'duplicate' } });
      }
      seen.set(name.toLowerCase(), k);
    });
    this.header = names;
    return formatCsvRecord(names, CANONICAL);
  }
}

/** Cells laid out as fields for columns lo..hi ('' where a column has no cell). */
function spread(cells: readonly (readonly [number, CellText])[], lo: number, hi: number): string[] {
  const fields = new Array<string>(hi - lo + 1).fill('');
  for (const [col, c] of cells) {
    fields[col - lo] = c.text;
  }
  return fields;
}
