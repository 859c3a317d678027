import { describe, it, expect } from 'vitest';
import { HavenError } from '../../../errors/haven-error.js';
import { clipGradients, leafSensitivity, noisyLeafValue } from './noisy-leaf.js';
import { seededRandom } from './seeded-random.js';

describe('noisy leaf values', () => {
  it('clips gradients', () => {
    expect(clipGradients([-3, -0.5, 0, 2], 1)).toEqual([-1, -0.5, 0, 1]);
  });
  it('unit-hessian sensitivity is clip/(1+λ) and bounds the worst neighbour change', () => {
    const opts = { clip: 1, epsilonPerLeaf: 1, lambda: 2 };
    expect(leafSensitivity(opts)).toBeCloseTo(1 / 3, 12);
    // brute force: n records all at +c, add one at -c (the worst case).
    for (let n = 0; n < 50; n++) {
      const v = n === 0 ? 0 : -n / (n + 2);
      const v2 = -(n - 1) / (n + 1 + 2);
      expect(Math.abs(v - v2)).toBeLessThanOrEqual(leafSensitivity(opts) + 1e-12);
    }
  });
  it('general hessian range bound holds on random neighbours', () => {
    const opts = { clip: 1, epsilonPerLeaf: 1, lambda: 1, hessianRange: [0.05, 0.25] as const };
    const s = leafSensitivity(opts);
    const r = seededRandom(5);
    for (let t = 0; t < 2000; t++) {
      const n = Math.floor(r() * 20);
      let G = 0;
      let H = 0;
      for (let i = 0; i < n; i++) {
        G += r() < 0.5 ? -1 : 1;
        H += 0.05 + r() * 0.2;
      }
      const g = r() * 2 - 1;
      const h = 0.05 + r() * 0.2;
      const d = Math.abs(-G / (H + 1) + (G + g) / (H + h + 1));
      expect(d).toBeLessThanOrEqual(s + 1e-12);
    }
  });
  it('is unbiased around the Newton value with Laplace spread sensitivity/ε', () => {
    const r = seededRandom(6);
    const xs = Array.from({ length: 10000 }, () => noisyLeafValue(-30, 100, 100, { clip: 1, epsilonPerLeaf: 0.5, lambda: 1 }, r));
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(Math.abs(mean - 30 / 101)).toBeLessThan(0.02);
    const v = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
    const b = 1 / 2 / 0.5;
    expect(v / (2 * b * b)).toBeGreaterThan(0.9);
    expect(v / (2 * b * b)).toBeLessThan(1.1);
  });
  it('refuses unclipped sums rather than under-noising', () => {
    expect(() => noisyLeafValue(50, 10, 10, { clip: 1, epsilonPerLeaf: 1, lambda: 1 }, seededRandom(1))).toThrowError(HavenError);
  });
});
