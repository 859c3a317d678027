/**
 * Haven GBDT → ONNX → onnxruntime-node: the exported model must score like predictGbdt (within 1e-5),
 * on the real LOS sample and on synthetic data with missing values.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { readCsvColumns } from '../../bench/ml/read-csv.js';
import { loadOnnxScorer, type OnnxScorer } from '../../src/adapters/onnx/onnx-scorer.js';
import {
  buildLosData,
  matrixFromColumns,
  predictGbdt,
  selectRows,
  trainGbdt,
  type FeatureMatrix,
  type GbdtModel,
  type GbdtOptions,
} from '../../src/libs/ml/index.js';
import { exportGbdtToOnnx, type OnnxExportOptions } from '../../src/libs/ml/onnx/index.js';
import { stepData } from '../../src/libs/ml/test-helpers.js';

const CSV = fileURLToPath(new URL('../../../shared/data/los-10k.csv', import.meta.url));
const MAX_BYTES = 64 << 20;
const scorers: OnnxScorer[] = [];

afterAll(async () => {
  await Promise.all(scorers.map((s) => s.close()));
});

async function scoreWithOnnx(model: GbdtModel, m: FeatureMatrix, opts: OnnxExportOptions = {}): Promise<Float64Array> {
  const scorer = await loadOnnxScorer(exportGbdtToOnnx(model, opts), { maxBytes: MAX_BYTES });
  scorers.push(scorer);
  expect(scorer.nFeatures).toBe(m.nCols);
  return scorer.score(m.data, m.nRows);
}

/** Largest |a − b| over all rows; fails on length mismatch or any NaN. */
function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) {
    const x = Math.abs(a[i]! - b[i]!);
    if (!(x <= d)) {
      d = x;
    }
  }
  return d;
}

/** Spacing of float32 values around x: onnxruntime's tree ops return float32, so this is the best possible agreement. */
function float32Ulp(x: number): number {
  const f = Math.abs(Math.fround(x));
  return f === 0 ? 2 ** -149 : 2 ** (Math.floor(Math.log2(f)) - 23);
}

function spread(p: ArrayLike<number>): number {
  return Math.max(...Array.from(p)) - Math.min(...Array.from(p));
}

describe('ONNX export on the real LOS 10k sample', () => {
  const { columns } = readCsvColumns(CSV);
  const d = buildLosData(columns);
  const tr: number[] = [];
  const te: number[] = [];
  d.isTest.forEach((t, r) => (t === 1 ? te : tr).push(r));
  const train = selectRows(d.matrix, tr);
  const test = selectRows(d.matrix, te);
  const yTrain = tr.map((r) => d.target[r]!);

  it('squared error, 300 rounds depth 6: onnxruntime matches predictGbdt within 1e-5 (one float32 rounding)', async () => {
    const model = trainGbdt(train, yTrain, { nRounds: 300, maxDepth: 6, learningRate: 0.1, seed: 1 });
    const haven = predictGbdt(model, test);
    const onnx = await scoreWithOnnx(model, test);
    expect(test.nRows).toBe(2000);
    expect(spread(haven)).toBeGreaterThan(5);
    expect(maxAbsDiff(onnx, haven)).toBeLessThanOrEqual(1e-5);
    // Branch decisions and the double sum agree; only the final cast to float32 differs.
    for (let i = 0; i < haven.length; i++) {
      expect(Math.abs(onnx[i]! - haven[i]!)).toBeLessThanOrEqual(float32Ulp(haven[i]!));
    }
  });

  it.each<[string, GbdtOptions]>([
    ['absolute', { objective: 'absolute', nRounds: 60, maxDepth: 5 }],
    ['huber', { objective: 'huber', huberDelta: 1.5, nRounds: 60, maxDepth: 5 }],
    ['lossguide (trees deeper than predict’s perfect-tree limit)', { growPolicy: 'lossguide', maxDepth: 0, maxLeaves: 64, nRounds: 40 }],
  ])('%s: onnxruntime matches predictGbdt within 1e-5', async (_name, opts) => {
    const model = trainGbdt(train, yTrain, { seed: 3, ...opts });
    const haven = predictGbdt(model, test);
    expect(spread(haven)).toBeGreaterThan(1);
    expect(maxAbsDiff(await scoreWithOnnx(model, test), haven)).toBeLessThanOrEqual(1e-5);
  });

  it('logloss (stay > 4 days): exported probabilities match within 1e-5', async () => {
    const yb = yTrain.map((v) => (v > 4 ? 1 : 0));
    const model = trainGbdt(train, yb, { objective: 'logloss', nRounds: 150, maxDepth: 5, seed: 1 });
    const haven = predictGbdt(model, test);
    expect(Math.min(...haven)).toBeLessThan(0.05);
    expect(Math.max(...haven)).toBeGreaterThan(0.95);
    expect(maxAbsDiff(await scoreWithOnnx(model, test), haven)).toBeLessThanOrEqual(1e-5);
  });

  it('float input: matches within 1e-5 on float32-representable features (thresholds rounded down)', async () => {
    const model = trainGbdt(train, yTrain, { nRounds: 100, maxDepth: 6, seed: 1 });
    const test32: FeatureMatrix = { ...test, data: Float32Array.from(test.data) };
    const haven = predictGbdt(model, test32);
    expect(maxAbsDiff(await scoreWithOnnx(model, test32, { inputType: 'float' }), haven)).toBeLessThanOrEqual(1e-5);
  });
});

