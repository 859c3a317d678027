import { HavenError } from '../../errors/haven-error.js';
import { isCalendarDay } from '../../libs/formats/csv/date-parse.js';
import type { DateFormat, DeclaredColumn, DeclaredSchema } from '../../libs/formats/csv/index.js';

/** Most columns a declared schema may list (the CSV reader's own column limit is larger; a schema this wide is a mistake). */
export const MAX_DECLARED_COLUMNS = 2000;
const MAX_NAME_LENGTH = 256;
const MAX_CATEGORIES = 1000;
const MAX_CATEGORY_LENGTH = 256;
const TYPES = ['integer', 'decimal', 'boolean', 'date', 'datetime', 'categorical', 'text'] as const;
const DATE_FORMATS: readonly DateFormat[] = ['YYYY-MM-DD', 'M/D/YYYY', 'D/M/YYYY', 'ISO-DATETIME'];
const FIELDS = new Set(['name', 'type', 'nullable', 'min', 'max', 'dateFormat', 'categories']);
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The failure of one schema check: which column (1-based, 0 for the whole schema) and which field, never a value. */
function invalid(column: number, field: string): HavenError {
  return new HavenError('HAVEN_INGEST_SCHEMA_INVALID', undefined, { detail: { column, field } });
}

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

function bound(x: unknown, type: DeclaredColumn['type'], k: number, field: 'min' | 'max'): number | string | undefined {
  if (x === undefined) {
    return undefined;
  }
  if (type === 'integer' || type === 'decimal') {
    if (typeof x !== 'number' || !Number.isFinite(x) || (type === 'integer' && !Number.isSafeInteger(x))) {
      throw invalid(k, field);
    }
    return x;
  }
  if (type === 'date') {
    const m = typeof x === 'string' ? ISO_DAY.exec(x) : null;
    if (!m || !isCalendarDay(Number(m[1]), Number(m[2]), Number(m[3]))) {
      throw invalid(k, field);
    }
    return x as string;
  }
  // Ranges apply to numbers and dates only.
  throw invalid(k, field);
}

function column(raw: unknown, k: number, seen: Set<string>): DeclaredColumn {
  if (!isRecord(raw)) {
    throw invalid(k, 'column');
  }
  for (const f of Object.keys(raw)) {
    if (!FIELDS.has(f)) {
      throw invalid(k, 'unknown_field');
    }
  }
  const name = raw.name;
  if (typeof name !== 'string' || name.trim() === '' || name.length > MAX_NAME_LENGTH) {
    throw invalid(k, 'name');
  }
  if (seen.has(name.toLowerCase())) {
    throw invalid(k, 'duplicate_name');
  }
  seen.add(name.toLowerCase());
  const type = raw.type;
  if (typeof type !== 'string' || !(TYPES as readonly string[]).includes(type)) {
    throw invalid(k, 'type');
  }
  const t = type as DeclaredColumn['type'];
  if (raw.nullable !== undefined && typeof raw.nullable !== 'boolean') {
    throw invalid(k, 'nullable');
  }
  const min = bound(raw.min, t, k, 'min');
  const max = bound(raw.max, t, k, 'max');
  if (min !== undefined && max !== undefined && min > max) {
    throw invalid(k, 'range');
  }
  let dateFormat: DateFormat | undefined;
  if (raw.dateFormat !== undefined) {
    const fits = t === 'datetime' ? raw.dateFormat === 'ISO-DATETIME' : t === 'date' && raw.dateFormat !== 'ISO-DATETIME';
    if (!DATE_FORMATS.includes(raw.dateFormat as DateFormat) || !fits) {
      throw invalid(k, 'dateFormat');
    }
    dateFormat = raw.dateFormat as DateFormat;
  }
  let categories: string[] | undefined;
  if (raw.categories !== undefined) {
    const c = raw.categories;
    if (
      t !== 'categorical' ||
      !Array.isArray(c) ||
      c.length === 0 ||
      c.length > MAX_CATEGORIES ||
      !c.every((x) => typeof x === 'string' && x !== '' && x.length <= MAX_CATEGORY_LENGTH)
    ) {
      throw invalid(k, 'categories');
    }
    categories = [...(c as string[])];
  }
  return {
    name,
    type: t,
    ...(raw.nullable === false ? { required: true } : {}),
    ...(min !== undefined ? { min } : {}),
    ...(max !== undefined ? { max } : {}),
    ...(dateFormat !== undefined ? { dateFormat } : {}),
    ...(categories !== undefined ? { categories } : {}),
  };
}

/**
 * Read a declared schema from JSON: `{ "columns": [{ "name", "type", "nullable"?, "min"?, "max"?, "dateFormat"?,
 * "categories"? }] }`, columns in file order. Types: integer, decimal, boolean, date, datetime, categorical, text;
 * `nullable: false` makes an empty cell a rejection; min/max are numbers (integer, decimal) or `YYYY-MM-DD` (date);
 * dateFormat is one of YYYY-MM-DD, M/D/YYYY, D/M/YYYY (date) or ISO-DATETIME (datetime). Anything else is
 * HAVEN_INGEST_SCHEMA_INVALID naming the column position and field, never a value.
 * @param text - the JSON text (a query parameter or a file)
 */
export function parseDeclaredSchema(text: string): DeclaredSchema {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw invalid(0, 'json');
  }
  if (!isRecord(raw) || Object.keys(raw).some((k) => k !== 'columns') || !Array.isArray(raw.columns)) {
    throw invalid(0, 'columns');
  }
  if (raw.columns.length === 0 || raw.columns.length > MAX_DECLARED_COLUMNS) {
    throw invalid(0, 'columns');
  }
  const seen = new Set<string>();
  return { columns: raw.columns.map((c, i) => column(c, i + 1, seen)) };
}
