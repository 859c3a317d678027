/**
 * A differentially private linear model for a numeric target, served in the tree format (linear-as-trees.ts).
 *
 * Neighbouring datasets: the training set with one record added or removed. Releases:
 *  1. the DP marginals of every feature and of the target (dp-marginals.ts, Gaussian, ρ_m-zCDP). Post-processing
 *     gives each feature a scaling range [DP 2 % quantile, DP 98 % quantile] and the target one too; features are
 *     mapped linearly onto [−1, 1] and clamped there (missing → 0, the middle); a feature whose range is empty is
 *     unused;
 *  2. full-batch noisy gradient descent on the scaled data (libs/privacy/dp/dp-regression.ts `trainDpRegression`):
 *     per-record gradients clipped to L2 norm C, Gaussian noise per step, ρ_d-zCDP in total.
 * ρ_m + ρ_d is the run's zCDP budget (dp-plan.ts `planDpLinear`), converted once to (ε, δ). The tree form is
 * post-processing of the released weights.
 */
import { HavenError } from '../../errors/haven-error.js';
import type { FeatureMatrix } from '../ml/feature-matrix.js';
import type { GbdtModel } from '../ml/gbdt-model.js';
import { zcdpToEpsilon } from '../privacy/dp/mechanisms.js';
import { trainDpRegression } from '../privacy/dp/dp-regression.js';
import type { RandomSource } from '../privacy/dp/seeded-random.js';
import { dpMarginals, marginalQuantile, type DpMarginal } from './dp-marginals.js';
import { planDpLinear, type DpPlan } from './dp-plan.js';
import { linearAsTrees } from './linear-as-trees.js';

/** Options of DP linear training. */
export interface DpLinearOptions {
  readonly epsilon: number;
  readonly delta: number;
  /** Gradient-descent steps (default 200). */
  readonly nRounds?: number | undefined;
  /** Step size (default 0.1). */
  readonly learningRate?: number | undefined;
}

/** Defaults of DP linear training (measured on los-10k: docs/decisions/0026-differential-privacy-training.md). */
export const DP_LINEAR_DEFAULTS = { nRounds: 200, learningRate: 0.1, clip: 2, tail: 0.02 } as const;

/** A trained DP linear model (in tree form) with its plan. */
export interface DpLinearResult {
  readonly model: GbdtModel;
  readonly plan: DpPlan;
  readonly derived: { readonly usableFeatures: number; readonly noiseMultiplier: number };
}

function scaled(x: number, lo: number, hi: number): number {
  if (!(hi > lo) || Number.isNaN(x)) {
    return 0;
  }
  return Math.max(-1, Math.min(1, (2 * (x - lo)) / (hi - lo) - 1));
}

function range(d: DpMarginal): [number, number] {
  const lo = marginalQuantile(d, DP_LINEAR_DEFAULTS.tail);
  const hi = marginalQuantile(d, 1 - DP_LINEAR_DEFAULTS.tail);
  return Number.isFinite(lo) && Number.isFinite(hi) && hi > lo ? [lo, hi] : [0, 0];
}

/**
 * Train a DP linear model.
 * @param m - training features
 * @param y - training target
 * @param o - (ε, δ), steps, step size
 * @param random - the secret noise source (keyed-random.ts)
 */
export function trainDpLinear(m: FeatureMatrix, y: ArrayLike<number>, o: DpLinearOptions, random: RandomSource): DpLinearResult {
  const steps = o.nRounds ?? DP_LINEAR_DEFAULTS.nRounds;
  const lr = o.learningRate ?? DP_LINEAR_DEFAULTS.learningRate;
  const plan = planDpLinear(o.epsilon, o.delta);
  const marg = dpMarginals(m, y, plan.rhoMarginals, random);
  const ranges = marg.features.map(range);
  const [tLo, tHi] = range(marg.target);
  if (!(tHi > tLo)) {
    throw new HavenError('HAVEN_TRAIN_PRIVACY_TOO_NOISY');
  }
  const rows = Array.from({ length: m.nRows }, (_, r) => ranges.map(([lo, hi], c) => scaled(m.data[c * m.nRows + r]!, lo, hi)));
  const targets = Array.from(y, (v) => (2 * (v - tLo)) / (tHi - tLo) - 1);
  // trainDpRegression spends epsilonToZcdp(ε', δ); ε' = zcdpToEpsilon(ρ_d, δ) makes that the planned ρ_d.
  const fit = trainDpRegression(
    rows,
    targets,
    { loss: 'squared', epsilon: zcdpToEpsilon(plan.rhoDescent, o.delta), delta: o.delta, steps, clip: DP_LINEAR_DEFAULTS.clip, learningRate: lr },
    random,
  );
  if (fit.cost.kind !== 'zcdp' || fit.cost.rho > plan.rhoDescent * (1 + 1e-9)) {
    throw new HavenError('HAVEN_PRIVACY_INVALID_PARAMETER', undefined, { detail: { parameter: 'rho' } });
  }
  const half = (tHi - tLo) / 2;
  const model = linearAsTrees(
    {
      names: m.names,
      lower: ranges.map((r) => r[0]),
      upper: ranges.map((r) => r[1]),
      weights: fit.weights,
      intercept: fit.intercept,
      scale: { offset: tLo + half, factor: half },
    },
    { dp: true, epsilon: o.epsilon, delta: o.delta, nRounds: steps, learningRate: lr, clip: DP_LINEAR_DEFAULTS.clip },
  );
  return { model, plan, derived: { usableFeatures: ranges.filter(([lo, hi]) => hi > lo).length, noiseMultiplier: fit.noiseMultiplier } };
}
