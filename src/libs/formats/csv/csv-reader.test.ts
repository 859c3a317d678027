import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it, expect } from 'vitest';
import { HavenError } from '../../../errors/haven-error.js';
import { createCsvReader, parseCsv, type CsvReaderOptions } from './csv-reader.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const rows = (s: string, o: CsvReaderOptions = {}): string[][] => parseCsv(enc(s), o).records.map((r) => r.fields);

/** Run `fn` and return the HavenError it throws (fails the test otherwise). */
function havenError(fn: () => unknown): HavenError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(HavenError);
    return err as HavenError;
  }
  throw new Error('expected a HavenError');
}

describe('CsvReader basics', () => {
  it('reads a header and rows', () => {
    const p = parseCsv(enc('a,b\n1,2\n3,4\n'));
    expect(p.summary.header).toEqual(['a', 'b']);
    expect(p.records.map((r) => [r.row, r.line, r.fields])).toEqual([
      [1, 2, ['1', '2']],
      [2, 3, ['3', '4']],
    ]);
    expect(p.summary.accepted).toBe(2);
  });

  it('handles quoted fields, escaped quotes and embedded newlines', () => {
    const p = parseCsv(enc('a,b\n"x,1","he said ""hi"""\n"multi\nline",z\nlast,row\n'));
    expect(p.records.map((r) => r.fields)).toEqual([
      ['x,1', 'he said "hi"'],
      ['multi\nline', 'z'],
      ['last', 'row'],
    ]);
    // The record after a two-line field starts on line 5.
    expect(p.records[2]!.line).toBe(5);
  });

  it('strips a UTF-8 BOM and keeps non-ASCII text', () => {
    const p = parseCsv(enc('\uFEFFnom,ville\nZoë,Malmö\n'));
    expect(p.summary.header).toEqual(['nom', 'ville']);
    expect(p.summary.bom).toBe(true);
    expect(p.records[0]!.fields).toEqual(['Zoë', 'Malmö']);
  });

  it('accepts CRLF, LF, lone CR and a mix, with or without a final line break', () => {
    expect(rows('a,b\r\n1,2\r\n3,4')).toEqual([['1', '2'], ['3', '4']]);
    expect(rows('a,b\n1,2\r\n3,4\r5,6\n')).toEqual([['1', '2'], ['3', '4'], ['5', '6']]);
    expect(rows('a,b\r"x\r\ny",2\r')).toEqual([['x\r\ny', '2']]);
  });

  it('skips blank lines but counts them for line numbers', () => {
    const p = parseCsv(enc('a\n\n1\n\n\n2\n'));
    expect(p.records.map((r) => [r.fields[0], r.line])).toEqual([
      ['1', 3],
      ['2', 6],
    ]);
  });

  it('uses a declared delimiter and detects others', () => {
    expect(rows('a;b\n1;2\n', { delimiter: ';' })).toEqual([['1', '2']]);
    expect(rows('a;b;c\n1,5;2;3\n')).toEqual([['1,5', '2', '3']]);
    expect(rows('a\tb\n1\t2\n')).toEqual([['1', '2']]);
    expect(rows('a|b\n1|2\n')).toEqual([['1', '2']]);
    expect(parseCsv(enc('a|b\n1|2\n')).summary.delimiter).toBe('|');
    expect(havenError(() => createCsvReader({ delimiter: '"' as ',' })).code).toBe('HAVEN_CSV_BAD_DELIMITER');
  });

  it('gives the same records whatever the chunk size', () => {
    const text = enc('\uFEFFid,note\r\n1,"a ""b""\r\nc"\n2,é€😀\r\n3,x\n');
    const whole = parseCsv(text).records;
    for (const size of [1, 2, 3, 5, 7]) {
      const r = createCsvReader();
      const got = [];
      for (let i = 0; i < text.length; i += size) {
        got.push(...r.push(text.subarray(i, i + size)).records);
      }
      got.push(...r.end().records);
      expect(got).toEqual(whole);
    }
  });

  it('does not keep the caller\'s chunk: reusing the buffer after push changes nothing', () => {
    for (const opts of [{}, { delimiter: ',' as const }]) {
      const r = createCsvReader(opts);
      const scratch = new Uint8Array(8);
      const got = [];
      for (const piece of ['id,na', 'me\n1,An', 'n\n2,Bo', 'b\n']) {
        const bytes = enc(piece);
        scratch.set(bytes);
        got.push(...r.push(scratch.subarray(0, bytes.length)).records);
        scratch.fill(0x5a);
      }
      got.push(...r.end().records);
      expect(got.map((x) => x.fields)).toEqual([['1', 'Ann'], ['2', 'Bob']]);
    }
  });

  it('supports header: false', () => {
    const p = parseCsv(enc('1,2\n3,4\n'), { header: false });
    expect(p.summary.header).toEqual(['c1', 'c2']);
    expect(p.records.map((r) => r.fields)).toEqual([['1', '2'], ['3', '4']]);
  });
});

