import { Buffer, isAscii, isUtf8 } from 'node:buffer';
import { HavenError } from '../../../errors/haven-error.js';
import { CsvRecordParser, type CsvRecordSink } from './csv-record-parser.js';
import { DEFAULT_CSV_LIMITS, isCsvDelimiter, type CsvDelimiter, type CsvLimits } from './csv-options.js';
import { detectDelimiter } from './detect-delimiter.js';
import { utf8ErrorOffset } from './utf8-error-offset.js';

/** Options of a CSV reader. */
export interface CsvReaderOptions {
  /** The delimiter, or 'auto' (default) to detect it from the first 64 KiB. */
  readonly delimiter?: CsvDelimiter | 'auto';
  /** Size limits; missing ones take {@link DEFAULT_CSV_LIMITS}. */
  readonly limits?: Partial<CsvLimits>;
  /** Whether the first record is a header (default true). */
  readonly header?: boolean;
  /** Accept a header with no data rows instead of failing with HAVEN_CSV_NO_ROWS (default false). */
  readonly allowHeaderOnly?: boolean;
}

/** One accepted record. `row` counts data records from 1 (the header is not a row). */
export interface CsvRecord {
  readonly row: number;
  readonly line: number;
  readonly fields: string[];
}

/** Why a row was rejected. The row's values are never kept: only where it was and why. */
export type CsvRowRejectCode = 'HAVEN_CSV_COLUMN_COUNT' | 'HAVEN_CSV_BAD_QUOTE';

/**
 * One rejected record, for quarantine: where it was, why, and its text so nothing is lost.
 * `raw` is data (it may hold PHI): store it like the accepted rows, never log it or put it in an error.
 */
export interface CsvRejectedRow {
  readonly row: number;
  readonly line: number;
  readonly code: CsvRowRejectCode;
  readonly fieldCount: number;
  readonly expected: number;
  /** The record's text as in the file (decoded, without its line break). */
  readonly raw: string;
}

/** What one `push` or `end` produced. */
export interface CsvBatch {
  readonly records: CsvRecord[];
  readonly rejected: CsvRejectedRow[];
}

/** Totals after `end()`. */
export interface CsvSummary {
  readonly header: readonly string[];
  readonly delimiter: CsvDelimiter;
  readonly accepted: number;
  readonly rejected: number;
  readonly bytes: number;
  readonly bom: boolean;
}

/** Bytes held back before detecting the delimiter, so detection does not depend on chunk sizes. */
const DETECT_BYTES = 64 * 1024;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const EMPTY: CsvBatch = Object.freeze({ records: [], rejected: [] }) as CsvBatch;

/**
 * Streaming RFC 4180 reader: feed byte chunks with `push`, get complete records back, call
 * `end` once. Fatal problems (invalid UTF-8, NUL, size limits including a record over
 * `maxColumns`, open quote at the end, bad header, empty input) throw a HavenError whose detail
 * holds line numbers and offsets, never bytes. Rows with the wrong column count or text after a
 * closing quote are returned in `rejected`, not thrown.
 *
 * Feed chunks of about 64 KiB (what `fs.createReadStream` gives): all records of one push are
 * alive until the caller drops the batch, so much larger chunks cost garbage-collection time.
 */
export class CsvReader implements CsvRecordSink {
  /** The header (trimmed), once read; with `header: false`, generated as c1..cN. */
  header: readonly string[] | undefined;
  private delimiter: CsvDelimiter | undefined;
  private readonly limits: CsvLimits;
  private readonly hasHeader: boolean;
  private readonly allowHeaderOnly: boolean;
  private parser: CsvRecordParser | undefined;
  private chunks: Buffer[] = [];
  private pendingBytes = 0;
  private offset = 0;
  private bomChecked = false;
  private bom = false;
  private ended = false;
  private expected = -1;
  private rows = 0;
  private accepted = 0;
  private rejectedCount = 0;
  private out: { records: CsvRecord[]; rejected: CsvRejectedRow[] } = { records: [], rejected: [] };

  /** @param options - delimiter, limits and header handling */
  constructor(options: CsvReaderOptions = {}) {
    const d = options.delimiter ?? 'auto';
    if (d !== 'auto' && !isCsvDelimiter(d)) {
      throw new HavenError('HAVEN_CSV_BAD_DELIMITER');
    }
    this.delimiter = d === 'auto' ? undefined : d;
    this.limits = { ...DEFAULT_CSV_LIMITS, ...options.limits };
    this.hasHeader = options.header ?? true;
    this.allowHeaderOnly = options.allowHeaderOnly ?? false;
  }

