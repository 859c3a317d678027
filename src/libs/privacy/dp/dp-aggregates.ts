/**
 * Differentially private count, sum and mean (Laplace mechanism, pure ε-DP, add/remove-one neighbours).
 * Values are clamped to a public [lower, upper] range first: clamping is what bounds the sensitivity, so
 * the range must come from domain knowledge, never from the data itself.
 */
import { HavenError } from '../../../errors/haven-error.js';
import { laplaceMechanism, requirePositive } from './mechanisms.js';
import type { PrivacyCost } from './privacy-accountant.js';
import type { RandomSource } from './seeded-random.js';

/** Options of a clamped DP aggregate. */
export interface ClampOptions {
  /** Public lower bound of a value. */
  readonly lower: number;
  /** Public upper bound of a value. */
  readonly upper: number;
  /** Total ε of this release. */
  readonly epsilon: number;
}

/** A noisy release and what it cost (feed `cost` to the accountant's `spend`). */
export interface DpRelease {
  readonly value: number;
  readonly cost: PrivacyCost;
}

/**
 * Clamp each value into [lower, upper].
 * @param values - raw values
 * @param lower - public lower bound
 * @param upper - public upper bound
 */
export function clampValues(values: readonly number[], lower: number, upper: number): number[] {
  checkRange(lower, upper);
  return values.map((v) => {
    if (!Number.isFinite(v)) {
      throw new HavenError('HAVEN_PRIVACY_INVALID_INPUT', undefined, { detail: { reason: 'non_finite_value' } });
    }
    return Math.min(upper, Math.max(lower, v));
  });
}

/**
 * ε-DP count (sensitivity 1).
 * @param count - true count
 * @param epsilon - ε of this release
 * @param random - uniform source
 */
export function dpCount(count: number, epsilon: number, random: RandomSource): DpRelease {
  return { value: laplaceMechanism(count, 1, epsilon, random), cost: { kind: 'pure', epsilon } };
}

/**
 * ε-DP sum of clamped values (sensitivity max(|lower|, |upper|) under add/remove-one).
 * @param values - raw values
 * @param opts - public clamp range and ε
 * @param random - uniform source
 */
export function dpSum(values: readonly number[], opts: ClampOptions, random: RandomSource): DpRelease {
  const clamped = clampValues(values, opts.lower, opts.upper);
  const sensitivity = Math.max(Math.abs(opts.lower), Math.abs(opts.upper), Number.MIN_VALUE);
  const sum = clamped.reduce((a, b) => a + b, 0);
  return { value: laplaceMechanism(sum, sensitivity, opts.epsilon, random), cost: { kind: 'pure', epsilon: opts.epsilon } };
}

/**
 * ε-DP mean: the values are shifted to be centred on the range midpoint (halving the sum's sensitivity),
 * ε/2 goes to a noisy centred sum and ε/2 to a noisy count; the ratio is clamped back into the range.
 * @param values - raw values
 * @param opts - public clamp range and total ε
 * @param random - uniform source
 */
export function dpMean(values: readonly number[], opts: ClampOptions, random: RandomSource): DpRelease {
  requirePositive(opts.epsilon, 'epsilon');
  const clamped = clampValues(values, opts.lower, opts.upper);
  const mid = (opts.lower + opts.upper) / 2;
  const half = Math.max((opts.upper - opts.lower) / 2, Number.MIN_VALUE);
  const centredSum = clamped.reduce((a, v) => a + (v - mid), 0);
  const noisySum = laplaceMechanism(centredSum, half, opts.epsilon / 2, random);
  const noisyCount = laplaceMechanism(clamped.length, 1, opts.epsilon / 2, random);
  // A tiny or negative noisy count makes the ratio meaningless; post-processing (free) falls back to the midpoint.
  const mean = noisyCount < 1 ? mid : mid + noisySum / noisyCount;
  return { value: Math.min(opts.upper, Math.max(opts.lower, mean)), cost: { kind: 'pure', epsilon: opts.epsilon } };
}

function checkRange(lower: number, upper: number): void {
  if (!Number.isFinite(lower) || !Number.isFinite(upper) || lower > upper) {
    throw new HavenError('HAVEN_PRIVACY_INVALID_PARAMETER', undefined, { detail: { parameter: 'range' } });
  }
}