describe('CsvReader rejected rows (quarantine, not fatal)', () => {
  it('keeps a multi-line rejected record whole, so quarantine loses nothing', () => {
    const p = parseCsv(enc('a,b\r\n"x\r\ny",2,3\r\n4,5\r\n'));
    expect(p.rejected).toEqual([{ row: 1, line: 2, code: 'HAVEN_CSV_COLUMN_COUNT', fieldCount: 3, expected: 2, raw: '"x\r\ny",2,3' }]);
    expect(p.records.map((r) => [r.line, r.fields])).toEqual([[4, ['4', '5']]]);
  });

  it('rejects rows with the wrong column count, with row, line and code', () => {
    const p = parseCsv(enc('a,b\n1,2\n1,2,3\n4\n5,6\n'));
    expect(p.records.map((r) => r.row)).toEqual([1, 4]);
    expect(p.rejected).toEqual([
      { row: 2, line: 3, code: 'HAVEN_CSV_COLUMN_COUNT', fieldCount: 3, expected: 2, raw: '1,2,3' },
      { row: 3, line: 4, code: 'HAVEN_CSV_COLUMN_COUNT', fieldCount: 1, expected: 2, raw: '4' },
    ]);
    expect(p.summary.rejected).toBe(2);
  });

  it('rejects a row with text after a closing quote and stays in step', () => {
    const p = parseCsv(enc('a,b\n"x"y,2\n3,4\n'));
    expect(p.rejected).toEqual([{ row: 1, line: 2, code: 'HAVEN_CSV_BAD_QUOTE', fieldCount: 2, expected: 2, raw: '"x"y,2' }]);
    expect(p.records.map((r) => r.fields)).toEqual([['3', '4']]);
  });
});