describe('ONNX export with missing values (synthetic)', () => {
  const { m, y } = stepData(4000, 11);
  const model = trainGbdt(m, y, { nRounds: 80, maxDepth: 5, seed: 5 });

  /** Scoring rows with NaN in every feature in turn, including features that had no NaN in training. */
  function withHoles(src: FeatureMatrix): FeatureMatrix {
    const data = Float64Array.from(src.data);
    for (let r = 0; r < src.nRows; r++) {
      const c = r % (src.nCols + 1);
      if (c < src.nCols) {
        data[c * src.nRows + r] = NaN;
      }
    }
    return { ...src, data };
  }

  it('sends NaN the way defaultLeft says, in both directions, exactly like predictGbdt', async () => {
    const splits = model.trees.flatMap((t) => t.defaultLeft.filter((_, i) => t.feature[i]! >= 0));
    expect(splits).toContain(0);
    expect(splits).toContain(1);
    const holes = withHoles(m);
    const haven = predictGbdt(model, holes);
    expect(maxAbsDiff(await scoreWithOnnx(model, holes), haven)).toBeLessThanOrEqual(1e-5);
    expect(maxAbsDiff(await scoreWithOnnx(model, holes, { inputType: 'float' }), haven)).toBeLessThanOrEqual(1e-5);
  });

  it('logloss with NaNs matches', async () => {
    const clf = trainGbdt(
      m,
      Float64Array.from(y, (v) => (v > 2 ? 1 : 0)),
      { objective: 'logloss', nRounds: 60, maxDepth: 4, seed: 2 },
    );
    const holes = withHoles(m);
    expect(maxAbsDiff(await scoreWithOnnx(clf, holes), predictGbdt(clf, holes))).toBeLessThanOrEqual(1e-5);
  });
});

describe('ONNX export precision (hand-made model)', () => {
  // One split at t = 1 + 2^-40: no float32 lies strictly between 1 and t, so only double thresholds separate
  // x = 1 + 2^-41 (left) from x = 1 + 2^-39 (right).
  const t = 1 + 2 ** -40;
  const model: GbdtModel = {
    format: 'haven-gbdt',
    version: 1,
    objective: 'squared',
    baseScore: 0.5,
    featureNames: ['x'],
    trees: [{ feature: [0, -1, -1], threshold: [t, 0, 0], left: [1, -1, -1], right: [2, -1, -1], value: [0, 1, 2], defaultLeft: [0, 0, 0] }],
    featureImportance: [1],
    bestIteration: 1,
    params: {},
  };
  const xs = matrixFromColumns(['x'], [Float64Array.of(1 + 2 ** -41, 1 + 2 ** -39, t, 1, NaN, 2)]);

  it('double input reproduces every decision, even between adjacent float32 values', async () => {
    const haven = predictGbdt(model, xs);
    expect(Array.from(haven)).toEqual([1.5, 2.5, 1.5, 1.5, 2.5, 2.5]);
    expect(Array.from(await scoreWithOnnx(model, xs))).toEqual(Array.from(haven));
  });

  it('float input cannot: 1 + 2^-39 rounds to 1 and goes left (why double is the default)', async () => {
    const onnx = await scoreWithOnnx(model, xs, { inputType: 'float' });
    expect(onnx[1]).toBe(1.5);
  });

  it('a model with no trees scores its base score', async () => {
    const empty: GbdtModel = { ...model, trees: [], bestIteration: 0 };
    expect(Array.from(await scoreWithOnnx(empty, xs))).toEqual(new Array(6).fill(0.5));
  });
});
