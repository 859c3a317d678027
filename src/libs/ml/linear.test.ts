import { describe, expect, it } from 'vitest';
import { matrixFromColumns } from './feature-matrix.js';
import { choleskySolve, fitLogistic, fitRidge, predictLinear } from './linear.js';
import { auc } from './metrics.js';
import { createPrng } from './prng.js';

describe('ridge regression', () => {
  it('recovers exact coefficients with no noise and no penalty', () => {
    const a = [1, 2, 3, 4, 5, 6];
    const b = [0, 1, 0, 1, 1, 0];
    const y = a.map((v, i) => 2 + 3 * v - 4 * b[i]!);
    const model = fitRidge(matrixFromColumns(['a', 'b'], [a, b]), y, { lambda: 0 });
    expect(model.intercept).toBeCloseTo(2, 9);
    expect(model.coef[0]).toBeCloseTo(3, 9);
    expect(model.coef[1]).toBeCloseTo(-4, 9);
  });
  it('shrinks coefficients as lambda grows and imputes missing with the mean', () => {
    const a = [1, 2, 3, 4];
    const y = [1, 2, 3, 5];
    const m = matrixFromColumns(['a'], [a]);
    const small = fitRidge(m, y, { lambda: 0 });
    const big = fitRidge(m, y, { lambda: 100 });
    expect(Math.abs(big.coef[0]!)).toBeLessThan(Math.abs(small.coef[0]!));
    const p = predictLinear(small, matrixFromColumns(['a'], [[NaN]]));
    expect(p[0]).toBeCloseTo(small.intercept + small.coef[0]! * 2.5, 12);
  });
  it('gives a constant column a zero coefficient and reports collinearity without a penalty', () => {
    const m = matrixFromColumns(['a', 'c', 'a2'], [[1, 2, 3], [7, 7, 7], [2, 4, 6]]);
    expect(fitRidge(m, [1, 2, 4], { lambda: 1 }).coef[1]).toBe(0);
    expect(() => fitRidge(m, [1, 2, 4], { lambda: 0 })).toThrowError(expect.objectContaining({ code: 'HAVEN_ML_SINGULAR' }) as Error);
  });
  it('Cholesky solves a known system', () => {
    const x = choleskySolve(Float64Array.from([4, 2, 2, 3]), Float64Array.from([2, 1]), 2);
    expect(x[0]).toBeCloseTo(0.5, 12);
    expect(x[1]).toBeCloseTo(0, 12);
  });
});

describe('logistic regression', () => {
  it('separates a noisy linear boundary and returns probabilities', () => {
    const rng = createPrng(9);
    const n = 1000;
    const x1 = Float64Array.from({ length: n }, () => rng.next() * 4 - 2);
    const x2 = Float64Array.from({ length: n }, () => rng.next() * 4 - 2);
    const y = Float64Array.from(x1, (v, i) => (1 / (1 + Math.exp(-(2 * v - x2[i]!))) > rng.next() ? 1 : 0));
    const m = matrixFromColumns(['x1', 'x2'], [x1, x2]);
    const model = fitLogistic(m, y, { lambda: 0.01 });
    expect(model.coef[0]).toBeGreaterThan(1.3);
    expect(model.coef[0]).toBeLessThan(2.7);
    expect(model.coef[1]).toBeLessThan(-0.6);
    const p = predictLinear(model, m);
    expect(auc(y, p)).toBeGreaterThan(0.8);
    expect(Math.max(...p)).toBeLessThan(1);
  });
  it('rejects non-binary labels', () => {
    expect(() => fitLogistic(matrixFromColumns(['a'], [[1, 2, 3]]), [0, 2, 1])).toThrowError(
      expect.objectContaining({ code: 'HAVEN_ML_TARGET_NOT_BINARY' }) as Error,
    );
  });
});