  /**
   * Feed the next chunk of bytes.
   * @param chunk - any slice of the input; it is not kept after the call returns
   * @returns the records completed by this chunk
   */
  push(chunk: Uint8Array): CsvBatch {
    if (this.ended) {
      throw new HavenError('HAVEN_USAGE', 'push after end');
    }
    if (chunk.length === 0) {
      return EMPTY;
    }
    const view = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    const prevEndedWithCR = this.chunks.length > 0 && this.chunks[this.chunks.length - 1]!.at(-1) === 13;
    const waitForDelimiter = this.delimiter === undefined && this.pendingBytes + view.length < DETECT_BYTES;
    const noBreak = !prevEndedWithCR && view.indexOf(10) === -1 && view.indexOf(13) === -1;
    // A chunk held past this call is copied: the caller may reuse its buffer.
    const holding = waitForDelimiter || (this.delimiter !== undefined && noBreak);
    this.chunks.push(holding ? Buffer.from(view) : view);
    this.pendingBytes += view.length;
    if (waitForDelimiter) {
      return EMPTY;
    }
    if (this.delimiter === undefined) {
      this.detect();
    } else if (noBreak) {
      // No line break arrived, so no record can complete: just bound the buffered bytes.
      if (this.stripBom(false)) {
        this.checkPending();
      }
      return EMPTY;
    }
    return this.process(false);
  }

  /**
   * Signal the end of input and get the last records.
   * @returns the final batch
   */
  end(): CsvBatch {
    if (this.ended) {
      throw new HavenError('HAVEN_USAGE', 'end called twice');
    }
    if (this.delimiter === undefined) {
      this.detect();
    }
    const batch = this.process(true);
    this.ended = true;
    if (this.header === undefined) {
      throw new HavenError('HAVEN_CSV_EMPTY_FILE');
    }
    if (this.rows === 0 && this.hasHeader && !this.allowHeaderOnly) {
      throw new HavenError('HAVEN_CSV_NO_ROWS', undefined, { detail: { columns: this.header.length } });
    }
    return batch;
  }

  /** Totals so far (complete after `end`). */
  summary(): CsvSummary {
    return {
      header: this.header ?? [],
      delimiter: this.delimiter ?? ',',
      accepted: this.accepted,
      rejected: this.rejectedCount,
      bytes: this.offset + this.pendingBytes,
      bom: this.bom,
    };
  }

  /** @internal Called by the parser for each completed record. */
  record(fields: string[], line: number, badQuote: boolean, raw: string): void {
    if (fields.length > this.limits.maxColumns) {
      // Parsing stopped at limit + 1 fields, so the detail gives the limit, not the full count.
      throw new HavenError('HAVEN_CSV_TOO_MANY_COLUMNS', undefined, { detail: { line, limit: this.limits.maxColumns } });
    }
    if (this.header === undefined) {
      if (badQuote) {
        throw new HavenError('HAVEN_CSV_BAD_QUOTE', undefined, { detail: { line } });
      }
      if (this.hasHeader) {
        this.header = checkHeader(fields);
        this.expected = fields.length;
        return;
      }
      this.header = fields.map((_, k) => `c${k + 1}`);
      this.expected = fields.length;
    }
    const row = ++this.rows;
    if (badQuote || fields.length !== this.expected) {
      this.rejectedCount++;
      this.out.rejected.push({
        row,
        line,
        code: badQuote ? 'HAVEN_CSV_BAD_QUOTE' : 'HAVEN_CSV_COLUMN_COUNT',
        fieldCount: fields.length,
        expected: this.expected,
        raw,
      });
      return;
    }
    this.accepted++;
    this.out.records.push({ row, line, fields });
  }

  private detect(): void {
    const all = Buffer.concat(this.chunks, this.pendingBytes);
    const sample = all.subarray(hasBom(all) ? 3 : 0, DETECT_BYTES);
    this.delimiter = detectDelimiter(sample);
    this.chunks = all.length > 0 ? [all] : [];
  }

  /**
   * Drop a leading UTF-8 BOM once the first three bytes are known.
   * @returns false while fewer than three bytes have arrived and they could still be a BOM
   */
  private stripBom(final: boolean): boolean {
    if (this.bomChecked) {
      return true;
    }
    const buf = Buffer.concat(this.chunks, this.pendingBytes);
    if (buf.length < 3 && !final && BOM.subarray(0, buf.length).equals(buf)) {
      return false;
    }
    this.bomChecked = true;
    this.bom = hasBom(buf);
    this.keep(buf, this.bom ? 3 : 0);
    return true;
  }

  /** Bound the bytes of the one unfinished record held back (a trailing CR is its line break, not data). */
  private checkPending(): void {
    const last = this.chunks.length > 0 ? this.chunks[this.chunks.length - 1]!.at(-1) : undefined;
    const held = this.pendingBytes - (last === 13 ? 1 : 0);
    if (held > this.limits.maxRecordBytes) {
      throw new HavenError('HAVEN_CSV_RECORD_TOO_LARGE', undefined, {
        detail: { line: this.parser?.line ?? 1, limit: this.limits.maxRecordBytes },
      });
    }
  }

