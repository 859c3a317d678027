import { createHash } from 'node:crypto';
import { HavenError } from '../../errors/haven-error.js';
import { createCsvReader } from '../../libs/formats/csv/index.js';

/** One accepted row: its data-row number (from 1), where it was in the source (line, or sheet row) and its fields. */
export interface TabularRecord {
  readonly row: number;
  readonly line: number;
  readonly fields: readonly string[];
}

/** One row for quarantine: where it was, the reason code, and its text (data: encrypted when stored, never logged). */
export interface TabularRejected {
  readonly row: number;
  readonly line: number;
  readonly code: string;
  readonly raw: string;
}

/** What a source produced since its previous batch; `header` is set from the first batch holding a row on. */
export interface TabularBatch {
  readonly header: readonly string[] | undefined;
  readonly records: readonly TabularRecord[];
  readonly rejected: readonly TabularRejected[];
}

/**
 * A table to import, read as it streams: a CSV file, or a worksheet (adapters/formats/xlsx-reader.ts). Fatal
 * problems throw a coded HavenError from `batches()`; the import is then withdrawn.
 */
export interface TabularSource {
  /** What the table came from, for the ledger. */
  readonly format: 'csv' | 'xlsx';
  /** The rows, in order. Iterated once. */
  batches(): AsyncIterable<TabularBatch>;
  /** SHA-256 (hex) of the content, once `batches()` has been read to the end (see ADR 0023 for what is hashed). */
  sha256(): string;
}

/**
 * A CSV byte stream as a table: RFC 4180 with the delimiter detected; the hash is of the CSV bytes as read.
 * @param bytes - the CSV bytes (already decompressed and size-limited by the caller)
 */
export function csvTabularSource(bytes: AsyncIterable<Uint8Array>): TabularSource {
  const hash = createHash('sha256');
  let digest: string | undefined;
  return {
    format: 'csv',
    async *batches() {
      const reader = createCsvReader({ delimiter: 'auto' });
      for await (const chunk of bytes) {
        hash.update(chunk);
        const batch = reader.push(chunk);
        yield { header: reader.header, records: batch.records, rejected: batch.rejected };
      }
      const last = reader.end();
      digest = hash.digest('hex');
      yield { header: reader.header, records: last.records, rejected: last.rejected };
    },
    sha256() {
      if (digest === undefined) {
        throw new HavenError('HAVEN_USAGE', 'sha256 before the end of the source');
      }
      return digest;
    },
  };
}
