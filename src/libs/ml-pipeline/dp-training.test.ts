import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readCsvColumns } from '../../../bench/ml/read-csv.js';
import { selectRows } from '../ml/feature-matrix.js';
import { validateModel } from '../ml/gbdt-model.js';
import { buildLosData } from '../ml/los-features.js';
import { rmse } from '../ml/metrics.js';
import { predictGbdt } from '../ml/predict.js';
import { stepData } from '../ml/test-helpers.js';
import { trainDpGbdt } from './dp-gbdt.js';
import { trainDpLinear } from './dp-linear.js';
import { keyedRandom } from './keyed-random.js';

const CSV = fileURLToPath(new URL('../../../../shared/data/los-10k.csv', import.meta.url));
const key = (b: number): Uint8Array => new Uint8Array(32).fill(b);

function losSplit() {
  const los = buildLosData(readCsvColumns(CSV).columns);
  const train: number[] = [];
  const test: number[] = [];
  los.isTest.forEach((v, i) => (v ? test : train).push(i));
  return {
    trainM: selectRows(los.matrix, Int32Array.from(train)),
    trainY: Float64Array.from(train, (i) => los.target[i]!),
    testM: selectRows(los.matrix, Int32Array.from(test)),
    testY: Float64Array.from(test, (i) => los.target[i]!),
  };
}

describe('DP gradient-boosted trees', () => {
  const { m, y } = stepData(4000, 3);

  it('is deterministic for a noise key, and the noise is there: another key gives another model', () => {
    const a = trainDpGbdt(m, y, { epsilon: 2, delta: 1e-6, nRounds: 20 }, keyedRandom(key(1)));
    const again = trainDpGbdt(m, y, { epsilon: 2, delta: 1e-6, nRounds: 20 }, keyedRandom(key(1)));
    expect(again.model).toEqual(a.model);
    const b = trainDpGbdt(m, y, { epsilon: 2, delta: 1e-6, nRounds: 20 }, keyedRandom(key(2)));
    expect(b.model.trees[0]!.value).not.toEqual(a.model.trees[0]!.value);
    expect(validateModel(JSON.parse(JSON.stringify(a.model)))).toEqual(a.model);
    expect(a.model.trees).toHaveLength(20);
    expect(a.plan.spentEpsilon).toBeLessThanOrEqual(2 * (1 + 1e-9));
    expect(a.derived.usableFeatures).toBeGreaterThanOrEqual(3);
  });

  it('grows one tree per usable feature in turn, fixed before the data is read', () => {
    const r = trainDpGbdt(m, y, { epsilon: 4, delta: 1e-6, nRounds: 10 }, keyedRandom(key(3)));
    const u = r.derived.usableFeatures;
    const featureOf = r.model.trees.map((t) => {
      const used = [...new Set(t.feature.filter((f) => f !== -1))];
      expect(used).toHaveLength(1);
      return used[0]!;
    });
    expect(new Set(featureOf.slice(0, u)).size).toBe(u);
    featureOf.slice(u).forEach((f, i) => expect(f).toBe(featureOf[i]));
  });

  it('every leaf value is the clipped Newton value plus Laplace noise of scale c/((1 + λ)·ε_t)', () => {
    const trees = 40;
    const r = trainDpGbdt(m, y, { epsilon: 1, delta: 1e-6, nRounds: trees }, keyedRandom(key(4)));
    const { clip, lambda } = r.derived;
    const scale = clip / ((1 + lambda) * r.plan.epsilonPerTree);
    const noise: number[] = [];
    r.model.trees.forEach((tree, t) => {
      const before = predictGbdt(r.model, m, { nTrees: t });
      const g = new Map<number, number>();
      const n = new Map<number, number>();
      for (let row = 0; row < m.nRows; row++) {
        let i = 0;
        while (tree.feature[i] !== -1) {
          const x = m.data[tree.feature[i]! * m.nRows + row]!;
          i = (Number.isNaN(x) ? tree.defaultLeft[i] === 1 : x <= tree.threshold[i]!) ? tree.left[i]! : tree.right[i]!;
        }
        g.set(i, (g.get(i) ?? 0) + Math.min(clip, Math.max(-clip, before[row]! - y[row]!)));
        n.set(i, (n.get(i) ?? 0) + 1);
      }
      tree.value.forEach((v, i) => tree.feature[i] === -1 && noise.push(v - -(g.get(i) ?? 0) / ((n.get(i) ?? 0) + lambda)));
    });
    // Laplace(b): mean |X| = b, and no value is noise-free.
    const meanAbs = noise.reduce((s, x) => s + Math.abs(x), 0) / noise.length;
    expect(noise.length).toBeGreaterThan(200);
    expect(meanAbs / scale).toBeGreaterThan(0.8);
    expect(meanAbs / scale).toBeLessThan(1.2);
    expect(noise.every((x) => x !== 0)).toBe(true);
  });

  it('refuses to train when nothing of the target survives the noise', () => {
    const small = stepData(30, 1);
    expect(() => trainDpGbdt(small.m, small.y, { epsilon: 0.1, delta: 1e-6 }, keyedRandom(key(5)))).toThrow(
      expect.objectContaining({ code: 'HAVEN_TRAIN_PRIVACY_TOO_NOISY' }),
    );
    expect(() => trainDpLinear(small.m, small.y, { epsilon: 0.1, delta: 1e-6 }, keyedRandom(key(5)))).toThrow(
      expect.objectContaining({ code: 'HAVEN_TRAIN_PRIVACY_TOO_NOISY' }),
    );
  });
});

