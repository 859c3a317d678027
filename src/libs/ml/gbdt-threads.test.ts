import { existsSync, readdirSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { isHavenError } from '../../errors/haven-error.js';
import { matrixFromColumns } from './feature-matrix.js';
import { trainGbdt, type GbdtOptions } from './gbdt.js';
import type { GbdtModel } from './gbdt-model.js';
import { makeObjective } from './objectives.js';
import { createTeam, liveTrainingThreads } from './parallel/team.js';
import { allocTrainArrays, PHASE } from './parallel/train-arrays.js';
import { predictGbdt } from './predict.js';
import { createPrng } from './prng.js';
import { stepData } from './test-helpers.js';

const code = (c: string): Error => expect.objectContaining({ code: c }) as Error;

/** Resolves once every training thread has emitted 'exit' (fails after 15 s). */
async function threadsGone(): Promise<void> {
  for (let i = 0; i < 300 && liveTrainingThreads() > 0; i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(liveTrainingThreads()).toBe(0);
}

const json = (m: GbdtModel): string => JSON.stringify(m);

/** OS threads of this process (Linux), an outside view that does not rely on Haven's own counter. */
const osThreads = (): number => readdirSync('/proc/self/task').length;
const hasProc = existsSync('/proc/self/task');

/** Polls until `ok()` holds (fails after 15 s). */
async function until(ok: () => boolean): Promise<void> {
  for (let i = 0; i < 300 && !ok(); i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(ok()).toBe(true);
}

describe('trainGbdt with threads', () => {
  const train = stepData(3000, 11);
  const valid = stepData(800, 12);

  it('gives byte-identical models for a seed across runs and across 1, 2 and 3 threads', async () => {
    const o: GbdtOptions = { nRounds: 25, maxDepth: 5, subsample: 0.7, colsample: 0.75, seed: 7 };
    const one = json(trainGbdt(train.m, train.y, { ...o, threads: 1 }));
    const twoA = json(trainGbdt(train.m, train.y, { ...o, threads: 2 }));
    const twoB = json(trainGbdt(train.m, train.y, { ...o, threads: 2 }));
    const three = json(trainGbdt(train.m, train.y, { ...o, threads: 3 }));
    expect(twoB).toBe(twoA);
    expect(twoA).toBe(one);
    expect(three).toBe(one);
    // The seed still matters.
    expect(json(trainGbdt(train.m, train.y, { ...o, seed: 8, threads: 2 }))).not.toBe(one);
    await threadsGone();
  });

  it.each([
    ['log-loss (varying hessians)', { objective: 'logloss', nRounds: 15 }],
    ['absolute loss (leaf refit gathers rows from every block)', { objective: 'absolute', nRounds: 15, minSamplesLeaf: 5 }],
    ['Huber loss', { objective: 'huber', huberDelta: 0.5, nRounds: 15 }],
    ['loss-guided growth', { growPolicy: 'lossguide', maxLeaves: 12, nRounds: 15 }],
    ['early stopping on a validation set', { nRounds: 400, learningRate: 0.5, earlyStoppingRounds: 5 }],
  ] as [string, GbdtOptions][])('is thread-count independent for %s', async (_name, extra) => {
    const y = extra.objective === 'logloss' ? Float64Array.from(train.truth, (v) => (v > 2 ? 1 : 0)) : train.y;
    const vy = extra.objective === 'logloss' ? Float64Array.from(valid.truth, (v) => (v > 2 ? 1 : 0)) : valid.y;
    const o: GbdtOptions = { ...extra, seed: 3, subsample: 0.8, valid: { matrix: valid.m, target: vy } };
    const one = trainGbdt(train.m, y, { ...o, threads: 1 });
    const two = trainGbdt(train.m, y, { ...o, threads: 2 });
    expect(json(two)).toBe(json(one));
    if (extra.earlyStoppingRounds !== undefined) {
      expect(one.bestIteration).toBeLessThan(400);
    }
    await threadsGone();
  });

  it('updates every row each round, sampled or not (reported train loss = loss of the model so far)', async () => {
    const reported: number[] = [];
    const model = trainGbdt(train.m, train.y, { nRounds: 12, subsample: 0.5, seed: 5, threads: 3, onProgress: (p) => reported.push(p.trainLoss) });
    const sq = makeObjective('squared');
    reported.forEach((loss, round) => {
      const raw = predictGbdt(model, train.m, { raw: true, nTrees: round + 1 });
      expect(loss).toBeCloseTo(sq.loss(train.y, raw), 10);
    });
    await threadsGone();
  });

  it('sets every leaf to the Newton step of the rows that reach it', async () => {
    const m = stepData(1500, 4);
    const lambda = 2;
    const lr = 0.3;
    const model = trainGbdt(m.m, m.y, { nRounds: 6, maxDepth: 4, lambda, learningRate: lr, threads: 2 });
    model.trees.forEach((tree, t) => {
      const before = predictGbdt(model, m.m, { raw: true, nTrees: t });
      const g = new Map<number, number>();
      const c = new Map<number, number>();
      for (let r = 0; r < m.m.nRows; r++) {
        let i = 0;
        while (tree.left[i]! >= 0) {
          const x = m.m.data[tree.feature[i]! * m.m.nRows + r]!;
          i = Number.isNaN(x) ? (tree.defaultLeft[i] === 1 ? tree.left[i]! : tree.right[i]!) : x <= tree.threshold[i]! ? tree.left[i]! : tree.right[i]!;
        }
        g.set(i, (g.get(i) ?? 0) + (t === 0 ? model.baseScore : before[r]!) - m.y[r]!);
        c.set(i, (c.get(i) ?? 0) + 1);
      }
      for (const [leaf, sum] of g) {
        // Gradients are quantised to ~2^-52 · n · max|g|: far inside 1e-9.
        expect(tree.value[leaf]).toBeCloseTo((-sum / (c.get(leaf)! + lambda)) * lr, 9);
      }
    });
    await threadsGone();
  });

  it('learns as well as the single-thread path on a known function', async () => {
    const test = stepData(1500, 13);
    const model = trainGbdt(train.m, train.y, { nRounds: 120, maxDepth: 4, threads: 2 });
    const p = predictGbdt(model, test.m);
    let se = 0;
    p.forEach((v, i) => {
      se += (v - test.truth[i]!) ** 2;
    });
    expect(Math.sqrt(se / p.length)).toBeLessThan(0.12);
    await threadsGone();
  });
});

describe('the separate-count histograms used from 2^20 rows on', () => {
  it('train the same with 1 and 2 threads and recover a step', async () => {
    const n = 2 ** 20 + 5;
    const rng = createPrng(17);
    const x = Float64Array.from({ length: n }, () => Math.floor(rng.next() * 50));
    const y = Float64Array.from(x, (v) => (v >= 25 ? 2 : 0) + (rng.next() - 0.5) * 0.1);
    const m = matrixFromColumns(['x'], [x]);
    const o = { nRounds: 3, maxDepth: 2, learningRate: 1 };
    const one = trainGbdt(m, y, { ...o, threads: 1 });
    expect(json(trainGbdt(m, y, { ...o, threads: 2 }))).toBe(json(one));
    const p = predictGbdt(one, matrixFromColumns(['x'], [[3, 40]]));
    expect(p[0]).toBeCloseTo(0, 1);
    expect(p[1]).toBeCloseTo(2, 1);
    await threadsGone();
  });
});

describe('training threads never outlive a run', () => {
  const data = stepData(2000, 21);

  it('stops its threads after a cancelled run', async () => {
    let calls = 0;
    expect(() => trainGbdt(data.m, data.y, { nRounds: 50, threads: 3, shouldCancel: () => ++calls > 2 })).toThrowError(code('HAVEN_ML_TRAIN_CANCELLED'));
    expect(calls).toBe(3);
    await threadsGone();
  });

  it('stops its threads when the caller’s progress callback throws', async () => {
    const boom = new Error('progress sink failed');
    expect(() =>
      trainGbdt(data.m, data.y, {
        nRounds: 50,
        threads: 2,
        onProgress: (p) => {
          if (p.round === 3) {
            throw boom;
          }
        },
      }),
    ).toThrow(boom);
    await threadsGone();
  });

  it('reports a failing worker thread as a coded error and stops the others', async () => {
    const team = createTeam(3);
    const shape = { nRows: 8, nGroups: 1, stride: 4, nFeatures: 1, cap: 3, nBlocks: 3, nLanes: 3, maxJobs: 1, histLen: 4, withHess: false };
    const a = allocTrainArrays(shape, team.ctrl);
    const m = matrixFromColumns(['x'], [[1, 2, 1, 2, 1, 2, 1, 2]]);
    const { binMatrix, fitBinMapper } = await import('./binning.js');
    const { buildBundles } = await import('./bundles.js');
    const mapper = fitBinMapper(m);
    const layout = buildBundles(mapper, binMatrix(mapper, m), 8);
    team.start(a, { objective: 'squared', huberDelta: 1, split: { lambda: 1, minChildWeight: 1, minSamplesLeaf: 1, minGain: 0 }, slots: 2, hConst: 1, layout });
    let err: unknown;
    try {
      // The error-path phase: lane 0 leaves its items to the workers, which fail on them.
      team.run(PHASE.FAIL_TEST, 4);
    } catch (e) {
      err = e;
    } finally {
      team.close();
    }
    expect(isHavenError(err)).toBe(true);
    const he = err as { code: string; detail: Record<string, unknown>; cause: Error };
    expect(he.code).toBe('HAVEN_INTERNAL');
    expect(he.detail['component']).toBe('ml-threads');
    expect([1, 2]).toContain(he.detail['lane']);
    expect(he.cause.message).toContain(`unknown training phase ${PHASE.FAIL_TEST}`);
    await threadsGone();
  });

  it('reports a worker that cannot load its code, quickly, and leaves no thread behind', async () => {
    const team = createTeam(2, { entry: new URL('./no-such-worker.js', import.meta.url).href });
    const t0 = performance.now();
    let err: unknown;
    try {
      team.run(PHASE.GRAD, 1);
    } catch (e) {
      err = e;
    } finally {
      team.close();
    }
    expect(err).toEqual(code('HAVEN_INTERNAL'));
    expect((err as { detail: Record<string, unknown> }).detail['lane']).toBe(1);
    expect(performance.now() - t0).toBeLessThan(30_000);
    await threadsGone();
  });

  it('refuses a bad thread count before starting any thread', () => {
    for (const threads of [0, 1.5, -2, 65, NaN]) {
      expect(() => trainGbdt(data.m, data.y, { nRounds: 2, threads })).toThrowError(code('HAVEN_ML_BAD_OPTION'));
    }
    expect(liveTrainingThreads()).toBe(0);
  });

  it('validates the data before starting threads (one row)', () => {
    expect(() => trainGbdt(matrixFromColumns(['a'], [[1]]), [1], { threads: 4 })).toThrowError(code('HAVEN_ML_TOO_FEW_ROWS'));
    expect(liveTrainingThreads()).toBe(0);
  });
});

describe.runIf(hasProc)('training threads, seen as OS threads', () => {
  it('returns the process to its thread count after a run', async () => {
    const data = stepData(2000, 31);
    const before = osThreads();
    trainGbdt(data.m, data.y, { nRounds: 5, threads: 4 });
    await threadsGone();
    await until(() => osThreads() <= before);
  });

  it('stops the lanes when the thread that trains is terminated (how a training job is cancelled)', async () => {
    const before = osThreads();
    // A job thread like the training executor's, running this module's sources (the same TypeScript hooks).
    const src = (p: string): string => new URL(p, import.meta.url).href;
    const job = new Worker(
      `const { register } = require('node:module');
       const { parentPort } = require('node:worker_threads');
       register(${JSON.stringify(src('./parallel/ts-source-hooks.mjs'))});
       (async () => {
         const { trainGbdt } = await import(${JSON.stringify(src('./gbdt.ts'))});
         const { stepData } = await import(${JSON.stringify(src('./test-helpers.ts'))});
         const d = stepData(20000, 1);
         trainGbdt(d.m, d.y, { nRounds: 1000000, threads: 3, onProgress: (p) => p.round === 0 && parentPort.postMessage('training') });
       })();`,
      { eval: true },
    );
    const exited = new Promise((r) => job.once('exit', r));
    await new Promise((r) => job.once('message', r));
    // Round 0 is done: the job thread and its two lanes are running.
    expect(osThreads()).toBeGreaterThanOrEqual(before + 3);
    await job.terminate();
    await exited;
    await until(() => osThreads() <= before);
  });
});

describe('threads on data too small to share', () => {
  it('trains with more threads than rows per block', async () => {
    const rng = createPrng(1);
    const x = Float64Array.from({ length: 6 }, () => rng.next());
    const y = Float64Array.from(x, (v) => (v > 0.5 ? 3 : 1));
    const m = matrixFromColumns(['x'], [x]);
    const o = { nRounds: 5, minChildWeight: 0, learningRate: 0.5 };
    expect(json(trainGbdt(m, y, { ...o, threads: 4 }))).toBe(json(trainGbdt(m, y, o)));
    await threadsGone();
  });
});
