/**
 * Training objectives: gradients/hessians of the loss w.r.t. the raw score, the starting score and
 * the reported loss. To add one: implement `Objective` here, add its name to `GbdtObjectiveName`
 * (gbdt-model.ts), to `objectiveFor` below and to `makeObjective` (objectives.ts).
 *
 * This module imports nothing but types, so training worker threads load it without the error
 * catalogue (a worker starts while the caller bins the data; fewer modules, sooner ready).
 */
import type { GbdtObjectiveName } from './gbdt-model.js';

/** A differentiable loss for boosting. */
export interface Objective {
  readonly name: GbdtObjectiveName;
  /** When set, every hessian equals this constant (histograms then skip the hessian slot). */
  readonly constHessian: number | undefined;
  /** Starting raw score (before any tree). */
  initScore(y: Float64Array): number;
  /**
   * Fill grad (and hess, unless `constHessian` is set) for rows lo..hi−1 from targets and raw scores.
   * Row ranges let training threads each fill their own block.
   */
  gradients(y: Float64Array, raw: Float64Array, grad: Float64Array, hess: Float64Array, lo: number, hi: number): void;
  /** Mean loss of raw scores. */
  loss(y: ArrayLike<number>, raw: ArrayLike<number>): number;
  /** Optional leaf refit: the best constant to add for the residuals of rows idx[begin..end). */
  refitLeaf?(y: Float64Array, raw: Float64Array, idx: Uint32Array, begin: number, end: number): number;
}

function mean(y: Float64Array): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) {
    s += y[i]!;
  }
  return s / y.length;
}

function median(v: Float64Array): number {
  const s = v.slice().sort();
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export const squared: Objective = {
  name: 'squared',
  constHessian: 1,
  initScore: mean,
  gradients(y, raw, grad, _hess, lo, hi) {
    for (let i = lo; i < hi; i++) {
      grad[i] = raw[i]! - y[i]!;
    }
  },
  loss(y, raw) {
    let s = 0;
    for (let i = 0; i < y.length; i++) {
      const d = raw[i]! - y[i]!;
      s += d * d;
    }
    return s / y.length;
  },
};

export const absolute: Objective = {
  name: 'absolute',
  constHessian: 1,
  initScore: median,
  gradients(y, raw, grad, _hess, lo, hi) {
    for (let i = lo; i < hi; i++) {
      const d = raw[i]! - y[i]!;
      grad[i] = d > 0 ? 1 : d < 0 ? -1 : 0;
    }
  },
  loss(y, raw) {
    let s = 0;
    for (let i = 0; i < y.length; i++) {
      s += Math.abs(raw[i]! - y[i]!);
    }
    return s / y.length;
  },
  // Sign gradients only pick the tree's structure; the leaf value is the residual median (as LightGBM does).
  refitLeaf(y, raw, idx, begin, end) {
    const r = new Float64Array(end - begin);
    for (let i = begin; i < end; i++) {
      const k = idx[i]!;
      r[i - begin] = y[k]! - raw[k]!;
    }
    return r.length === 0 ? 0 : median(r);
  },
};

/**
 * Huber loss with the given threshold.
 * @param delta - residual size where the loss turns linear (> 0)
 */
export function huber(delta: number): Objective {
  return {
    name: 'huber',
    constHessian: 1,
    initScore: median,
    // Clipped residual with unit hessian: a Newton step on the quadratic part, bounded steps on outliers.
    gradients(y, raw, grad, _hess, lo, hi) {
      for (let i = lo; i < hi; i++) {
        const d = raw[i]! - y[i]!;
        grad[i] = d > delta ? delta : d < -delta ? -delta : d;
      }
    },
    loss(y, raw) {
      let s = 0;
      for (let i = 0; i < y.length; i++) {
        const a = Math.abs(raw[i]! - y[i]!);
        s += a <= delta ? 0.5 * a * a : delta * (a - 0.5 * delta);
      }
      return s / y.length;
    },
  };
}

/** Logistic function. */
export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

export const logloss: Objective = {
  name: 'logloss',
  constHessian: undefined,
  initScore(y) {
    const p = Math.min(1 - 1e-6, Math.max(1e-6, mean(y)));
    return Math.log(p / (1 - p));
  },
  gradients(y, raw, grad, hess, lo, hi) {
    for (let i = lo; i < hi; i++) {
      const p = sigmoid(raw[i]!);
      grad[i] = p - y[i]!;
      hess[i] = Math.max(p * (1 - p), 1e-16);
    }
  },
  loss(y, raw) {
    let s = 0;
    for (let i = 0; i < y.length; i++) {
      // log(1 + e^x) − y·x, computed stably.
      const x = raw[i]!;
      s += Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))) - y[i]! * x;
    }
    return s / y.length;
  },
};

/**
 * The objective for a (validated) name; unknown names fall back to squared error. Use `makeObjective`
 * (objectives.ts) for untrusted input.
 * @param name - objective name
 * @param huberDelta - Huber threshold
 */
export function objectiveFor(name: GbdtObjectiveName, huberDelta: number): Objective {
  return name === 'absolute' ? absolute : name === 'huber' ? huber(huberDelta) : name === 'logloss' ? logloss : squared;
}
