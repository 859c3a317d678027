/**
 * Differentially private gradient-boosted trees for a numeric target (squared error): cyclic boosting of one-feature
 * trees on DP bins with noisy leaves — the shape of DP-EBM (Nori et al. 2021, "Accuracy, Interpretability, and
 * Differential Privacy via Explainable Boosting"), with DPBoost's leaf mechanism (Li et al. 2020).
 *
 * Neighbouring datasets: the training set with one record added or removed. Releases, in order:
 *  1. the DP marginals of every feature and of the target (dp-marginals.ts, Gaussian, ρ_m-zCDP). They give each
 *     feature's bins (the split candidates), the base score (DP mean of the target), the clipping bound c (half the
 *     larger distance from the base score to the DP 5 % or 95 % target quantile) and the default λ (DP record
 *     count / 8);
 *  2. T trees. Tree t is on feature U[t mod |U|] (U: the features that kept at least one split candidate) and has one
 *     leaf per bin; the missing-value side is drawn at random. The structure is fixed before any record is looked
 *     at, so choosing it costs nothing (no data-dependent split search). Each record's gradient (prediction −
 *     target) is clipped to [−c, c]; each leaf's value −G/(n + λ) is released with Laplace noise of scale
 *     c/((1 + λ)·ε_t) (noisy-leaf.ts: the DPBoost sensitivity bound). The leaves of a tree partition the records,
 *     so a tree costs ε_t (parallel composition); the trees compose sequentially and adaptively (dp-plan.ts and the
 *     accountant). The learning rate scales released values (post-processing).
 * Every number in the model is a post-processing of these releases, so the model is (ε, δ)-DP for its training
 * records. The record count enters only through its DP estimate; no training loss is computed or reported.
 */
import { HavenError } from '../../errors/haven-error.js';
import type { FeatureMatrix } from '../ml/feature-matrix.js';
import type { GbdtModel, GbdtTree } from '../ml/gbdt-model.js';
import { noisyLeafValue } from '../privacy/dp/noisy-leaf.js';
import type { RandomSource } from '../privacy/dp/seeded-random.js';
import { dpMarginals, marginalMean, marginalQuantile, type DpMarginals } from './dp-marginals.js';
import { planDpGbdt, type DpPlan } from './dp-plan.js';

/** Options of DP-GBDT training. */
export interface DpGbdtOptions {
  readonly epsilon: number;
  readonly delta: number;
  /** Trees T (default 100). */
  readonly nRounds?: number | undefined;
  /** Scale applied to released leaf values (default 1: λ already shrinks them). */
  readonly learningRate?: number | undefined;
  /** Leaf regulariser λ; default: the DP record count / 8. */
  readonly lambda?: number | undefined;
  /** Called after every tree (the training loss is NaN: it is never computed). */
  readonly onProgress?: ((p: { round: number; trainLoss: number; validLoss: undefined }) => void) | undefined;
  readonly shouldCancel?: (() => boolean) | undefined;
}

/** Defaults of DP training (measured on los-10k: docs/decisions/0026-differential-privacy-training.md). */
export const DP_GBDT_DEFAULTS = { nRounds: 100, learningRate: 1, lambdaDivisor: 8, clipShare: 0.5 } as const;

/** What was derived from the DP marginals (post-processing, safe to publish). */
export interface DpDerived {
  readonly clip: number;
  readonly lambda: number;
  readonly baseScore: number;
  readonly usableFeatures: number;
}

/** A trained DP-GBDT model with its plan. */
export interface DpGbdtResult {
  readonly model: GbdtModel;
  readonly plan: DpPlan;
  readonly derived: DpDerived;
}

interface Node {
  feature: number;
  threshold: number;
  defaultLeft: number;
  left: number;
  right: number;
}

/** A tree on one feature whose leaves are the bins between its candidates (balanced: split at the middle one). */
function binTree(feature: number, thresholds: readonly number[], defaultLeft: number): Node[] {
  const nodes: Node[] = [];
  const grow = (from: number, to: number): number => {
    const id = nodes.length;
    nodes.push({ feature: -1, threshold: 0, defaultLeft: 0, left: -1, right: -1 });
    if (from < to) {
      const mid = (from + to) >> 1;
      const node = nodes[id]!;
      node.feature = feature;
      node.threshold = thresholds[mid]!;
      node.defaultLeft = defaultLeft;
      node.left = grow(from, mid);
      node.right = grow(mid + 1, to);
    }
    return id;
  };
  grow(0, thresholds.length);
  return nodes;
}