describe('CsvReader fatal errors are coded and carry no values', () => {
  it('unclosed quote at EOF gives the line number', () => {
    const e = havenError(() => parseCsv(enc('a,b\n1,2\n3,"secret value\nmore\n')));
    expect(e.code).toBe('HAVEN_CSV_UNCLOSED_QUOTE');
    expect(e.detail).toEqual({ line: 3 });
  });

  it('invalid UTF-8 gives offset and line, never the bytes', () => {
    const bytes = new Uint8Array([...enc('a,b\n1,2\nok,'), 0xc3, 0x28, ...enc('\n')]);
    const e = havenError(() => parseCsv(bytes));
    expect(e.code).toBe('HAVEN_CSV_INVALID_UTF8');
    expect(e.detail).toEqual({ offset: 11, line: 3 });
    expect(JSON.stringify(e.detail) + e.message).not.toContain('ok');
  });

  it('rejects overlong encodings and surrogates', () => {
    for (const bad of [[0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xff]]) {
      const e = havenError(() => parseCsv(new Uint8Array([...enc('a\n'), ...bad, 10])));
      expect(e.code).toBe('HAVEN_CSV_INVALID_UTF8');
    }
  });

  it('NUL bytes are refused with their position', () => {
    const e = havenError(() => parseCsv(new Uint8Array([...enc('a,b\n1,'), 0, ...enc('\n')])));
    expect(e.code).toBe('HAVEN_CSV_NUL_BYTE');
    expect(e.detail).toEqual({ offset: 6, line: 2 });
  });

  it('a huge line fails fast, after about maxRecordBytes, not at its end', () => {
    const r = createCsvReader({ delimiter: ',', limits: { maxRecordBytes: 1 << 20 } });
    r.push(enc('a,b\n'));
    const piece = new Uint8Array(64 * 1024).fill(0x41);
    let pushed = 0;
    const e = havenError(() => {
      for (let i = 0; i < 16 * 1024; i++) {
        r.push(piece); // would be 1 GiB in all
        pushed++;
      }
    });
    expect(e.code).toBe('HAVEN_CSV_RECORD_TOO_LARGE');
    expect(pushed).toBeLessThanOrEqual(17);
  });

  it('a huge quoted multi-line record also fails fast', () => {
    const r = createCsvReader({ delimiter: ',', limits: { maxRecordBytes: 4096 } });
    r.push(enc('a,b\n1,"'));
    const e = havenError(() => {
      for (let i = 0; i < 1000; i++) {
        r.push(enc('0123456789\n'));
      }
    });
    expect(e.code).toBe('HAVEN_CSV_RECORD_TOO_LARGE');
  });

  it('a field over maxFieldBytes fails with its column', () => {
    const e = havenError(() => parseCsv(enc(`a,b\n1,${'é'.repeat(60)}\n`), { limits: { maxFieldBytes: 100 } }));
    expect(e.code).toBe('HAVEN_CSV_FIELD_TOO_LARGE');
    expect(e.detail).toEqual({ line: 2, column: 2, limit: 100 });
    expect(rows(`a,b\n1,${'é'.repeat(50)}\n`, { limits: { maxFieldBytes: 100 } })).toHaveLength(1);
  });

  it('10,000 columns are refused', () => {
    const header = Array.from({ length: 10_000 }, (_, k) => `c${k}`).join(',');
    const e = havenError(() => parseCsv(enc(`${header}\n`)));
    expect(e.code).toBe('HAVEN_CSV_TOO_MANY_COLUMNS');
    expect(e.detail).toEqual({ line: 1, limit: 2000 });
    const quoted = havenError(() => parseCsv(enc(`a\n${'"x",'.repeat(3000)}\n`), { delimiter: ',' }));
    expect(quoted.code).toBe('HAVEN_CSV_TOO_MANY_COLUMNS');
    expect(quoted.detail).toEqual({ line: 2, limit: 2000 });
  });

  it('a header with text after a closing quote is fatal', () => {
    expect(havenError(() => parseCsv(enc('"a"b,c\n1,2\n'))).code).toBe('HAVEN_CSV_BAD_QUOTE');
  });

  it('duplicate and empty header names are refused', () => {
    const dup = havenError(() => parseCsv(enc('id,Name,name\n1,2,3\n')));
    expect(dup.code).toBe('HAVEN_CSV_DUPLICATE_HEADER');
    expect(dup.detail).toEqual({ column: 3, firstColumn: 2 });
    const empty = havenError(() => parseCsv(enc('id, ,x\n1,2,3\n')));
    expect(empty.code).toBe('HAVEN_CSV_EMPTY_HEADER');
    expect(empty.detail).toEqual({ column: 2 });
  });

  it('empty file and header-only file are coded', () => {
    expect(havenError(() => parseCsv(enc(''))).code).toBe('HAVEN_CSV_EMPTY_FILE');
    expect(havenError(() => parseCsv(enc('\uFEFF\r\n\n'))).code).toBe('HAVEN_CSV_EMPTY_FILE');
    expect(havenError(() => parseCsv(enc('a,b\n'))).code).toBe('HAVEN_CSV_NO_ROWS');
    const ok = parseCsv(enc('a,b\n'), { allowHeaderOnly: true });
    expect(ok.summary.header).toEqual(['a', 'b']);
    expect(ok.records).toEqual([]);
  });

  it('push after end is a usage error', () => {
    const r = createCsvReader();
    r.push(enc('a\n1\n'));
    r.end();
    expect(havenError(() => r.push(enc('x'))).code).toBe('HAVEN_USAGE');
  });
});

describe('CsvReader on the real sample', () => {
  it('reads all 10,000 rows of los-10k.csv with 31 columns, in any chunk size', () => {
    const bytes = readFileSync(resolve(process.cwd(), '../shared/data/los-10k.csv'));
    const whole = parseCsv(bytes);
    expect(whole.summary.header).toHaveLength(31);
    expect(whole.summary.header.slice(0, 4)).toEqual(['First', 'Middle', 'Last', 'eid']);
    expect(whole.records).toHaveLength(10_000);
    expect(whole.rejected).toHaveLength(0);
    const r = createCsvReader();
    let n = 0;
    for (let i = 0; i < bytes.length; i += 4093) {
      n += r.push(bytes.subarray(i, i + 4093)).records.length;
    }
    n += r.end().records.length;
    expect(n).toBe(10_000);
  });
});
