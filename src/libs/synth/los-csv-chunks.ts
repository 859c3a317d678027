import { HavenError } from '../../errors/haven-error.js';
import { LOS_COLUMNS } from '../formats/fhir/los-record.js';
import { PII_COLUMNS } from './fake-pii.js';
import { makeLosRecord, type SynthRecord } from './generate-los-records.js';
import { resolveSynthOptions, type SynthOptions } from './synth-options.js';

/** Options of losCsvChunks. */
export interface CsvChunkOptions extends SynthOptions {
  /** Rows per yielded chunk (default 10,000; the header is its own first chunk). */
  readonly chunkRows?: number | undefined;
}

/**
 * Quotes a CSV field when it holds a comma, quote or line break (RFC 4180). Synthetic values never start with
 * = + - @, so no formula-injection guard is needed here; importers still apply theirs.
 * @param v - the value
 */
export function csvField(v: string | number): string {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * The CSV columns of a generated file: the sample's 31 columns, then the PII columns when `withPii` is set.
 * @param withPii - whether PII columns are included
 */
export function synthCsvColumns(withPii: boolean): readonly string[] {
  return withPii ? [...LOS_COLUMNS, ...PII_COLUMNS] : LOS_COLUMNS;
}

/**
 * Generates a synthetic CSV file as text chunks (header first, then `chunkRows` rows per chunk, each line ending in
 * "\n"), so a 1M-row file streams in constant memory. Same seed → byte-identical output.
 * @param options - generator options plus chunk size
 */
export function losCsvChunks(options: CsvChunkOptions): Generator<string> {
  const o = resolveSynthOptions(options);
  const chunkRows = options.chunkRows ?? 10_000;
  if (!Number.isSafeInteger(chunkRows) || chunkRows < 1) {
    throw new HavenError('HAVEN_SYNTH_INVALID_OPTION', undefined, { detail: { option: 'chunkRows' } });
  }
  const cols = synthCsvColumns(o.withPii) as readonly (keyof SynthRecord)[];
  return (function* chunks(): Generator<string> {
    yield `${cols.join(',')}\n`;
    let buf: string[] = [];
    for (let i = 0; i < o.rows; i += 1) {
      const r = makeLosRecord(i, o);
      let line = '';
      for (let k = 0; k < cols.length; k += 1) {
        const v = r[cols[k]!] as string | number;
        // Numbers never need quoting; only strings go through the (slower) quoting check.
        line += (k === 0 ? '' : ',') + (typeof v === 'number' ? String(v) : csvField(v));
      }
      buf.push(line);
      if (buf.length >= chunkRows) {
        yield `${buf.join('\n')}\n`;
        buf = [];
      }
    }
    if (buf.length > 0) {
      yield `${buf.join('\n')}\n`;
    }
  })();
}