function leafOf(nodes: readonly Node[], m: FeatureMatrix, r: number): number {
  let i = 0;
  while (nodes[i]!.feature !== -1) {
    const n = nodes[i]!;
    const x = m.data[n.feature * m.nRows + r]!;
    i = (Number.isNaN(x) ? n.defaultLeft === 1 : x <= n.threshold) ? n.left : n.right;
  }
  return i;
}

/**
 * Base score, clipping bound and λ from the marginals (post-processing only).
 * @param marg - the DP marginals
 * @param lambda - the caller's λ, or undefined for the default
 */
export function deriveFromMarginals(marg: DpMarginals, lambda: number | undefined): Omit<DpDerived, 'usableFeatures'> {
  const baseScore = marginalMean(marg.target);
  if (!Number.isFinite(baseScore) || marg.target.count < 1) {
    // Nothing of the target survived the noise: the data set is too small for this ε.
    throw new HavenError('HAVEN_TRAIN_PRIVACY_TOO_NOISY');
  }
  const spread = Math.max(baseScore - marginalQuantile(marg.target, 0.05), marginalQuantile(marg.target, 0.95) - baseScore);
  const clip = Math.max(DP_GBDT_DEFAULTS.clipShare * spread, 1e-6 * Math.max(1, Math.abs(baseScore)));
  return { baseScore, clip, lambda: lambda ?? Math.max(1, marg.target.count / DP_GBDT_DEFAULTS.lambdaDivisor) };
}

/**
 * Train DP gradient-boosted trees.
 * @param m - training features
 * @param y - training target
 * @param o - (ε, δ), trees, learning rate, λ, progress and cancellation hooks
 * @param random - the secret noise source (keyed-random.ts)
 */
export function trainDpGbdt(m: FeatureMatrix, y: ArrayLike<number>, o: DpGbdtOptions, random: RandomSource): DpGbdtResult {
  const trees = o.nRounds ?? DP_GBDT_DEFAULTS.nRounds;
  const lr = o.learningRate ?? DP_GBDT_DEFAULTS.learningRate;
  const plan = planDpGbdt(o.epsilon, o.delta, trees);
  const marg = dpMarginals(m, y, plan.rhoMarginals, random);
  const { baseScore, clip, lambda } = deriveFromMarginals(marg, o.lambda);
  const usable = marg.features.flatMap((f, c) => (f.thresholds.length > 0 ? [c] : []));
  const n = m.nRows;
  const pred = new Float64Array(n).fill(baseScore);
  const leaf = new Int32Array(n);
  const out: GbdtTree[] = [];
  for (let t = 0; t < trees; t++) {
    if (o.shouldCancel?.()) {
      throw new HavenError('HAVEN_ML_TRAIN_CANCELLED');
    }
    const f = usable.length > 0 ? usable[t % usable.length]! : -1;
    // With no usable feature every tree is a single leaf: a noisy correction of the base score.
    const nodes = f === -1 ? binTree(0, [], 0) : binTree(f, marg.features[f]!.thresholds, random() < 0.5 ? 1 : 0);
    const sumGrad = new Float64Array(nodes.length);
    const count = new Float64Array(nodes.length);
    for (let r = 0; r < n; r++) {
      const l = leafOf(nodes, m, r);
      leaf[r] = l;
      sumGrad[l]! += Math.min(clip, Math.max(-clip, pred[r]! - y[r]!));
      count[l]! += 1;
    }
    const value = nodes.map((node, i) =>
      node.feature === -1 ? lr * noisyLeafValue(sumGrad[i]!, count[i]!, count[i]!, { clip, epsilonPerLeaf: plan.epsilonPerTree, lambda }, random) : 0,
    );
    for (let r = 0; r < n; r++) {
      pred[r]! += value[leaf[r]!]!;
    }
    out.push({
      feature: nodes.map((x) => x.feature),
      threshold: nodes.map((x) => x.threshold),
      left: nodes.map((x) => x.left),
      right: nodes.map((x) => x.right),
      value,
      defaultLeft: nodes.map((x) => x.defaultLeft),
    });
    o.onProgress?.({ round: t, trainLoss: NaN, validLoss: undefined });
  }
  const model: GbdtModel = {
    format: 'haven-gbdt',
    version: 1,
    objective: 'squared',
    baseScore,
    featureNames: [...m.names],
    trees: out,
    featureImportance: new Array<number>(m.nCols).fill(0),
    bestIteration: trees - 1,
    params: { dp: true, epsilon: o.epsilon, delta: o.delta, nRounds: trees, learningRate: lr, lambda, clip },
  };
  return { model, plan, derived: { clip, lambda, baseScore, usableFeatures: usable.length } };
}
