import { describe, expect, it } from 'vitest';
import { matrixFromColumns } from './feature-matrix.js';
import { estimateGbdtBytes, featureImportance, trainGbdt } from './gbdt.js';
import { validateModel } from './gbdt-model.js';
import { auc, rmse } from './metrics.js';
import { predictGbdt } from './predict.js';
import { createPrng } from './prng.js';
import { stepData } from './test-helpers.js';

const code = (c: string): Error => expect.objectContaining({ code: c }) as Error;

describe('trainGbdt', () => {
  const train = stepData(4000, 1);
  const test = stepData(2000, 2);

  it('recovers step functions (with missing values) to near the noise level', () => {
    const model = trainGbdt(train.m, train.y, { nRounds: 150, maxDepth: 4, learningRate: 0.1 });
    const p = predictGbdt(model, test.m);
    // Noise sd ≈ 0.1; the truth has a linear x2 term that steps approximate, so allow a little more.
    expect(rmse(test.truth, p)).toBeLessThan(0.12);
    const imp = featureImportance(model);
    expect(imp[0]!.feature).toBe('x0');
    expect(imp.at(-1)!.feature).toBe('x3');
  });

  it('is deterministic for a seed, with row and feature subsampling', () => {
    const o = { nRounds: 20, subsample: 0.7, colsample: 0.75, seed: 42 };
    const a = trainGbdt(train.m, train.y, o);
    const b = trainGbdt(train.m, train.y, o);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    const c = trainGbdt(train.m, train.y, { ...o, seed: 43 });
    expect(JSON.stringify(c)).not.toBe(JSON.stringify(a));
  });

  it('grows leaf-wise up to maxLeaves', () => {
    const model = trainGbdt(train.m, train.y, { nRounds: 30, growPolicy: 'lossguide', maxLeaves: 8 });
    for (const t of model.trees) {
      expect(t.feature.filter((f) => f < 0).length).toBeLessThanOrEqual(8);
    }
    expect(rmse(test.truth, predictGbdt(model, test.m))).toBeLessThan(0.2);
  });

  it('respects depth and min samples per leaf', () => {
    const model = trainGbdt(train.m, train.y, { nRounds: 5, maxDepth: 2, minSamplesLeaf: 500 });
    for (const t of model.trees) {
      expect(t.feature.length).toBeLessThanOrEqual(7);
    }
  });

  it('supports absolute and Huber losses, robust to outliers', () => {
    const y = Float64Array.from(train.y);
    for (let i = 0; i < y.length; i += 50) {
      y[i]! += 100;
    }
    // Leaves of ≥ 20 rows: a one-row leaf holding an outlier would take the outlier as its median.
    const o = { nRounds: 80, minSamplesLeaf: 20 };
    const sq = trainGbdt(train.m, y, o);
    const abs = trainGbdt(train.m, y, { ...o, objective: 'absolute' });
    const hub = trainGbdt(train.m, y, { ...o, objective: 'huber', huberDelta: 1 });
    const e = (m: typeof sq): number => rmse(test.truth, predictGbdt(m, test.m));
    expect(e(abs)).toBeLessThan(e(sq));
    expect(e(hub)).toBeLessThan(e(sq));
    expect(e(abs)).toBeLessThan(0.3);
  });

  it('classifies with log-loss', () => {
    const yb = Float64Array.from(train.truth, (v) => (v > 2 ? 1 : 0));
    const tb = Float64Array.from(test.truth, (v) => (v > 2 ? 1 : 0));
    const model = trainGbdt(train.m, yb, { objective: 'logloss', nRounds: 60 });
    const p = predictGbdt(model, test.m);
    expect(Math.min(...p)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...p)).toBeLessThanOrEqual(1);
    expect(auc(tb, p)).toBeGreaterThan(0.97);
  });

  it('stops early on a validation set and reports progress', () => {
    const seen: number[] = [];
    const model = trainGbdt(train.m, train.y, {
      nRounds: 2000, learningRate: 0.3, valid: { matrix: test.m, target: test.y }, earlyStoppingRounds: 10,
      onProgress: (p) => {
        seen.push(p.round);
        expect(p.validLoss).toBeGreaterThan(0);
      },
    });
    expect(seen.length).toBeLessThan(2000);
    expect(model.trees.length).toBe(model.bestIteration);
    expect(seen.length).toBe(model.bestIteration + 10);
  });

  it('cancels when asked', () => {
    let calls = 0;
    expect(() => trainGbdt(train.m, train.y, { nRounds: 50, shouldCancel: () => ++calls > 3 })).toThrowError(code('HAVEN_ML_TRAIN_CANCELLED'));
    expect(calls).toBe(4);
  });

  it('produces a JSON round-trippable model that predicts the same', () => {
    const model = trainGbdt(train.m, train.y, { nRounds: 10 });
    const back = validateModel(JSON.parse(JSON.stringify(model)));
    expect(Array.from(predictGbdt(back, test.m))).toEqual(Array.from(predictGbdt(model, test.m)));
  });
});

