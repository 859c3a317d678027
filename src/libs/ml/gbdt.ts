/**
 * Histogram gradient-boosted decision trees: the training loop (binning, bundling, per-round
 * gradients, row/feature subsampling, tree growth, prediction updates, validation and early stopping).
 * The hot loops live in histogram.ts and tree-grower.ts.
 */
import { HavenError } from '../../errors/haven-error.js';
import { binMatrix, fitBinMapper } from './binning.js';
import { buildBundles } from './bundles.js';
import type { FeatureMatrix } from './feature-matrix.js';
import type { GbdtModel, GbdtObjectiveName, GbdtTree } from './gbdt-model.js';
import { makeObjective } from './objectives.js';
import { predictTreeRow } from './predict.js';
import { createPrng, shuffleInPlace } from './prng.js';
import { checkTarget } from './target.js';
import { createGrowContext, growTree, type GrowParams } from './tree-grower.js';

/** Per-round progress. */
export interface GbdtProgress {
  readonly round: number;
  readonly trainLoss: number;
  readonly validLoss: number | undefined;
}

/** Training options; defaults follow XGBoost's (depth-wise, depth 6, λ = 1, min_child_weight = 1). */
export interface GbdtOptions {
  readonly objective?: GbdtObjectiveName;
  /** Huber: residual size where the loss turns linear (default 1). */
  readonly huberDelta?: number;
  /** Boosting rounds (default 100). */
  readonly nRounds?: number;
  readonly learningRate?: number;
  /** Maximum depth (default 6; 0 = unlimited, lossguide only). */
  readonly maxDepth?: number;
  /** Maximum leaves per tree (default 2^maxDepth depth-wise, 31 lossguide). */
  readonly maxLeaves?: number;
  readonly growPolicy?: 'depthwise' | 'lossguide';
  readonly lambda?: number;
  readonly minChildWeight?: number;
  readonly minSamplesLeaf?: number;
  readonly minGain?: number;
  /** Fraction of rows per tree, Bernoulli-sampled (default 1). */
  readonly subsample?: number;
  /** Fraction of features per tree (default 1). */
  readonly colsample?: number;
  /** Value bins per feature, 2..255 (default 255). */
  readonly maxBins?: number;
  readonly seed?: number;
  /** Validation data for early stopping and progress. */
  readonly valid?: { readonly matrix: FeatureMatrix; readonly target: ArrayLike<number> };
  /** Stop when the validation loss has not improved for this many rounds (needs `valid`). */
  readonly earlyStoppingRounds?: number;
  /** Refuse data whose training buffers would exceed this many bytes. */
  readonly memoryLimitBytes?: number;
  /** Called after every round. Train loss is computed only when this is set. */
  readonly onProgress?: (p: GbdtProgress) => void;
  /** Checked before every round; returning true aborts with HAVEN_ML_TRAIN_CANCELLED. */
  readonly shouldCancel?: () => boolean;
}

/**
 * Bytes of the training buffers for a data set (the caller's matrix not included), a safe upper
 * bound: bins, bundle codes and two copies of them (≤ 4 bytes per cell, + 4 per row of padding), plus
 * row ids, gradients, hessians, scores and target (≤ 64 bytes per row).
 * @param nRows - training rows
 * @param nCols - features
 */
export function estimateGbdtBytes(nRows: number, nCols: number): number {
  return nRows * (4 * nCols + 68) + 4 * 1024 * 1024;
}

function opt(name: string, v: number, ok: boolean): number {
  if (!ok || !Number.isFinite(v)) {
    throw new HavenError('HAVEN_ML_BAD_OPTION', undefined, { detail: { option: name } });
  }
  return v;
}

/**
 * Train a GBDT model.
 * @param m - training features (column-major; NaN = missing)
 * @param target - one finite value per row (0/1 for logloss)
 * @param o - options
 * @returns a plain JSON-serialisable model
 */
