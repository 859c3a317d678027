import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packFactor, packGradients, quantizeGradients, quantizeHessians, quantScale } from './quantize.js';

describe('gradient quantisation', () => {
  it('makes sums exact: any order and any grouping of the rows give the same total', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { minLength: 1, maxLength: 400 }), fc.integer({ min: 1, max: 7 }), (g, parts) => {
        const q = Float64Array.from(g);
        const maxAbs = q.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
        const s = quantScale(maxAbs, q.length);
        quantizeGradients(q, s, 0, q.length);
        let forward = 0;
        for (const v of q) {
          forward += v;
        }
        let backward = 0;
        for (let i = q.length - 1; i >= 0; i--) {
          backward += q[i]!;
        }
        // Partial sums per "thread", added in reverse order.
        const partial = new Array<number>(parts).fill(0);
        q.forEach((v, i) => {
          partial[i % parts]! += v;
        });
        const merged = partial.reduceRight((a, b) => a + b, 0);
        expect(backward).toBe(forward);
        expect(merged).toBe(forward);
        expect(Math.abs(forward)).toBeLessThan(2 ** 53);
        // And the real value is close to the exact sum.
        expect(Math.abs(forward / s - g.reduce((a, b) => a + b, 0))).toBeLessThanOrEqual(q.length / s);
      }),
      { numRuns: 200 },
    );
  });

  it('picks a power of two that keeps n · max|g| · scale ≤ 2^52', () => {
    for (const [maxAbs, n] of [
      [16, 1_000_000],
      [1, 80_000],
      [1e-300, 10],
      [1e300, 10],
      [0.25, 1],
      [3.7, 12_345],
    ] as const) {
      const s = quantScale(maxAbs, n);
      expect(Number.isFinite(s) && s > 0).toBe(true);
      expect(Number.isInteger(Math.log2(s))).toBe(true);
      expect(n * maxAbs * s).toBeLessThanOrEqual(2 ** 52);
      if (maxAbs > 1e-200) {
        // As fine as allowed (tiny magnitudes hit the exponent clamp that keeps the scale finite).
        expect(n * maxAbs * s * 2).toBeGreaterThan(2 ** 52);
      }
    }
    expect(quantScale(0, 100)).toBe(1);
    expect(quantScale(NaN, 100)).toBe(1);
  });

  it('never rounds a hessian to zero', () => {
    const h = Float64Array.from([1e-16, 0.25, 0.1]);
    quantizeHessians(h, quantScale(0.25, 3), 0, 3);
    expect(Math.min(...h)).toBeGreaterThanOrEqual(1);
  });

  it('packs a row count into each gradient and gets both back exactly from any sum', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -20, max: 20, noNaN: true }), { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 0, max: 2 ** 20 }),
        (g, seed) => {
          const n = g.length;
          const K = packFactor(n);
          expect(K).toBeGreaterThan(n);
          const maxAbs = g.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
          const s = quantScale(maxAbs, n * K);
          const packed = Float64Array.from(g);
          packGradients(packed, s, K, 0, n);
          // A "histogram cell": an arbitrary subset of the rows.
          let sum = 0;
          let q = 0;
          let count = 0;
          g.forEach((v, i) => {
            if (((i * 2654435761 + seed) >>> 0) % 3 !== 0) {
              sum += packed[i]!;
              q += Math.round(v * s);
              count++;
            }
          });
          const gq = Math.floor(sum / K);
          expect(gq).toBe(q);
          expect(sum - gq * K).toBe(count);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('packs only while gradients keep at least 2^12 levels', () => {
    expect(packFactor(80_000)).toBe(2 ** 17);
    expect(packFactor(2 ** 20)).toBe(0);
    expect(packFactor(2 ** 20 - 1)).toBe(2 ** 20);
    expect(packFactor(2 ** 20 + 1)).toBe(0);
  });
});
