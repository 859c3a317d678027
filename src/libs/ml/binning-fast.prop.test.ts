import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binColumn, binPadded, binValue, edgesFromSorted, fitBinMapper, padEdges } from './binning.js';
import { matrixFromColumns } from './feature-matrix.js';

/** The plain rule: edges from the fully sorted column (what fitBinMapper did before its fast paths). */
function sortedEdges(col: number[], maxBins: number): number[] {
  return Array.from(edgesFromSorted(Float64Array.from(col.filter((v) => !Number.isNaN(v))).sort(), maxBins));
}

describe('binning fast paths', () => {
  it('fitBinMapper (distinct-value path for few values, sort otherwise) equals edges from the sorted column', () => {
    const few = fc.oneof(fc.constantFrom(0, 1, -0, 2.5, -3), fc.constant(NaN));
    const many = fc.oneof(fc.double({ min: -1e3, max: 1e3, noNaN: true }), fc.constant(NaN));
    fc.assert(
      fc.property(
        fc.array(few, { minLength: 1, maxLength: 300 }),
        fc.array(many, { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 2, max: 40 }),
        (a, b, maxBins) => {
          const n = Math.min(a.length, b.length);
          const cols = [a.slice(0, n), b.slice(0, n)];
          const mapper = fitBinMapper(matrixFromColumns(['few', 'many'], cols), { maxBins });
          cols.forEach((col, f) => {
            expect(Array.from(mapper.edges[f]!)).toEqual(sortedEdges(col, maxBins));
            expect(mapper.hasMissing[f]).toBe(col.some((v) => Number.isNaN(v)));
          });
        },
      ),
      { numRuns: 120 },
    );
  });

  it('the branch-free search gives the same bin as the binary search, padded edges included', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }), { maxLength: 254 }),
        fc.array(fc.oneof(fc.double({ noNaN: true }), fc.constantFrom(Infinity, -Infinity, 0, -0)), { minLength: 1, maxLength: 50 }),
        (raw, xs) => {
          const edges = Float64Array.from(raw).sort();
          const pe = padEdges(edges);
          expect(pe.length + 1).toBeGreaterThanOrEqual(edges.length + 1);
          expect(Number.isInteger(Math.log2(pe.length + 1))).toBe(true);
          for (const x of [...xs, ...edges]) {
            expect(binPadded(pe, x)).toBe(binValue(edges, x));
          }
          const data = Float64Array.from([...xs, NaN]);
          const out = new Uint8Array(data.length);
          binColumn(edges, data, 0, data.length, out, 0);
          expect(Array.from(out)).toEqual(Array.from(data, (x) => binValue(edges, x)));
        },
      ),
      { numRuns: 200 },
    );
  });
});
