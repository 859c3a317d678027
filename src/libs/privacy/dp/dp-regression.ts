/**
 * DP linear and logistic regression by full-batch noisy gradient descent (DP-SGD without subsampling):
 * each step clips every per-record gradient to L2 norm C, sums, and adds N(0, (zC)²) per coordinate.
 * Under add/remove-one neighbours one step is a Gaussian mechanism with L2 sensitivity C, i.e. 1/(2z²)-zCDP;
 * T steps compose to ρ = T/(2z²). The noise multiplier z is solved from the (ε, δ) target via zCDP, so the
 * returned `cost` fed to the accountant is exact. The record count n is treated as public (dataset metadata).
 * Features should be scaled to a public range (e.g. [-1, 1] using domain bounds) for the step size to work.
 */
import { HavenError } from '../../../errors/haven-error.js';
import { epsilonToZcdp, requirePositive } from './mechanisms.js';
import type { PrivacyCost } from './privacy-accountant.js';
import { standardNormal, type RandomSource } from './seeded-random.js';

/** Options of DP regression training. */
export interface DpRegressionOptions {
  readonly loss: 'squared' | 'logistic';
  readonly epsilon: number;
  readonly delta: number;
  /** Gradient-descent steps T (default 100). */
  readonly steps?: number | undefined;
  /** Per-record gradient L2 clip C (default 1). */
  readonly clip?: number | undefined;
  /** Step size (default 0.5). */
  readonly learningRate?: number | undefined;
  /** L2 penalty on the weights (default 1e-3). */
  readonly l2?: number | undefined;
}

/** A trained linear model plus its privacy cost. */
export interface DpLinearModel {
  readonly loss: 'squared' | 'logistic';
  readonly weights: readonly number[];
  readonly intercept: number;
  readonly noiseMultiplier: number;
  readonly cost: PrivacyCost;
}

/**
 * Train a DP linear (squared loss) or logistic model.
 * @param rows - feature rows (n × d), scaled to a public range
 * @param targets - numeric targets (squared) or 0/1 labels (logistic)
 * @param opts - loss, (ε, δ), steps, clip, learning rate, L2
 * @param random - uniform source for the noise
 */
export function trainDpRegression(
  rows: readonly (readonly number[])[],
  targets: readonly number[],
  opts: DpRegressionOptions,
  random: RandomSource,
): DpLinearModel {
  const n = rows.length;
  const d = rows[0]?.length ?? 0;
  if (n === 0 || targets.length !== n || rows.some((r) => r.length !== d || r.some((v) => !Number.isFinite(v)))) {
    throw new HavenError('HAVEN_PRIVACY_INVALID_INPUT', undefined, { detail: { reason: 'bad_design_matrix', rows: n } });
  }
  const steps = opts.steps ?? 100;
  const clip = opts.clip ?? 1;
  const lr = opts.learningRate ?? 0.5;
  const l2 = opts.l2 ?? 1e-3;
  requirePositive(steps, 'steps');
  requirePositive(clip, 'clip');
  requirePositive(lr, 'learningRate');
  const rho = epsilonToZcdp(opts.epsilon, opts.delta);
  const z = Math.sqrt(steps / (2 * rho));
  const w = new Array<number>(d + 1).fill(0); // last entry is the intercept
  const grad = new Array<number>(d + 1);
  const g = new Array<number>(d + 1);
  for (let t = 0; t < steps; t++) {
    grad.fill(0);
    for (let i = 0; i < n; i++) {
      const x = rows[i]!;
      let pred = w[d]!;
      for (let j = 0; j < d; j++) {
        pred += w[j]! * x[j]!;
      }
      const residual = (opts.loss === 'logistic' ? sigmoid(pred) : pred) - targets[i]!;
      let norm2 = residual * residual;
      for (let j = 0; j < d; j++) {
        g[j] = residual * x[j]!;
        norm2 += g[j]! * g[j]!;
      }
      g[d] = residual;
      const scale = Math.min(1, clip / Math.max(Math.sqrt(norm2), 1e-300));
      for (let j = 0; j <= d; j++) {
        grad[j]! += g[j]! * scale;
      }
    }
    for (let j = 0; j <= d; j++) {
      const noisy = (grad[j]! + z * clip * standardNormal(random)) / n;
      const penalty = j < d ? l2 * w[j]! : 0;
      w[j] = w[j]! - lr * (noisy + penalty);
    }
  }
  return { loss: opts.loss, weights: w.slice(0, d), intercept: w[d]!, noiseMultiplier: z, cost: { kind: 'zcdp', rho } };
}

/**
 * Predict with a linear model: the linear score (squared) or the probability (logistic).
 * @param model - trained model
 * @param row - one feature row
 */
export function predictLinear(model: Pick<DpLinearModel, 'loss' | 'weights' | 'intercept'>, row: readonly number[]): number {
  let s = model.intercept;
  for (let j = 0; j < model.weights.length; j++) {
    s += model.weights[j]! * (row[j] ?? 0);
  }
  return model.loss === 'logistic' ? sigmoid(s) : s;
}

function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}