export function trainGbdt(m: FeatureMatrix, target: ArrayLike<number>, o: GbdtOptions = {}): GbdtModel {
  const objective = o.objective ?? 'squared';
  const nRounds = o.nRounds ?? 100;
  opt('nRounds', nRounds, Number.isInteger(nRounds) && nRounds >= 1);
  const lr = o.learningRate ?? 0.1;
  opt('learningRate', lr, lr > 0 && lr <= 1);
  const policy = o.growPolicy ?? 'depthwise';
  const maxDepth = o.maxDepth ?? (policy === 'depthwise' ? 6 : 0);
  opt('maxDepth', maxDepth, Number.isInteger(maxDepth) && maxDepth >= 0 && maxDepth <= 30 && (maxDepth > 0 || policy === 'lossguide'));
  const maxLeaves = o.maxLeaves ?? (policy === 'depthwise' ? 2 ** Math.min(maxDepth, 16) : 31);
  opt('maxLeaves', maxLeaves, Number.isInteger(maxLeaves) && maxLeaves >= 2 && maxLeaves <= 65536);
  const subsample = opt('subsample', o.subsample ?? 1, (o.subsample ?? 1) > 0 && (o.subsample ?? 1) <= 1);
  const colsample = opt('colsample', o.colsample ?? 1, (o.colsample ?? 1) > 0 && (o.colsample ?? 1) <= 1);
  const grow: GrowParams = {
    maxDepth, maxLeaves, policy,
    lambda: opt('lambda', o.lambda ?? 1, (o.lambda ?? 1) >= 0),
    minChildWeight: opt('minChildWeight', o.minChildWeight ?? 1, (o.minChildWeight ?? 1) >= 0),
    minSamplesLeaf: opt('minSamplesLeaf', o.minSamplesLeaf ?? 1, Number.isInteger(o.minSamplesLeaf ?? 1) && (o.minSamplesLeaf ?? 1) >= 1),
    minGain: opt('minGain', o.minGain ?? 0, (o.minGain ?? 0) >= 0),
  };
  const esr = o.earlyStoppingRounds;
  if (esr !== undefined) {
    opt('earlyStoppingRounds', esr, Number.isInteger(esr) && esr >= 1 && o.valid !== undefined);
  }
  const seed = o.seed ?? 0;
  const obj = makeObjective(objective, o.huberDelta ?? 1);

  const n = m.nRows;
  if (m.data.length !== n * m.nCols || m.names.length !== m.nCols) {
    throw new HavenError('HAVEN_ML_SHAPE_MISMATCH');
  }
  if (m.nCols === 0) {
    throw new HavenError('HAVEN_ML_NO_FEATURES');
  }
  checkTarget(target, n, { binary: objective === 'logloss' });
  if (o.memoryLimitBytes !== undefined && estimateGbdtBytes(n, m.nCols) > o.memoryLimitBytes) {
    throw new HavenError('HAVEN_ML_MEMORY_LIMIT', undefined, { detail: { rows: n, columns: m.nCols, limitBytes: o.memoryLimitBytes } });
  }
  let vm: FeatureMatrix | undefined;
  let vy: Float64Array | undefined;
  if (o.valid !== undefined) {
    vm = o.valid.matrix;
    vy = Float64Array.from(o.valid.target);
    if (vm.nCols !== m.nCols || vy.length !== vm.nRows) {
      throw new HavenError('HAVEN_ML_SHAPE_MISMATCH', undefined, { detail: { part: 'valid' } });
    }
    for (let i = 0; i < vy.length; i++) {
      if (!Number.isFinite(vy[i]!)) {
        throw new HavenError('HAVEN_ML_TARGET_NOT_FINITE', undefined, { detail: { part: 'valid', row: i } });
      }
    }
  }

  const y = Float64Array.from(target);
  const mapper = fitBinMapper(m, { maxBins: o.maxBins ?? 255, seed });
  const bundles = buildBundles(mapper, binMatrix(mapper, m), n);
  const usable = [...Array(m.nCols).keys()].filter((f) => bundles.featGroup[f]! >= 0);
  if (usable.length === 0) {
    // Every column is constant or all-missing: no split is possible anywhere.
    throw new HavenError('HAVEN_ML_NO_FEATURES', undefined, { detail: { columns: m.nCols } });
  }
  const ctx = createGrowContext(bundles, mapper.edges, obj.constHessian === undefined ? 3 : 2, obj.constHessian ?? 1);
  const base = obj.initScore(y);
  const raw = new Float64Array(n).fill(base);
  const grad = new Float64Array(n);
  const hess = new Float64Array(n);
  const inSample = new Uint8Array(n);
  const vraw = vm === undefined ? undefined : new Float64Array(vm.nRows).fill(base);
  const rng = createPrng(seed);
  const treeGain: Float64Array[] = [];
  const trees: GbdtTree[] = [];
  const groupActive = new Uint8Array(bundles.nGroups);
  const featPool = Uint32Array.from(usable);
  let bestLoss = Infinity;
  let bestRound = -1;

  for (let round = 0; round < nRounds; round++) {
    if (o.shouldCancel?.() === true) {
      throw new HavenError('HAVEN_ML_TRAIN_CANCELLED', undefined, { detail: { round } });
    }
    obj.gradients(y, raw, grad, hess);
    let nUsed = 0;
    if (subsample < 1) {
      inSample.fill(0);
      for (let r = 0; r < n; r++) {
        if (rng.next() < subsample) {
          ctx.idx[nUsed++] = r;
          inSample[r] = 1;
        }
      }
    }
    if (nUsed < 2) {
      for (let r = 0; r < n; r++) {
        ctx.idx[r] = r;
      }
      inSample.fill(1);
      nUsed = n;
    }
    let features = featPool;
    if (colsample < 1) {
      shuffleInPlace(featPool, rng);
      const k = Math.max(1, Math.round(colsample * featPool.length));
      features = featPool.slice(0, k).sort();
    }
    groupActive.fill(0);
    for (const f of features) {
      groupActive[bundles.featGroup[f]!] = 1;
    }
    const t = growTree(ctx, nUsed, grad, hess, Int32Array.from(features), groupActive, grow);
    const tree: GbdtTree = {
      feature: Array.from(t.feature.subarray(0, t.nNodes)),
      threshold: new Array<number>(t.nNodes).fill(0),
      left: Array.from(t.left.subarray(0, t.nNodes)),
      right: Array.from(t.right.subarray(0, t.nNodes)),
      value: new Array<number>(t.nNodes).fill(0),
      defaultLeft: Array.from(t.defaultLeft.subarray(0, t.nNodes)),
    };
    const gains = new Float64Array(m.nCols);
    treeGain.push(gains);
    for (let i = 0; i < t.nNodes; i++) {
      if (t.left[i]! >= 0) {
        tree.threshold[i] = t.threshold[i]!;
        gains[t.feature[i]!]! += t.gain[i]!;
        continue;
      }
      const w = obj.refitLeaf === undefined ? t.value[i]! : obj.refitLeaf(y, raw, ctx.idx, t.begin[i]!, t.end[i]!);
      tree.value[i] = w * lr;
    }
    for (let i = 0; i < t.nNodes; i++) {
      if (t.left[i]! < 0) {
        const v = tree.value[i]!;
        for (let k = t.begin[i]!; k < t.end[i]!; k++) {
          raw[ctx.idx[k]!]! += v;
        }
      }
    }
    if (nUsed < n) {
      for (let r = 0; r < n; r++) {
        if (inSample[r] === 0) {
          raw[r]! += predictTreeRow(tree, m.data, n, r);
        }
      }
    }
    trees.push(tree);
    let validLoss: number | undefined;
    if (vm !== undefined && vraw !== undefined && vy !== undefined) {
      for (let r = 0; r < vm.nRows; r++) {
        vraw[r]! += predictTreeRow(tree, vm.data, vm.nRows, r);
      }
      validLoss = obj.loss(vy, vraw);
      if (validLoss < bestLoss) {
        bestLoss = validLoss;
        bestRound = round;
      }
    }
    if (o.onProgress !== undefined) {
      o.onProgress({ round, trainLoss: obj.loss(y, raw), validLoss });
    }
    if (esr !== undefined && bestRound >= 0 && round - bestRound >= esr) {
      break;
    }
  }
  const kept = esr !== undefined && bestRound >= 0 ? bestRound + 1 : trees.length;
  // Importance of the kept trees only (early stopping drops the rest).
  const importance = new Array<number>(m.nCols).fill(0);
  for (let k = 0; k < kept; k++) {
    treeGain[k]!.forEach((g, f) => {
      importance[f]! += g;
    });
  }
  return {
    format: 'haven-gbdt',
    version: 1,
    objective,
    baseScore: base,
    featureNames: [...m.names],
    trees: trees.slice(0, kept),
    featureImportance: importance,
    bestIteration: kept,
    params: {
      nRounds, learningRate: lr, maxDepth, maxLeaves, growPolicy: policy, lambda: grow.lambda,
      minChildWeight: grow.minChildWeight, minSamplesLeaf: grow.minSamplesLeaf, minGain: grow.minGain,
      subsample, colsample, maxBins: o.maxBins ?? 255, seed, huberDelta: o.huberDelta ?? 1,
    },
  };
}

/**
 * Features ranked by total split gain (share of the total, descending).
 * @param model - trained model
 */
export function featureImportance(model: GbdtModel): { feature: string; gain: number; share: number }[] {
  const total = model.featureImportance.reduce((a, b) => a + b, 0);
  return model.featureNames
    .map((feature, i) => ({ feature, gain: model.featureImportance[i]!, share: total > 0 ? model.featureImportance[i]! / total : 0 }))
    .sort((a, b) => b.gain - a.gain || a.feature.localeCompare(b.feature));
}
