/**
 * Histogram gradient-boosted decision trees: the training loop (binning, bundling, per-round
 * gradients, row/feature subsampling, tree growth, prediction updates, validation and early stopping).
 * The hot loops live in histogram.ts and parallel/lane.ts; tree-grower.ts decides the splits.
 *
 * Threads (`threads: k`): the calling thread and k − 1 worker threads share the row work of every
 * phase (parallel/team.ts). Gradients are quantised (quantize.ts) so histogram sums are exact and
 * the model is byte-identical for a seed whatever the thread count, 1 included.
 */
import { HavenError } from '../../errors/haven-error.js';
import { binColumn, fitBinMapper } from './binning.js';
import { codeStride, planBundles, transposeCodes } from './bundles.js';
import type { FeatureMatrix } from './feature-matrix.js';
import type { GbdtModel, GbdtObjectiveName, GbdtTree } from './gbdt-model.js';
import { makeObjective, type Objective } from './objectives.js';
import type { LaneConfig } from './parallel/lane.js';
import { createTeam, type Team } from './parallel/team.js';
import { allocTrainArrays, CTRL, FLAG_GRAD, FLAG_SAMPLED, PHASE, SCALAR, type TrainArrays } from './parallel/train-arrays.js';
import { predictTreeRow } from './predict.js';
import { createPrng, shuffleInPlace } from './prng.js';
import { packFactor, quantScale } from './quantize.js';
import { checkTarget } from './target.js';
import { TreeGrower, type GrowParams } from './tree-grower.js';

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
  /**
   * Threads (default 1 = the calling thread only). k > 1 starts k − 1 worker threads for this call
   * and stops them before returning (or throwing). The result does not depend on k.
   */
  readonly threads?: number;
}

/** Most threads a training run may use. */
export const MAX_TRAIN_THREADS = 64;
/** Row blocks per thread: more blocks than threads let a thread slowed by other processes take fewer. */
const BLOCKS_PER_LANE = 4;
/** Budget for the per-thread partial histograms of one batch of splits. */
const PARTIALS_BYTES = 64 * 1024 * 1024;

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

  const threads = o.threads ?? 1;
  opt('threads', threads, Number.isInteger(threads) && threads >= 1 && threads <= MAX_TRAIN_THREADS);
  const run: Run = {
    m, y: Float64Array.from(target), obj, grow, nRounds, lr, subsample, colsample, seed, esr, vm, vy, o,
  };
  // Worker threads start loading now, while this thread bins the data.
  const team = createTeam(threads);
  try {
    return train(run, team);
  } finally {
    team.close();
  }
}

/** Validated inputs of one training run. */
interface Run {
  readonly m: FeatureMatrix;
  readonly y: Float64Array;
  readonly obj: Objective;
  readonly grow: GrowParams;
  readonly nRounds: number;
  readonly lr: number;
  readonly subsample: number;
  readonly colsample: number;
  readonly seed: number;
  readonly esr: number | undefined;
  readonly vm: FeatureMatrix | undefined;
  readonly vy: Float64Array | undefined;
  readonly o: GbdtOptions;
}

