import { dateFormatKind, type DateFormatKind } from './number-format.js';

/** A formula's cached result, as a workbook parser reports it. */
export type SheetFormulaResult = number | string | boolean | Date | { readonly error: string } | undefined;

/** A cell value as a workbook parser reports it (the shapes exceljs uses). */
export type SheetCellValue =
  | null
  | undefined
  | number
  | string
  | boolean
  | Date
  | { readonly richText: readonly { readonly text?: string }[] }
  | { readonly formula?: string; readonly sharedFormula?: string; readonly result?: SheetFormulaResult }
  | { readonly error: string }
  | { readonly text: string; readonly hyperlink: string };

/** A cell as text, and whether it held a spreadsheet error value (such a row goes to quarantine). */
export interface CellText {
  readonly text: string;
  readonly error: boolean;
}

/** Text for an error whose code the parser lost (a formula's cached error read as a number). */
const UNKNOWN_ERROR = '#ERROR!';
const MS_PER_DAY = 86_400_000;
/** Days from 1970-01-01 back to each date system's day 0 (1899-12-30, with Excel's 1900 leap-year quirk, and 1904-01-01). */
const EPOCH_DAYS = { d1900: 25_569, d1904: 24_107 } as const;
const EMPTY: CellText = Object.freeze({ text: '', error: false });

/**
 * The text Haven imports for one cell, whatever its type:
 * - text as is; booleans `TRUE` / `FALSE`;
 * - numbers as their value (not as displayed: no thousands separators, percent or currency), to Excel's 15 significant
 *   digits, so binary noise such as 0.30000000000000004 reads 0.3;
 * - dates (a date serial under a date number format) in ISO 8601, at the granularity the format shows:
 *   `YYYY-MM-DD` for a date format, `YYYY-MM-DDTHH:MM:SS` for date and time, `HH:MM:SS` for a time of day;
 * - formulas as their cached result (never computed; no cached result is a missing value);
 * - error values (`#DIV/0!`, `#N/A`) flagged, so the row is quarantined.
 * @param value - the cell value
 * @param numFmt - the cell's number format code, if any
 * @param date1904 - whether the workbook counts dates from 1904 (old Mac workbooks)
 */
export function cellText(value: SheetCellValue, numFmt: string | undefined, date1904: boolean): CellText {
  if (value === null || value === undefined) {
    return EMPTY;
  }
  if (typeof value === 'string') {
    return { text: value, error: false };
  }
  if (typeof value === 'number' || typeof value === 'boolean' || value instanceof Date) {
    return scalarText(value, numFmt, date1904);
  }
  if ('richText' in value) {
    return { text: value.richText.map((r) => r.text ?? '').join(''), error: false };
  }
  if ('hyperlink' in value) {
    return { text: value.text, error: false };
  }
  if ('error' in value) {
    return { text: value.error, error: true };
  }
  const result = value.result;
  if (result === undefined || result === null) {
    return EMPTY;
  }
  if (typeof result === 'object' && !(result instanceof Date)) {
    return { text: result.error, error: true };
  }
  return typeof result === 'string' ? { text: result, error: false } : scalarText(result, numFmt, date1904);
}

function scalarText(value: number | boolean | Date, numFmt: string | undefined, date1904: boolean): CellText {
  if (typeof value === 'boolean') {
    return { text: value ? 'TRUE' : 'FALSE', error: false };
  }
  if (value instanceof Date) {
    const ms = value.getTime();
    if (Number.isNaN(ms)) {
      return { text: UNKNOWN_ERROR, error: true };
    }
    return { text: dateText(ms, dateFormatKind(numFmt) ?? (ms % MS_PER_DAY === 0 ? 'date' : 'datetime')), error: false };
  }
  if (!Number.isFinite(value)) {
    return { text: UNKNOWN_ERROR, error: true };
  }
  const kind = dateFormatKind(numFmt);
  if (kind) {
    const epoch = date1904 ? EPOCH_DAYS.d1904 : EPOCH_DAYS.d1900;
    return { text: dateText(Math.round((value - epoch) * MS_PER_DAY), kind), error: false };
  }
  return { text: numberText(value), error: false };
}

/**
 * A number to Excel's 15 significant digits, in the shortest form that round-trips (`0.3`, `12`, `1e+21`).
 * @param n - a finite number
 */
export function numberText(n: number): string {
  const r = Number(n.toPrecision(15));
  return Object.is(r, -0) ? '0' : String(r);
}

/**
 * A wall-clock instant (milliseconds, read as UTC fields) in ISO 8601 at a granularity.
 * @param ms - milliseconds since 1970-01-01 of the wall-clock time
 * @param kind - what to show
 */
function dateText(ms: number, kind: DateFormatKind): string {
  // Seconds are rounded (a serial's fraction is rarely an exact second); a date shows the day it falls on.
  const t = kind === 'date' ? new Date(ms) : new Date(Math.round(ms / 1000) * 1000);
  const day = `${String(t.getUTCFullYear()).padStart(4, '0')}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
  const time = `${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}`;
  if (kind === 'date') {
    return day;
  }
  if (kind === 'time') {
    return time;
  }
  return `${day}T${time}`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