  private process(final: boolean): CsvBatch {
    this.parser ??= new CsvRecordParser(this.delimiter!, this.limits, this);
    if (!this.stripBom(final)) {
      return EMPTY;
    }
    const buf = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.pendingBytes);
    const end = final ? buf.length : regionEnd(buf);
    if (end === 0) {
      this.keep(buf, 0);
      this.checkPending();
      return EMPTY;
    }
    const region = buf.subarray(0, end);
    const s = this.decode(region);
    const used = this.parser.parse(s, final);
    const usedBytes = used === s.length ? region.length : s.length === region.length ? used : Buffer.byteLength(s.slice(0, used));
    this.keep(buf, usedBytes);
    this.checkPending();
    const batch = this.out;
    this.out = { records: [], rejected: [] };
    return batch;
  }

  /** Keep the unconsumed tail, copied: the caller may reuse its chunk buffer. */
  private keep(buf: Buffer, from: number): void {
    this.offset += from;
    const rest = buf.subarray(from);
    this.chunks = rest.length > 0 ? [Buffer.from(rest)] : [];
    this.pendingBytes = rest.length;
  }

  /** Decode a run of complete lines: ASCII fast path, else validated UTF-8; NUL is refused. */
  private decode(region: Buffer): string {
    const nul = region.indexOf(0);
    if (nul !== -1) {
      this.failAt(region, nul, 'HAVEN_CSV_NUL_BYTE');
    }
    if (isAscii(region)) {
      return region.toString('latin1');
    }
    if (isUtf8(region)) {
      return region.toString('utf8');
    }
    this.failAt(region, Math.max(utf8ErrorOffset(region), 0), 'HAVEN_CSV_INVALID_UTF8');
  }

  /**
   * Throw a byte-level error, but first parse the complete lines before it, so an earlier
   * fault (a bad header, a too-long field) is the one reported, whatever the chunk sizes.
   */
  private failAt(region: Buffer, at: number, code: 'HAVEN_CSV_NUL_BYTE' | 'HAVEN_CSV_INVALID_UTF8'): never {
    const detail = this.where(region, at);
    const lb = Math.max(region.lastIndexOf(10, at), region.lastIndexOf(13, at));
    if (lb >= 0) {
      this.parser!.parse(this.decode(region.subarray(0, lb + 1)), false);
    }
    throw new HavenError(code, undefined, { detail });
  }

  /** Byte offset and line number of a position in the region, for error details. */
  private where(region: Buffer, at: number): { offset: number; line: number } {
    let line = this.parser!.line;
    for (let i = 0; i < at; i++) {
      const c = region[i];
      if (c === 10 || (c === 13 && region[i + 1] !== 10)) {
        line++;
      }
    }
    return { offset: this.offset + at, line };
  }
}

/**
 * Create a streaming CSV reader.
 * @param options - delimiter, limits and header handling
 * @returns a new reader
 */
export function createCsvReader(options: CsvReaderOptions = {}): CsvReader {
  return new CsvReader(options);
}

/** Everything read from a whole input by {@link parseCsv}. */
export interface ParsedCsv extends CsvBatch {
  readonly summary: CsvSummary;
}

/**
 * Parse a whole in-memory input (tests, small uploads).
 * @param bytes - the full input
 * @param options - as for {@link createCsvReader}
 * @returns header, records, rejected rows and totals
 */
export function parseCsv(bytes: Uint8Array, options: CsvReaderOptions = {}): ParsedCsv {
  const r = new CsvReader(options);
  const a = r.push(bytes);
  const b = r.end();
  return { records: [...a.records, ...b.records], rejected: [...a.rejected, ...b.rejected], summary: r.summary() };
}

/** End of the last complete line (index after its break); a trailing CR waits, it may start CRLF. */
function regionEnd(buf: Buffer): number {
  let t = Math.max(buf.lastIndexOf(10), buf.lastIndexOf(13));
  if (t !== -1 && t === buf.length - 1 && buf[t] === 13) {
    t = t === 0 ? -1 : Math.max(buf.lastIndexOf(10, t - 1), buf.lastIndexOf(13, t - 1));
  }
  return t + 1;
}

function hasBom(buf: Uint8Array): boolean {
  return buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf;
}

/**
 * Trim names and refuse empty or duplicate ones (case-insensitive: SQL column names are).
 * Details give column positions, not names: a file without a header would put a data row here.
 */
function checkHeader(fields: readonly string[]): string[] {
  const names = fields.map((f) => f.trim());
  const seen = new Map<string, number>();
  names.forEach((name, k) => {
    if (name === '') {
      throw new HavenError('HAVEN_CSV_EMPTY_HEADER', undefined, { detail: { column: k + 1 } });
    }
    const key = name.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) {
      throw new HavenError('HAVEN_CSV_DUPLICATE_HEADER', undefined, { detail: { column: k + 1, firstColumn: first + 1 } });
    }
    seen.set(key, k);
  });
  return names;
}