/** Bin and bundle the data into the team's shared arrays; start the lanes. */
function prepare(r: Run, team: Team): { a: TrainArrays; grower: TreeGrower; base: number; featGroup: Int32Array } {
  const { m, y, obj, grow } = r;
  const n = m.nRows;
  const mapper = fitBinMapper(m, { maxBins: r.o.maxBins ?? 255, seed: r.seed });
  const bundles = planBundles(mapper, n);
  if (!bundles.featGroup.some((g) => g >= 0)) {
    // Every column is constant or all-missing: no split is possible anywhere.
    throw new HavenError('HAVEN_ML_NO_FEATURES', undefined, { detail: { columns: m.nCols } });
  }
  // Constant hessian: pack the row count into the gradient (one histogram update per row and group)
  // unless the data set is too large to keep 2^12 gradient levels that way.
  const packK = obj.constHessian === undefined ? 0 : packFactor(n);
  const slots = obj.constHessian === undefined ? 3 : packK > 0 ? 1 : 2;
  const histLen = bundles.totalGroupCells * slots;
  const nLanes = team.nLanes;
  const widest = grow.policy === 'lossguide' ? 1 : Math.max(1, grow.maxLeaves >> 1);
  const maxJobs = Math.max(1, Math.min(widest, 64, Math.floor(PARTIALS_BYTES / (nLanes * histLen * 8))));
  const nBlocks = Math.max(1, Math.min(n, nLanes === 1 ? 1 : nLanes * BLOCKS_PER_LANE));
  const stride = codeStride(bundles.nGroups);
  const a = allocTrainArrays(
    { nRows: n, nGroups: bundles.nGroups, stride, nFeatures: m.nCols, cap: 2 * grow.maxLeaves - 1, nBlocks, nLanes, maxJobs, histLen, withHess: slots === 3 },
    team.ctrl,
  );
  // Bin each column straight into its group's column of codes, then the row-major copy.
  for (let f = 0; f < m.nCols; f++) {
    const g = bundles.featGroup[f]!;
    if (g >= 0) {
      binColumn(mapper.edges[f]!, m.data, f * n, n, a.colCodes, g * n, bundles.featRadix[f]!);
    }
  }
  transposeCodes(n, bundles.nGroups, a.colCodes, a.codes, stride);
  for (let b = 0; b <= nBlocks; b++) {
    a.blockLo[b] = Math.floor((b * n) / nBlocks);
  }
  a.y.set(y);
  a.scalars[SCALAR.PACK_K] = packK;
  const base = obj.initScore(y);
  a.raw.fill(base);
  const layout = bundles;
  const cfg: LaneConfig = { objective: obj.name, huberDelta: r.o.huberDelta ?? 1, split: grow, slots, hConst: obj.constHessian ?? 1, layout };
  team.start(a, cfg);
  return { a, grower: new TreeGrower(team, a, layout, mapper.edges, grow, slots), base, featGroup: bundles.featGroup };
}

