import { describe, expect, it } from 'vitest';
import { matrixFromColumns } from '../ml/feature-matrix.js';
import { validateModel } from '../ml/gbdt-model.js';
import { predictGbdt } from '../ml/predict.js';
import { createPrng } from '../ml/prng.js';
import { LINEAR_STEPS, linearAsTrees, type ClampedLinear } from './linear-as-trees.js';

const lin: ClampedLinear = {
  names: ['a', 'b', 'unused'],
  lower: [0, 100, 5],
  upper: [10, 200, 5],
  weights: [0.7, -0.4, 3],
  intercept: 0.1,
  scale: { offset: 4, factor: 2.5 },
};

function exact(x: readonly number[]): number {
  let s = lin.intercept;
  x.forEach((v, j) => {
    const lo = lin.lower[j]!;
    const hi = lin.upper[j]!;
    const z = !(hi > lo) || Number.isNaN(v) ? 0 : Math.max(-1, Math.min(1, (2 * (v - lo)) / (hi - lo) - 1));
    s += lin.weights[j]! * z;
  });
  return lin.scale.offset + lin.scale.factor * s;
}

describe('linearAsTrees', () => {
  it('predicts the clamped linear model within Σ|w|·factor/steps, missing and out-of-range values included', () => {
    const model = validateModel(linearAsTrees(lin, { dp: true }));
    expect(model.trees).toHaveLength(2); // the feature with an empty range gets no tree
    const rng = createPrng(4);
    const rows = Array.from({ length: 2000 }, () => [
      rng.next() < 0.1 ? NaN : rng.next() * 14 - 2,
      rng.next() < 0.1 ? NaN : 80 + rng.next() * 140,
      rng.next() * 10,
    ]);
    const m = matrixFromColumns(
      lin.names,
      lin.names.map((_, j) => Float64Array.from(rows, (r) => r[j]!)),
    );
    const p = predictGbdt(model, m);
    const bound = ((0.7 + 0.4) * lin.scale.factor) / LINEAR_STEPS + 1e-12;
    let worst = 0;
    rows.forEach((r, i) => (worst = Math.max(worst, Math.abs(p[i]! - exact(r)))));
    expect(worst).toBeLessThanOrEqual(bound);
    expect(worst).toBeGreaterThan(0); // a staircase, not the line itself
  });
});
