import { describe, it, expect } from 'vitest';
import { clampValues, dpCount, dpMean, dpSum } from './dp-aggregates.js';
import { seededRandom } from './seeded-random.js';

describe('DP aggregates', () => {
  it('clamps into the public range', () => {
    expect(clampValues([-5, 0.5, 99], 0, 10)).toEqual([0, 0.5, 10]);
  });
  it('count noise is centred with variance 2/ε²', () => {
    const r = seededRandom(11);
    const xs = Array.from({ length: 10000 }, () => dpCount(50, 1, r).value);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const v = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
    expect(Math.abs(mean - 50)).toBeLessThan(0.1);
    expect(v).toBeGreaterThan(1.8);
    expect(v).toBeLessThan(2.2);
    expect(dpCount(50, 1, r).cost).toEqual({ kind: 'pure', epsilon: 1 });
  });
  it('sum is unbiased for values inside the range; an outlier is clamped, not amplified', () => {
    const r = seededRandom(12);
    const vals = [1, 2, 3, 4, 1e9];
    const xs = Array.from({ length: 4000 }, () => dpSum(vals, { lower: 0, upper: 10, epsilon: 1 }, r).value);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(Math.abs(mean - 20)).toBeLessThan(1);
  });
  it('mean is accurate for a large group and stays inside the range', () => {
    const r = seededRandom(13);
    const vals = Array.from({ length: 5000 }, (_, i) => (i % 10) + 1); // mean 5.5
    const rel = dpMean(vals, { lower: 0, upper: 20, epsilon: 1 }, r);
    expect(Math.abs(rel.value - 5.5)).toBeLessThan(0.1);
    for (let i = 0; i < 200; i++) {
      const v = dpMean([3], { lower: 0, upper: 20, epsilon: 0.1 }, r).value;
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(20);
    }
  });
});