function train(r: Run, team: Team): GbdtModel {
  const { m, y, obj, nRounds, lr, subsample, colsample, esr, vm, vy, o } = r;
  const n = m.nRows;
  const { a, grower, base, featGroup } = prepare(r, team);
  const vraw = vm === undefined ? undefined : new Float64Array(vm.nRows).fill(base);
  const rng = createPrng(r.seed);
  const treeGain: Float64Array[] = [];
  const trees: GbdtTree[] = [];
  // Features with a single value bin were left out of the bundles: they can never split.
  const usable = [...Array(m.nCols).keys()].filter((f) => featGroup[f]! >= 0);
  const featPool = Uint32Array.from(usable);
  let bestLoss = Infinity;
  let bestRound = -1;

  let gradSeq = team.run(PHASE.GRAD, a.shape.nBlocks);
  for (let round = 0; round < nRounds; round++) {
    if (o.shouldCancel?.() === true) {
      throw new HavenError('HAVEN_ML_TRAIN_CANCELLED', undefined, { detail: { round } });
    }
    setScales(a, n, gradSeq);
    let flags = 0;
    if (subsample < 1) {
      let nUsed = 0;
      for (let row = 0; row < n; row++) {
        const s = rng.next() < subsample ? 1 : 0;
        a.inSample[row] = s;
        nUsed += s;
      }
      flags = nUsed < 2 ? 0 : FLAG_SAMPLED;
    }
    let features = featPool;
    if (colsample < 1) {
      shuffleInPlace(featPool, rng);
      const k = Math.max(1, Math.round(colsample * featPool.length));
      features = featPool.slice(0, k).sort();
    }
    a.features.set(features);
    a.ctrl[CTRL.NFEAT] = features.length;
    a.groupActive.fill(0);
    for (const f of features) {
      a.groupActive[featGroup[f]!] = 1;
    }
    a.ctrl[CTRL.FLAGS] = flags;
    const t = grower.grow();
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
      }
    }
    for (const leaf of t.leaves) {
      const w = obj.refitLeaf === undefined ? t.value[leaf]! : refit(obj, a, leaf);
      tree.value[leaf] = w * lr;
      a.treeValue[leaf] = w * lr;
    }
    a.leaves.set(t.leaves);
    a.ctrl[CTRL.NLEAVES] = t.leaves.length;
    a.ctrl[CTRL.FLAGS] = flags | (round + 1 < nRounds ? FLAG_GRAD : 0);
    gradSeq = team.run(PHASE.UPDATE, a.shape.nBlocks);
    trees.push(tree);
    let validLoss: number | undefined;
    if (vm !== undefined && vraw !== undefined && vy !== undefined) {
      for (let row = 0; row < vm.nRows; row++) {
        vraw[row]! += predictTreeRow(tree, vm.data, vm.nRows, row);
      }
      validLoss = obj.loss(vy, vraw);
      if (validLoss < bestLoss) {
        bestLoss = validLoss;
        bestRound = round;
      }
    }
    if (o.onProgress !== undefined) {
      o.onProgress({ round, trainLoss: obj.loss(y, a.raw), validLoss });
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
  const { grow } = r;
  return {
    format: 'haven-gbdt',
    version: 1,
    objective: obj.name,
    baseScore: base,
    featureNames: [...m.names],
    trees: trees.slice(0, kept),
    featureImportance: importance,
    bestIteration: kept,
    params: {
      nRounds, learningRate: lr, maxDepth: grow.maxDepth, maxLeaves: grow.maxLeaves, growPolicy: grow.policy, lambda: grow.lambda,
      minChildWeight: grow.minChildWeight, minSamplesLeaf: grow.minSamplesLeaf, minGain: grow.minGain,
      subsample, colsample, maxBins: o.maxBins ?? 255, seed: r.seed, huberDelta: o.huberDelta ?? 1,
    },
  };
}

/** This round's quantisation scales, from the largest |gradient| and hessian of the lanes that computed gradients in phase `seq`. */
function setScales(a: TrainArrays, n: number, seq: number): void {
  let mg = 0;
  let mh = 0;
  for (let l = 0; l < a.shape.nLanes; l++) {
    if (a.laneSeq[l * 2 + 1] !== seq) {
      continue;
    }
    mg = Math.max(mg, a.laneMax[l * 2]!);
    mh = Math.max(mh, a.laneMax[l * 2 + 1]!);
  }
  const packK = a.scalars[SCALAR.PACK_K]!;
  const gs = quantScale(mg, packK > 0 ? n * packK : n);
  const hs = quantScale(mh, n);
  a.scalars[SCALAR.G_SCALE] = gs;
  a.scalars[SCALAR.G_UNIT] = 1 / gs;
  a.scalars[SCALAR.H_SCALE] = hs;
  a.scalars[SCALAR.H_UNIT] = 1 / hs;
}

/** Leaf refit (e.g. the residual median): gathers the leaf's rows from every block. */
function refit(obj: Objective, a: TrainArrays, leaf: number): number {
  const cap = a.shape.cap;
  let len = 0;
  for (let b = 0; b < a.shape.nBlocks; b++) {
    len += a.nodeEnd[b * cap + leaf]! - a.nodeBegin[b * cap + leaf]!;
  }
  const rows = new Uint32Array(len);
  let k = 0;
  for (let b = 0; b < a.shape.nBlocks; b++) {
    rows.set(a.idx.subarray(a.nodeBegin[b * cap + leaf]!, a.nodeEnd[b * cap + leaf]!), k);
    k += a.nodeEnd[b * cap + leaf]! - a.nodeBegin[b * cap + leaf]!;
  }
  return obj.refitLeaf!(a.y, a.raw, rows, 0, len);
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