describe('trainGbdt input errors', () => {
  const m = matrixFromColumns(['a', 'b'], [[1, 2, 3, 4], [0, 1, 0, 1]]);
  it.each([
    ['constant target', [1, 1, 1, 1], 'HAVEN_ML_TARGET_CONSTANT'],
    ['NaN in target', [1, NaN, 2, 3], 'HAVEN_ML_TARGET_NOT_FINITE'],
    ['Infinity in target', [1, Infinity, 2, 3], 'HAVEN_ML_TARGET_NOT_FINITE'],
    ['wrong target length', [1, 2], 'HAVEN_ML_SHAPE_MISMATCH'],
  ])('%s', (_name, y, c) => {
    expect(() => trainGbdt(m, y)).toThrowError(code(c));
  });
  it('one row', () => {
    expect(() => trainGbdt(matrixFromColumns(['a'], [[1]]), [1])).toThrowError(code('HAVEN_ML_TOO_FEW_ROWS'));
  });
  it('non-binary labels for log-loss', () => {
    expect(() => trainGbdt(m, [0, 1, 2, 1], { objective: 'logloss' })).toThrowError(code('HAVEN_ML_TARGET_NOT_BINARY'));
  });
  it('only constant or all-missing features', () => {
    const bad = matrixFromColumns(['a', 'b'], [[NaN, NaN, NaN], [5, 5, 5]]);
    expect(() => trainGbdt(bad, [1, 2, 3])).toThrowError(code('HAVEN_ML_NO_FEATURES'));
  });
  it('an all-missing feature next to a useful one is ignored', () => {
    const mm = matrixFromColumns(['a', 'empty'], [[1, 2, 3, 4, 5, 6], [NaN, NaN, NaN, NaN, NaN, NaN]]);
    const model = trainGbdt(mm, [1, 1, 1, 5, 5, 5], { nRounds: 3, minChildWeight: 0 });
    expect(model.featureImportance[1]).toBe(0);
    expect(model.featureImportance[0]).toBeGreaterThan(0);
  });
  it('data over the memory limit', () => {
    expect(() => trainGbdt(m, [1, 2, 3, 4], { memoryLimitBytes: 1000 })).toThrowError(code('HAVEN_ML_MEMORY_LIMIT'));
    expect(estimateGbdtBytes(1_000_000, 29)).toBeGreaterThan(29_000_000);
  });
  it('bad options', () => {
    expect(() => trainGbdt(m, [1, 2, 3, 4], { learningRate: 0 })).toThrowError(code('HAVEN_ML_BAD_OPTION'));
    expect(() => trainGbdt(m, [1, 2, 3, 4], { subsample: 1.5 })).toThrowError(code('HAVEN_ML_BAD_OPTION'));
    expect(() => trainGbdt(m, [1, 2, 3, 4], { earlyStoppingRounds: 5 })).toThrowError(code('HAVEN_ML_BAD_OPTION'));
  });
});

describe('missing values', () => {
  it('learns a direction for NaN and applies it at prediction', () => {
    const rng = createPrng(5);
    const n = 2000;
    const x = Float64Array.from({ length: n }, () => (rng.next() < 0.3 ? NaN : rng.next()));
    const y = Float64Array.from(x, (v) => (Number.isNaN(v) ? 10 : v > 0.5 ? 5 : 0));
    const model = trainGbdt(matrixFromColumns(['x'], [x]), y, { nRounds: 50, learningRate: 0.3 });
    const p = predictGbdt(model, matrixFromColumns(['x'], [[NaN, 0.2, 0.9]]));
    expect(p[0]).toBeCloseTo(10, 1);
    expect(p[1]).toBeCloseTo(0, 1);
    expect(p[2]).toBeCloseTo(5, 1);
  });
});
