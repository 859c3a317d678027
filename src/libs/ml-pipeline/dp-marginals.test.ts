import { describe, expect, it } from 'vitest';
import { matrixFromColumns } from '../ml/feature-matrix.js';
import { createPrng } from '../ml/prng.js';
import { dpMarginals, GRID_BINS, gridBin, gridLowerEdge, gridUpperEdge, marginalMean, marginalQuantile } from './dp-marginals.js';
import { keyedRandom } from './keyed-random.js';

const key = (b: number): Uint8Array => new Uint8Array(32).fill(b);

function normals(n: number, mean: number, sd: number, seed: number): Float64Array {
  const rng = createPrng(seed);
  return Float64Array.from({ length: n }, () => mean + sd * Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next()));
}

describe('the data-independent grid', () => {
  it('puts every value inside its bin, in order, across signs and magnitudes', () => {
    const rng = createPrng(1);
    let previous = -Infinity;
    const xs = Array.from({ length: 5000 }, () => (rng.next() < 0.5 ? -1 : 1) * 2 ** (rng.next() * 70 - 25)).sort((a, b) => a - b);
    for (const x of [...xs, 0]) {
      const b = gridBin(x);
      expect(b).toBeGreaterThanOrEqual(0);
      expect(b).toBeLessThan(GRID_BINS);
      if (Math.abs(x) < 2 ** 40) {
        expect(gridLowerEdge(b)).toBeLessThanOrEqual(x);
        expect(x).toBeLessThanOrEqual(gridUpperEdge(b));
      }
      if (x !== 0) {
        expect(b).toBeGreaterThanOrEqual(gridBin(previous === -Infinity ? x : previous));
        previous = x;
      }
    }
    // Bins are 2.2 % wide: 138 and 141 fall in different bins, 138 and 138.5 in the same one.
    expect(gridBin(138)).not.toBe(gridBin(141));
    expect(gridBin(138)).toBe(gridBin(138.5));
  });
});

describe('dpMarginals', () => {
  const n = 20_000;
  const sodium = normals(n, 138, 3, 2);
  const flag = Float64Array.from({ length: n }, (_, i) => (i % 10 === 0 ? 1 : 0));
  const missing = new Float64Array(n).fill(NaN);
  const m = matrixFromColumns(['sodium', 'flag', 'missing'], [sodium, flag, missing]);
  const los = Float64Array.from({ length: n }, (_, i) => 1 + (i % 9));

  it('with little noise recovers the scale, quantiles and count of each column; an empty column releases nothing', () => {
    const d = dpMarginals(m, los, 1, keyedRandom(key(1)));
    const s = d.features[0]!;
    expect(s.count / n).toBeGreaterThan(0.98);
    expect(s.count / n).toBeLessThan(1.02);
    expect(Math.abs(marginalQuantile(s, 0.5) - 138) / 138).toBeLessThan(0.02);
    expect(Math.abs(marginalMean(s) - 138) / 138).toBeLessThan(0.02);
    expect(s.thresholds.length).toBeGreaterThanOrEqual(4);
    expect(Math.min(...s.thresholds)).toBeGreaterThan(120);
    expect(Math.max(...s.thresholds)).toBeLessThan(156);
    // The binary flag gets exactly the split that separates 0 from 1 among its candidates.
    expect(d.features[1]!.thresholds.some((t) => t >= 0 && t < 1)).toBe(true);
    expect(d.features[2]!.parts).toEqual([]);
    expect(d.features[2]!.thresholds).toEqual([]);
    expect(d.features[2]!.count).toBe(0);
    expect(Math.abs(marginalMean(d.target) - 5) / 5).toBeLessThan(0.05);
  });

  it('calibrates the noise to ρ: feature histograms share (1 − 1/4)·ρ over √k, the target gets ρ/4', () => {
    const d = dpMarginals(m, los, 0.02, keyedRandom(key(1)));
    expect(d.sigmaFeatures).toBeCloseTo(Math.sqrt(3) / Math.sqrt(2 * 0.75 * 0.02), 9);
    expect(d.sigmaTarget).toBeCloseTo(1 / Math.sqrt(2 * 0.25 * 0.02), 9);
    expect(3 / (2 * d.sigmaFeatures ** 2) + 1 / (2 * d.sigmaTarget ** 2)).toBeCloseTo(0.02, 12);
  });

  it('is noisy: reproducible for a key, different for another key; with heavy noise small data releases nothing', () => {
    const a = dpMarginals(m, los, 0.05, keyedRandom(key(1)));
    expect(dpMarginals(m, los, 0.05, keyedRandom(key(1)))).toEqual(a);
    const b = dpMarginals(m, los, 0.05, keyedRandom(key(2)));
    expect(b.features[0]!.count).not.toBe(a.features[0]!.count);
    const small = matrixFromColumns(['sodium'], [sodium.slice(0, 50)]);
    const noisy = dpMarginals(small, los.slice(0, 50), 1e-4, keyedRandom(key(3)));
    expect(noisy.features[0]!.parts).toEqual([]);
    expect(noisy.target.parts).toEqual([]);
  });

  it('refuses a target of the wrong length and a non-positive ρ', () => {
    expect(() => dpMarginals(m, los.slice(1), 1, keyedRandom(key(1)))).toThrow(expect.objectContaining({ code: 'HAVEN_PRIVACY_INVALID_INPUT' }));
    expect(() => dpMarginals(m, los, 0, keyedRandom(key(1)))).toThrow(expect.objectContaining({ code: 'HAVEN_PRIVACY_INVALID_PARAMETER' }));
  });
});
