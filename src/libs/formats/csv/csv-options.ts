/** The delimiters Haven accepts: comma, semicolon, tab and pipe. */
export type CsvDelimiter = ',' | ';' | '\t' | '|';

/** All accepted delimiters, in tie-break order for detection. */
export const CSV_DELIMITERS: readonly CsvDelimiter[] = [',', ';', '\t', '|'];

/**
 * Size limits for one CSV input. They bound memory: a record that grows past `maxRecordBytes`
 * fails as soon as that many bytes are buffered, without waiting for its end.
 */
export interface CsvLimits {
  /** Largest field, in UTF-8 bytes. */
  readonly maxFieldBytes: number;
  /** Largest record (one row, all fields and delimiters), in UTF-8 bytes. */
  readonly maxRecordBytes: number;
  /** Most columns in one record (header included). */
  readonly maxColumns: number;
}

/** Defaults: generous for hospital extracts (1 MiB field, 8 MiB record, 2,000 columns). */
export const DEFAULT_CSV_LIMITS: CsvLimits = Object.freeze({
  maxFieldBytes: 1024 * 1024,
  maxRecordBytes: 8 * 1024 * 1024,
  maxColumns: 2000,
});

/** Whether a value is one of the accepted delimiters. */
export function isCsvDelimiter(value: string): value is CsvDelimiter {
  return value === ',' || value === ';' || value === '\t' || value === '|';
}
