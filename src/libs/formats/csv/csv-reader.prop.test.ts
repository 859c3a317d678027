import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { HavenError } from '../../../errors/haven-error.js';
import { createCsvReader, parseCsv, type CsvBatch, type CsvReaderOptions } from './csv-reader.js';

/** Bytes biased towards CSV structure, so the parser's states are all reached. */
const csvishBytes = fc.array(
  fc.oneof(
    fc.constantFrom(0x22, 0x2c, 0x3b, 0x09, 0x7c, 0x0a, 0x0d, 0x61, 0x31, 0x20),
    fc.integer({ min: 0, max: 255 }),
  ),
  { maxLength: 300 },
).map((a) => new Uint8Array(a));

type Outcome = { ok: true; records: unknown[]; rejected: unknown[]; header: readonly string[] } | { ok: false; code: string };

/** Read `bytes` split at the given cut points; returns the records or the error code. */
function readSplit(bytes: Uint8Array, cuts: number[], options: CsvReaderOptions): Outcome {
  const r = createCsvReader(options);
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const batches: CsvBatch[] = [];
  try {
    let prev = 0;
    for (const p of [...points, bytes.length]) {
      batches.push(r.push(bytes.subarray(prev, p)));
      prev = p;
    }
    batches.push(r.end());
  } catch (err) {
    if (!(err instanceof HavenError)) {
      throw err;
    }
    return { ok: false, code: err.code };
  }
  return {
    ok: true,
    records: batches.flatMap((b) => b.records),
    rejected: batches.flatMap((b) => b.rejected),
    header: r.summary().header,
  };
}

describe('CsvReader properties', () => {
  it('any bytes give records or a HavenError, never another exception', () => {
    fc.assert(
      fc.property(csvishBytes, fc.constantFrom<CsvReaderOptions>({}, { delimiter: ';' }, { header: false }, { limits: { maxFieldBytes: 8, maxRecordBytes: 40, maxColumns: 5 } }), (bytes, opts) => {
        try {
          parseCsv(bytes, opts);
        } catch (err) {
          expect(err).toBeInstanceOf(HavenError);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('splitting the input anywhere gives identical results (records, rejects or error code)', () => {
    fc.assert(
      fc.property(csvishBytes, fc.array(fc.nat(), { maxLength: 8 }), (bytes, cuts) => {
        const opts = { delimiter: ',' as const, limits: { maxRecordBytes: 64 } };
        expect(readSplit(bytes, cuts, opts)).toEqual(readSplit(bytes, [], opts));
      }),
      { numRuns: 300 },
    );
  });

  it('chunk invariance holds with delimiter detection and valid UTF-8 text', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', 'é', '😀', '"', ',', ';', '\n', '\r', ' '), maxLength: 6 });
    const text = fc.array(fc.array(cell, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 6 }).map((rs) =>
      rs.map((r) => r.map((c) => (/[",;\r\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c)).join(';')).join('\r\n'),
    );
    fc.assert(
      fc.property(text, fc.array(fc.nat(), { maxLength: 6 }), (t, cuts) => {
        const bytes = new TextEncoder().encode(`h1;h2\n${t}`);
        expect(readSplit(bytes, cuts, {})).toEqual(readSplit(bytes, [], {}));
      }),
      { numRuns: 200 },
    );
  });

  it('hostile inputs finish in bounded time', () => {
    const hostile = [
      '"'.repeat(200_000),
      `a\n"${'""'.repeat(100_000)}`,
      `a\n${'\r'.repeat(200_000)}`,
      `a\n${','.repeat(200_000)}\n`,
      `a\n${'"x"y'.repeat(50_000)}\n`,
    ];
    for (const h of hostile) {
      const bytes = new TextEncoder().encode(h);
      const t0 = performance.now();
      const out = readSplit(bytes, [1, 77, 4096, 100_001], {});
      expect(performance.now() - t0).toBeLessThan(2000);
      expect(out).toBeDefined();
    }
  });
});
