import type { CsvDelimiter } from './csv-options.js';

/** Options for CSV output. */
export interface CsvWriteOptions {
  /** Field delimiter (default comma). */
  readonly delimiter?: CsvDelimiter;
  /** Prefix formula-like cells with `'` (default true). See {@link neutraliseFormula}. */
  readonly neutraliseFormulas?: boolean;
  /** Record terminator (default CRLF, as RFC 4180 says). */
  readonly lineEnding?: '\r\n' | '\n';
}

/** Characters that make a spreadsheet treat a cell as a formula (OWASP CSV injection list). */
const TRIGGERS = new Set(['=', '+', '-', '@', '\t', '\r']);
/** A plain decimal number: spreadsheets read it as a number, never as a formula. */
const PLAIN_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Neutralise CSV/formula injection: a cell starting with `=`, `+`, `-`, `@`, tab or CR gets a
 * leading `'`, so Excel, LibreOffice and Sheets show it as text instead of running it.
 *
 * Choice: plain numbers such as `-3.5`, `+1` or `-2e-3` are left alone. OWASP suggests prefixing
 * everything that starts with a trigger, but a spreadsheet parses a plain number as a number
 * (it cannot call a function or reference a cell), and prefixing every negative lab value would
 * turn numeric exports into text. Anything else with a trigger (`-1+2`, `-cmd|...`, `=HYPERLINK(...)`)
 * is prefixed.
 * @param cell - the cell text
 * @returns the cell, prefixed with `'` when it could be read as a formula
 */
export function neutraliseFormula(cell: string): string {
  if (cell.length === 0 || !TRIGGERS.has(cell[0]!)) {
    return cell;
  }
  return PLAIN_NUMBER.test(cell) ? cell : `'${cell}`;
}

/**
 * Serialise one field: quoted (with doubled quotes) when it holds the delimiter, a quote, CR or LF.
 * @param value - the field text
 * @param options - delimiter and formula handling
 * @returns the field as it appears in the file
 */
export function formatCsvField(value: string, options: CsvWriteOptions = {}): string {
  const v = options.neutraliseFormulas === false ? value : neutraliseFormula(value);
  const d = options.delimiter ?? ',';
  if (v.includes(d) || v.includes('"') || v.includes('\n') || v.includes('\r')) {
    return `"${v.replaceAll('"', '""')}"`;
  }
  return v;
}

/**
 * Serialise one record with its line ending. A record of one empty field is written as `""`,
 * because a blank line would be read back as no record at all.
 * @param fields - the record's fields
 * @param options - delimiter, formula handling and line ending
 * @returns the record text
 */
export function formatCsvRecord(fields: readonly string[], options: CsvWriteOptions = {}): string {
  const eol = options.lineEnding ?? '\r\n';
  if (fields.length === 1 && fields[0] === '') {
    return `""${eol}`;
  }
  return fields.map((f) => formatCsvField(f, options)).join(options.delimiter ?? ',') + eol;
}

/**
 * Serialise a header and rows.
 * @param header - column names (also neutralised and quoted as needed)
 * @param rows - the records
 * @param options - delimiter, formula handling and line ending
 * @returns the whole CSV text (encode with UTF-8)
 */
export function formatCsv(header: readonly string[], rows: Iterable<readonly string[]>, options: CsvWriteOptions = {}): string {
  const parts = [formatCsvRecord(header, options)];
  for (const row of rows) {
    parts.push(formatCsvRecord(row, options));
  }
  return parts.join('');
}
