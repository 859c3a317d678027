import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binValue, edgesFromSorted } from './binning.js';

describe('binning properties', () => {
  it('bin(x) <= b exactly when x <= edges[b], for any data and bin budget', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 400 }),
        fc.integer({ min: 2, max: 255 }),
        (values, maxBins) => {
          const sorted = Float64Array.from(values).sort();
          const e = edgesFromSorted(sorted, maxBins);
          expect(e.length + 1).toBeLessThanOrEqual(maxBins);
          for (let i = 1; i < e.length; i++) {
            expect(e[i]!).toBeGreaterThan(e[i - 1]!);
          }
          for (const x of values) {
            const bx = binValue(e, x);
            for (let b = 0; b < e.length; b++) {
              expect(bx <= b).toBe(x <= e[b]!);
            }
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
