/**
 * A clamped linear model written in Haven's tree format, so every model kind is served, audited and exported by the
 * same code. The model is f(x) = intercept + Σ_j w_j·z_j(x) with z_j = clamp(2(x − lo_j)/(hi_j − lo_j) − 1, −1, 1)
 * (missing: z_j = 0). Each feature becomes one balanced tree of `steps` leaves over [lo_j, hi_j] whose leaf value
 * is w_j·z_j at the middle of its step, and whose missing-value path leads to the leaf holding z = 0; the error of a
 * prediction is at most Σ_j |w_j| / steps (before the target's scaling). Metrics and audits are computed on the
 * tree form, i.e. on exactly what is served.
 */
import type { GbdtModel, GbdtTree } from '../ml/gbdt-model.js';

/** A linear model on features scaled to [−1, 1]; `scale` maps its output back to the target. */
export interface ClampedLinear {
  readonly names: readonly string[];
  readonly lower: readonly number[];
  readonly upper: readonly number[];
  readonly weights: readonly number[];
  readonly intercept: number;
  /** Target = offset + factor · (linear output). */
  readonly scale: { readonly offset: number; readonly factor: number };
}

/** Leaves per feature tree. */
export const LINEAR_STEPS = 256;

function featureTree(f: number, lo: number, hi: number, w: number, steps: number): GbdtTree {
  const tree = {
    feature: [] as number[],
    threshold: [] as number[],
    left: [] as number[],
    right: [] as number[],
    value: [] as number[],
    defaultLeft: [] as number[],
  };
  const zeroStep = Math.min(steps - 1, Math.floor(steps / 2)); // the step whose middle is closest to z = 0
  const edge = (k: number): number => lo + (k / steps) * (hi - lo);
  const grow = (from: number, to: number): number => {
    // Steps from..to−1; step k covers z in [−1 + 2k/steps, −1 + 2(k+1)/steps].
    const id = tree.feature.length;
    tree.feature.push(-1);
    tree.threshold.push(0);
    tree.left.push(-1);
    tree.right.push(-1);
    tree.value.push(0);
    tree.defaultLeft.push(0);
    if (to - from === 1) {
      tree.value[id] = w * (-1 + (2 * from + 1) / steps);
      return id;
    }
    const mid = (from + to) >> 1;
    tree.feature[id] = f;
    tree.threshold[id] = edge(mid);
    tree.defaultLeft[id] = zeroStep < mid ? 1 : 0;
    tree.left[id] = grow(from, mid);
    tree.right[id] = grow(mid, to);
    return id;
  };
  grow(0, steps);
  return tree;
}

/**
 * The tree form of a clamped linear model. Features whose range is empty or whose weight is 0 get no tree.
 * @param lin - weights, ranges, intercept and target scaling
 * @param params - provenance echoed into the model
 * @param steps - leaves per feature tree (a power of two; default LINEAR_STEPS)
 */
export function linearAsTrees(lin: ClampedLinear, params: Record<string, number | string | boolean>, steps = LINEAR_STEPS): GbdtModel {
  const trees: GbdtTree[] = [];
  lin.names.forEach((_, f) => {
    const lo = lin.lower[f]!;
    const hi = lin.upper[f]!;
    const w = lin.weights[f]! * lin.scale.factor;
    if (hi > lo && w !== 0) {
      trees.push(featureTree(f, lo, hi, w, steps));
    }
  });
  return {
    format: 'haven-gbdt',
    version: 1,
    objective: 'squared',
    baseScore: lin.scale.offset + lin.scale.factor * lin.intercept,
    featureNames: [...lin.names],
    trees,
    featureImportance: lin.weights.map((w, f) => (lin.upper[f]! > lin.lower[f]! ? Math.abs(w) : 0)),
    bestIteration: Math.max(0, trees.length - 1),
    params,
  };
}