describe('DP linear model', () => {
  const { m, y } = stepData(4000, 3);

  it('is deterministic for a noise key, noisy across keys, and served as one tree per usable feature', () => {
    const a = trainDpLinear(m, y, { epsilon: 1, delta: 1e-6 }, keyedRandom(key(1)));
    expect(trainDpLinear(m, y, { epsilon: 1, delta: 1e-6 }, keyedRandom(key(1))).model).toEqual(a.model);
    const b = trainDpLinear(m, y, { epsilon: 1, delta: 1e-6 }, keyedRandom(key(2)));
    expect(b.model.baseScore).not.toBe(a.model.baseScore);
    expect(a.model.trees).toHaveLength(a.derived.usableFeatures);
    expect(a.plan.spentEpsilon).toBeCloseTo(1, 9);
  });
});

describe('utility on los-10k (8000 training rows, 2000 test rows)', () => {
  it('DP models beat the constant predictor and improve with ε; the table is reported', () => {
    const { trainM, trainY, testM, testY } = losSplit();
    const mean = trainY.reduce((s, v) => s + v, 0) / trainY.length;
    const constant = rmse(testY, new Float64Array(testY.length).fill(mean));
    const lines: string[] = [`constant predictor rmse ${constant.toFixed(3)}`];
    const at = (mechanism: 'gbdt' | 'linear', epsilon: number): number => {
      const r =
        mechanism === 'gbdt'
          ? trainDpGbdt(trainM, trainY, { epsilon, delta: 1e-6 }, keyedRandom(key(1)))
          : trainDpLinear(trainM, trainY, { epsilon, delta: 1e-6 }, keyedRandom(key(1)));
      const e = rmse(testY, predictGbdt(r.model, testM));
      lines.push(`dp-${mechanism} ε=${epsilon} rmse ${e.toFixed(3)}`);
      return e;
    };
    const linearHalf = at('linear', 0.5);
    const gbdt1 = at('gbdt', 1);
    const gbdt4 = at('gbdt', 4);
    console.log(lines.join('\n'));
    expect(linearHalf).toBeLessThan(0.75 * constant);
    expect(gbdt1).toBeLessThan(0.65 * constant);
    expect(gbdt4).toBeLessThan(gbdt1);
    expect(gbdt4).toBeLessThan(1.0);
  }, 120_000);
});
