import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { CSV_DELIMITERS } from './csv-options.js';
import { parseCsv } from './csv-reader.js';
import { formatCsv, neutraliseFormula } from './csv-writer.js';

const cell = fc.string({ unit: fc.oneof(fc.constantFrom(',', ';', '\t', '|', '"', '\n', '\r', '=', '-', '@', '+', ' '), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 })), maxLength: 8 });

describe('writer → reader round trip', () => {
  it('reads back exactly what was written (formula neutralising off)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }).chain((cols) =>
          fc.tuple(
            fc.constant(Array.from({ length: cols }, (_, k) => `col${k}`)),
            fc.array(fc.array(cell, { minLength: cols, maxLength: cols }), { minLength: 1, maxLength: 6 }),
            fc.constantFrom(...CSV_DELIMITERS),
            fc.constantFrom<'\r\n' | '\n'>('\r\n', '\n'),
          ),
        ),
        ([header, rows, delimiter, lineEnding]) => {
          const text = formatCsv(header, rows, { delimiter, lineEnding, neutraliseFormulas: false });
          const parsed = parseCsv(new TextEncoder().encode(text), { delimiter });
          expect(parsed.summary.header).toEqual(header);
          expect(parsed.rejected).toEqual([]);
          expect(parsed.records.map((r) => r.fields)).toEqual(rows);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('with neutralising on, reads back the neutralised cells and no formula survives', () => {
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 2, maxLength: 2 }), { minLength: 1, maxLength: 6 }), (rows) => {
        const parsed = parseCsv(new TextEncoder().encode(formatCsv(['a', 'b'], rows)), { delimiter: ',' });
        const got = parsed.records.map((r) => r.fields);
        expect(got).toEqual(rows.map((r) => r.map(neutraliseFormula)));
        for (const v of got.flat()) {
          expect(/^[=+\-@\t\r]/.test(v) && !/^[+-][\d.]/.test(v)).toBe(false);
        }
      }),
      { numRuns: 200 },
    );
  });
});
