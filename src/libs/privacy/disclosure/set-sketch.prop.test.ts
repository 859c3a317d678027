import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { roundToBase } from './round-counts.js';
import { compareSketches, mayBeSmallerThan, sketchCells, sketchSet } from './set-sketch.js';

describe('set sketch properties', () => {
  it('a difference below the threshold is always reported as possibly small; equal sets decode to 0', () => {
    const m = sketchCells(10);
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 20, maxLength: 120 }),
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 0, max: 9 }),
        (ids, drop, add) => {
          const a = ids.map(String);
          const b = [...a.slice(Math.min(drop, a.length - 1)), ...Array.from({ length: add }, (_, i) => `new-${i}`)];
          const size = Math.min(drop, a.length - 1) + add;
          const c = compareSketches(sketchSet(a, m, 'salt'), sketchSet(b, m, 'salt'));
          if (size === 0) {
            expect(c).toEqual({ decoded: true, size: 0 });
          } else if (size < 10) {
            expect(mayBeSmallerThan(c, 10)).toBe(true);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
  it('rounding lands on a multiple of the base within half a base', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 1, max: 20 }), (n, base) => {
        const r = roundToBase(n, base);
        expect(r % base).toBe(0);
        expect(Math.abs(r - n)).toBeLessThanOrEqual(base / 2);
      }),
      { numRuns: 300 },
    );
  });
});
