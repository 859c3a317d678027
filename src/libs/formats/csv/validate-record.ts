import { HavenError } from '../../../errors/haven-error.js';
import { parseDate, type DateFormat } from './date-parse.js';
import { numberShape, type ColumnType } from './schema-infer.js';

/** One declared column: what each cell must be. */
export interface DeclaredColumn {
  readonly name: string;
  readonly type: Exclude<ColumnType, 'empty'>;
  /** An empty cell is a HAVEN_CSV_MISSING_REQUIRED rejection (default false: empty is null). */
  readonly required?: boolean;
  /** Inclusive range: numbers for integer/decimal, `YYYY-MM-DD` strings for dates. */
  readonly min?: number | string;
  readonly max?: number | string;
  /** Date format of the cells (default YYYY-MM-DD for date, ISO-DATETIME for datetime). */
  readonly dateFormat?: DateFormat;
  /** Allowed levels of a categorical column. */
  readonly categories?: readonly string[];
}

/** A declared schema: the columns in file order. */
export interface DeclaredSchema {
  readonly columns: readonly DeclaredColumn[];
}

/** A typed cell: dates become `YYYY-MM-DD` strings, empty cells null. */
export type TypedValue = string | number | boolean | null;

/** Per-row reasons a record fails a declared schema. */
export type RecordRejectCode = 'HAVEN_CSV_TYPE_MISMATCH' | 'HAVEN_CSV_OUT_OF_RANGE' | 'HAVEN_CSV_MISSING_REQUIRED' | 'HAVEN_CSV_COLUMN_COUNT';

/** The outcome for one record: typed values, or the first failing column (1-based) and why. */
export type RecordValidation =
  | { readonly ok: true; readonly values: TypedValue[] }
  | { readonly ok: false; readonly code: RecordRejectCode; readonly column: number };

const TRUE_WORDS = new Set(['true', 'yes', 't', 'y', '1']);
const FALSE_WORDS = new Set(['false', 'no', 'f', 'n', '0']);

/**
 * Check that a file's header matches a declared schema (same names, same order, case-insensitive).
 * @param header - the header read from the file
 * @param schema - the declared schema
 * @throws HavenError HAVEN_CSV_SCHEMA_MISMATCH with the first differing column position
 */
export function checkHeaderAgainstSchema(header: readonly string[], schema: DeclaredSchema): void {
  const n = Math.max(header.length, schema.columns.length);
  for (let k = 0; k < n; k++) {
    if (header[k]?.toLowerCase() !== schema.columns[k]?.name.toLowerCase()) {
      throw new HavenError('HAVEN_CSV_SCHEMA_MISMATCH', undefined, { detail: { column: k + 1, expectedColumns: schema.columns.length, columns: header.length } });
    }
  }
}

/**
 * Enforce a declared schema on one record. Never throws on bad cells: the row is rejected with a
 * code and the column position (the cell value is never returned in the reason).
 * @param record - the record's fields
 * @param schema - the declared schema
 * @returns typed values, or the reason for rejection
 */
export function validateRecord(record: readonly string[], schema: DeclaredSchema): RecordValidation {
  const cols = schema.columns;
  if (record.length !== cols.length) {
    return { ok: false, code: 'HAVEN_CSV_COLUMN_COUNT', column: Math.min(record.length, cols.length) + 1 };
  }
  const values: TypedValue[] = new Array<TypedValue>(cols.length);
  for (let k = 0; k < cols.length; k++) {
    const col = cols[k]!;
    const v = record[k]!;
    if (v === '') {
      if (col.required === true) {
        return { ok: false, code: 'HAVEN_CSV_MISSING_REQUIRED', column: k + 1 };
      }
      values[k] = null;
      continue;
    }
    const typed = convert(v, col);
    if (typed === undefined) {
      return { ok: false, code: 'HAVEN_CSV_TYPE_MISMATCH', column: k + 1 };
    }
    if ((col.min !== undefined && (typed as number | string) < col.min) || (col.max !== undefined && (typed as number | string) > col.max)) {
      return { ok: false, code: 'HAVEN_CSV_OUT_OF_RANGE', column: k + 1 };
    }
    values[k] = typed;
  }
  return { ok: true, values };
}

/** Convert one non-empty cell, or undefined when it is not of the column's type. */
function convert(v: string, col: DeclaredColumn): TypedValue | undefined {
  switch (col.type) {
    case 'integer': {
      const x = Number(v);
      return numberShape(v) === 1 && Number.isSafeInteger(x) ? x : undefined;
    }
    case 'decimal': {
      const x = Number(v);
      return numberShape(v) !== 0 && Number.isFinite(x) ? x : undefined;
    }
    case 'boolean': {
      const w = v.toLowerCase();
      return TRUE_WORDS.has(w) ? true : FALSE_WORDS.has(w) ? false : undefined;
    }
    case 'date':
      return parseDate(v, col.dateFormat ?? 'YYYY-MM-DD');
    case 'datetime':
      return parseDate(v, col.dateFormat ?? 'ISO-DATETIME');
    case 'categorical':
      return col.categories === undefined || col.categories.includes(v) ? v : undefined;
    case 'text':
      return v;
  }
}
