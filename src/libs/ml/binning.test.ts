import { describe, expect, it } from 'vitest';
import { binMatrix, binValue, edgesFromSorted, fitBinMapper, MAX_VALUE_BINS, valueBins } from './binning.js';
import { matrixFromColumns } from './feature-matrix.js';

describe('binning', () => {
  it('gives each distinct value its own bin when there are few', () => {
    const e = edgesFromSorted(Float64Array.from([1, 1, 2, 3, 3, 3]), 255);
    expect(Array.from(e)).toEqual([1.5, 2.5]);
    expect([1, 2, 3].map((x) => binValue(e, x))).toEqual([0, 1, 2]);
  });
  it('caps at 255 value bins with roughly equal counts', () => {
    const v = Float64Array.from({ length: 10_000 }, (_, i) => i);
    const e = edgesFromSorted(v, MAX_VALUE_BINS);
    expect(e.length + 1).toBeLessThanOrEqual(MAX_VALUE_BINS);
    expect(e.length + 1).toBeGreaterThan(250);
    const counts = new Map<number, number>();
    for (const x of v) {
      const b = binValue(e, x);
      counts.set(b, (counts.get(b) ?? 0) + 1);
    }
    const sizes = [...counts.values()];
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(2);
  });
  it('puts NaN in the missing bin after the value bins', () => {
    const m = matrixFromColumns(['a'], [[1, NaN, 2]]);
    const mapper = fitBinMapper(m);
    expect(mapper.hasMissing[0]).toBe(true);
    expect(Array.from(binMatrix(mapper, m))).toEqual([0, valueBins(mapper, 0), 1]);
  });
  it('rejects an out-of-range bin count', () => {
    const m = matrixFromColumns(['a'], [[1, 2]]);
    expect(() => fitBinMapper(m, { maxBins: 300 })).toThrowError(expect.objectContaining({ code: 'HAVEN_ML_BAD_OPTION' }) as Error);
  });
});
