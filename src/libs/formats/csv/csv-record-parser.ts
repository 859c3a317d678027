import { Buffer } from 'node:buffer';
import { HavenError } from '../../../errors/haven-error.js';
import type { CsvLimits } from './csv-options.js';

/** Receives each record the parser completes. */
export interface CsvRecordSink {
  /**
   * @param fields - the decoded fields
   * @param line - the 1-based physical line where the record starts
   * @param badQuote - true when a quoted field had characters after its closing quote
   * @param raw - the record's text as in the file, without its line break (kept only for rejected rows)
   */
  record(fields: string[], line: number, badQuote: boolean, raw: string): void;
}

/**
 * RFC 4180 record parser over decoded text. The reader hands it runs of complete lines; it
 * returns how far it got, so a quoted field that runs past the text is resumed on the next run.
 * Lines without a quote take a fast path (one `split`); only lines holding a quote are walked
 * character by character. Line ends are LF, CRLF or a lone CR; blank lines are skipped.
 */
export class CsvRecordParser {
  /** The 1-based physical line number of the next record. */
  line = 1;
  private readonly delim: string;
  private readonly delimCode: number;
  /** Texts shorter than a third of this cannot break a limit (a UTF-16 unit is at most 3 UTF-8 bytes). */
  private readonly checkAt: number;

  /**
   * @param delimiter - the field delimiter (one ASCII character)
   * @param limits - field/record size limits (bytes)
   * @param sink - receives completed records
   */
  constructor(
    delimiter: string,
    private readonly limits: CsvLimits,
    private readonly sink: CsvRecordSink,
  ) {
    this.delim = delimiter;
    this.delimCode = delimiter.charCodeAt(0);
    this.checkAt = Math.min(limits.maxFieldBytes, limits.maxRecordBytes);
  }

  /**
   * Parse as many complete records from `s` as possible.
   * @param s - decoded text; unless `final`, it ends with a line break
   * @param final - true at end of input: the last record needs no line break, an open quote is an error
   * @returns the index of the first character not consumed (a record still open), or `s.length`
   */
  parse(s: string, final: boolean): number {
    const n = s.length;
    if (s.indexOf('"') === -1 && s.indexOf('\r') === -1) {
      return this.parsePlain(s);
    }
    let i = 0;
    let nextQuote = -1;
    let nextCR = -1;
    while (i < n) {
      if (nextQuote < i) {
        nextQuote = s.indexOf('"', i);
        if (nextQuote === -1) {
          nextQuote = n;
        }
      }
      if (nextCR < i) {
        nextCR = s.indexOf('\r', i);
        if (nextCR === -1) {
          nextCR = n;
        }
      }
      const nl = s.indexOf('\n', i);
      let end = nl === -1 ? n : nl;
      let next = end + 1;
      if (nextCR < end) {
        end = nextCR;
        next = s.charCodeAt(end + 1) === 10 ? end + 2 : end + 1;
      } else if (nl === -1 && !final) {
        return i;
      }
      if (nextQuote < end) {
        const r = this.parseQuoted(s, i, final);
        if (r === -1) {
          return i;
        }
        i = r;
        continue;
      }
      if (end === i) {
        this.line++;
        i = next;
        continue;
      }
      const text = s.slice(i, end);
      const fields = text.split(this.delim, this.limits.maxColumns + 1);
      if ((end - i) * 3 > this.checkAt) {
        this.checkSizes(text, fields, this.line);
      }
      this.sink.record(fields, this.line, false, text);
      this.line++;
      i = next;
    }
    return n;
  }

  /**
   * The fastest path, for text with no quote and no CR (most machine-written files): one split
   * into lines, one split per line. Every record ends inside `s` (a non-final run ends with LF).
   */
  private parsePlain(s: string): number {
    const lines = s.split('\n');
    const sink = this.sink;
    const delim = this.delim;
    const checkAt = this.checkAt;
    const maxFields = this.limits.maxColumns + 1;
    for (let k = 0; k < lines.length; k++) {
      const text = lines[k]!;
      if (text.length === 0) {
        // Blank line, or the empty piece after the final LF (which is not a line).
        if (k < lines.length - 1) {
          this.line++;
        }
        continue;
      }
      // The split limit stops a hostile line of delimiters from building millions of fields.
      const fields = text.split(delim, maxFields);
      if (text.length * 3 > checkAt) {
        this.checkSizes(text, fields, this.line);
      }
      sink.record(fields, this.line, false, text);
      this.line++;
    }
    return s.length;
  }

