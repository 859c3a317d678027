import { describe, expect, it } from 'vitest';
import { matrixFromColumns } from './feature-matrix.js';
import { trainGbdt } from './gbdt.js';
import type { GbdtModel } from './gbdt-model.js';
import { predictGbdt, predictTreeRow } from './predict.js';
import { stepData } from './test-helpers.js';

function slow(model: GbdtModel, m: { data: Float64Array | Float32Array; nRows: number }): Float64Array {
  const out = new Float64Array(m.nRows).fill(model.baseScore);
  for (const t of model.trees) {
    for (let r = 0; r < m.nRows; r++) {
      out[r]! += predictTreeRow(t, m.data, m.nRows, r);
    }
  }
  return out;
}

describe('predictGbdt', () => {
  const train = stepData(3000, 7);
  const test = stepData(1000, 8);

  it('matches plain tree traversal (depth-wise, with NaN cells)', () => {
    const model = trainGbdt(train.m, train.y, { nRounds: 30, maxDepth: 5 });
    const fast = predictGbdt(model, test.m);
    const ref = slow(model, test.m);
    for (let i = 0; i < ref.length; i++) {
      expect(fast[i]).toBeCloseTo(ref[i]!, 10);
    }
  });
  it('matches plain traversal for deep leaf-wise trees (fallback path)', () => {
    const model = trainGbdt(train.m, train.y, { nRounds: 5, growPolicy: 'lossguide', maxLeaves: 200, minChildWeight: 0 });
    const ref = slow(model, test.m);
    expect(Array.from(predictGbdt(model, test.m))).toEqual(Array.from(ref));
  });
  it('can use only the first trees, and predicts values exactly at thresholds consistently', () => {
    const model = trainGbdt(train.m, train.y, { nRounds: 10 });
    const t0 = model.trees[0]!;
    const thr = t0.threshold[0]!;
    const f = t0.feature[0]!;
    const cols = [0, 1, 2, 3].map((c) => (c === f ? [thr, thr + Math.abs(thr) * 1e-12 + 1e-300] : [0.5, 0.5]));
    const m = matrixFromColumns(model.featureNames, cols);
    const one = predictGbdt(model, m, { nTrees: 1 });
    expect(one[0]).toBeCloseTo(model.baseScore + predictTreeRow(t0, m.data, 2, 0), 12);
    expect(one[1]).toBeCloseTo(model.baseScore + predictTreeRow(t0, m.data, 2, 1), 12);
  });
  it('rejects a matrix with other columns', () => {
    const model = trainGbdt(train.m, train.y, { nRounds: 2 });
    const m = matrixFromColumns(['x0', 'x1', 'x2', 'zz'], [[1], [1], [1], [1]]);
    expect(() => predictGbdt(model, m)).toThrowError(expect.objectContaining({ code: 'HAVEN_ML_SHAPE_MISMATCH' }) as Error);
  });
});