  /** The slow path: one record with at least one quote; -1 when it does not end inside `s`. */
  private parseQuoted(s: string, start: number, final: boolean): number {
    const n = s.length;
    const d = this.delimCode;
    const fields: string[] = [];
    let p = start;
    let breaks = 0;
    let bad = false;
    for (;;) {
      let value: string;
      let c: number;
      if (s.charCodeAt(p) === 34) {
        let j = p + 1;
        let escaped = false;
        let close: number;
        for (;;) {
          const k = s.indexOf('"', j);
          if (k === -1 || (k + 1 >= n && !final)) {
            if (!final) {
              return -1;
            }
            throw new HavenError('HAVEN_CSV_UNCLOSED_QUOTE', undefined, { detail: { line: this.line + breaks } });
          }
          if (s.charCodeAt(k + 1) === 34) {
            j = k + 2;
            escaped = true;
            continue;
          }
          close = k;
          break;
        }
        value = s.slice(p + 1, close);
        if (escaped) {
          value = value.replaceAll('""', '"');
        }
        breaks += countLineBreaks(value);
        p = close + 1;
        c = p < n ? s.charCodeAt(p) : -1;
        if (c !== d && c !== 10 && c !== 13 && c !== -1) {
          // Text after a closing quote is malformed: keep reading to the field's end so the
          // rest of the file stays in step, and reject the row.
          bad = true;
          const q = scanField(s, p, d);
          if (q === n && !final) {
            return -1;
          }
          value += s.slice(p, q);
          p = q;
          c = q < n ? s.charCodeAt(q) : -1;
        }
      } else {
        const q = scanField(s, p, d);
        if (q === n && !final) {
          return -1;
        }
        value = s.slice(p, q);
        p = q;
        c = q < n ? s.charCodeAt(q) : -1;
      }
      fields.push(value);
      if (c === d && fields.length <= this.limits.maxColumns) {
        p++;
        continue;
      }
      if (c === d) {
        // Over the column limit: fail now rather than collect the rest of the record.
        throw new HavenError('HAVEN_CSV_TOO_MANY_COLUMNS', undefined, { detail: { line: this.line, limit: this.limits.maxColumns } });
      }
      const next = c === 13 && s.charCodeAt(p + 1) === 10 ? p + 2 : c === -1 ? p : p + 1;
      const line = this.line;
      if ((p - start) * 3 > this.checkAt) {
        this.checkSizes(s.slice(start, p), fields, line);
      }
      this.line += 1 + breaks;
      this.sink.record(fields, line, bad, s.slice(start, p));
      return next;
    }
  }

  /** Enforce the byte limits; called only when the text is long enough to possibly break them. */
  private checkSizes(text: string, fields: readonly string[], line: number): void {
    const { maxFieldBytes, maxRecordBytes } = this.limits;
    if (text.length > maxRecordBytes || (text.length * 3 > maxRecordBytes && Buffer.byteLength(text) > maxRecordBytes)) {
      throw new HavenError('HAVEN_CSV_RECORD_TOO_LARGE', undefined, { detail: { line, limit: maxRecordBytes } });
    }
    for (let k = 0; k < fields.length; k++) {
      const f = fields[k]!;
      if (f.length > maxFieldBytes || (f.length * 3 > maxFieldBytes && Buffer.byteLength(f) > maxFieldBytes)) {
        throw new HavenError('HAVEN_CSV_FIELD_TOO_LARGE', undefined, { detail: { line, column: k + 1, limit: maxFieldBytes } });
      }
    }
  }
}

/** Index of the next delimiter or line break at or after `p` (or `s.length`). */
function scanField(s: string, p: number, d: number): number {
  const n = s.length;
  let q = p;
  while (q < n) {
    const c = s.charCodeAt(q);
    if (c === d || c === 10 || c === 13) {
      break;
    }
    q++;
  }
  return q;
}

/** Number of line breaks (LF, CRLF, lone CR) inside a quoted value, for line numbering. */
function countLineBreaks(v: string): number {
  if (v.indexOf('\n') === -1 && v.indexOf('\r') === -1) {
    return 0;
  }
  let count = 0;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c === 10 || (c === 13 && v.charCodeAt(i + 1) !== 10)) {
      count++;
    }
  }
  return count;
}
