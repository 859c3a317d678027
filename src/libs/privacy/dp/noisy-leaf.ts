/**
 * DP helpers for gradient-boosted trees (leaf-value perturbation in the style of DPBoost, Li et al. 2020).
 * Gradients are clipped to [-clip, clip]; the Newton leaf value V = -G/(H + λ) is released with Laplace noise
 * scaled to its sensitivity. Leaves of one tree partition the data, so by parallel composition releasing all
 * leaves of one tree costs `epsilonPerLeaf` once; the trees then compose sequentially (accountant).
 * Split choice must be made privately too (e.g. exponential mechanism or random splits) — not covered here.
 */
import { HavenError } from '../../../errors/haven-error.js';
import { laplaceNoise, requirePositive } from './mechanisms.js';
import type { RandomSource } from './seeded-random.js';

/** Options of a noisy leaf value. */
export interface NoisyLeafOptions {
  /** Per-record gradient bound: each gradient is clipped to [-clip, clip] before summing. */
  readonly clip: number;
  /** ε spent on this leaf (equal for all leaves of a tree: parallel composition). */
  readonly epsilonPerLeaf: number;
  /** L2 regularisation λ ≥ 0 in the leaf denominator. */
  readonly lambda: number;
  /** Public bounds of a per-record hessian; default [1, 1] (squared error). Clamp hessians into it first. */
  readonly hessianRange?: readonly [number, number] | undefined;
}

/**
 * Clip gradients into [-clip, clip] (the bound the leaf sensitivity relies on).
 * @param gradients - per-record gradients
 * @param clip - bound (> 0)
 */
export function clipGradients(gradients: readonly number[], clip: number): number[] {
  requirePositive(clip, 'clip');
  return gradients.map((g) => Math.min(clip, Math.max(-clip, g)));
}

/**
 * L1 sensitivity of V = -G/(H + λ) under adding or removing one record with |g| ≤ c and h ∈ [hmin, hmax].
 * Unit hessians (hmin = hmax = 1): |ΔV| ≤ c/(1 + λ) — the DPBoost bound; proof: for n records,
 * |ΔV| ≤ c(2n + λ)/((n + λ)(n + 1 + λ)) and (n+λ)(n+1+λ) − (2n+λ)(1+λ) = n² − n ≥ 0.
 * General range: |ΔV| ≤ max(c/(hmin + λ), c(hmax + hmin)/(hmin(hmin + hmax + λ))), using |G| ≤ c·H/hmin.
 * @param opts - clip, λ and hessian range
 */
export function leafSensitivity(opts: NoisyLeafOptions): number {
  requirePositive(opts.clip, 'clip');
  if (!Number.isFinite(opts.lambda) || opts.lambda < 0) {
    throw new HavenError('HAVEN_PRIVACY_INVALID_PARAMETER', undefined, { detail: { parameter: 'lambda' } });
  }
  const [hmin, hmax] = opts.hessianRange ?? [1, 1];
  if (!(hmin > 0) || !(hmax >= hmin) || !Number.isFinite(hmax)) {
    throw new HavenError('HAVEN_PRIVACY_INVALID_PARAMETER', undefined, { detail: { parameter: 'hessianRange' } });
  }
  const c = opts.clip;
  const l = opts.lambda;
  if (hmin === 1 && hmax === 1) {
    return c / (1 + l);
  }
  return Math.max(c / (hmin + l), (c * (hmax + hmin)) / (hmin * (hmin + hmax + l)));
}

/**
 * The ε-DP leaf value: -sumGrad/(sumHess + λ) plus Laplace(sensitivity/ε) noise.
 * `sumGrad` must be the sum of CLIPPED gradients and `sumHess` of hessians clamped into the range.
 * @param sumGrad - sum of clipped gradients in the leaf
 * @param sumHess - sum of hessians in the leaf
 * @param count - records in the leaf (checked against the hessian range; never released)
 * @param opts - clip, ε per leaf, λ, hessian range
 * @param random - uniform source
 */
export function noisyLeafValue(
  sumGrad: number,
  sumHess: number,
  count: number,
  opts: NoisyLeafOptions,
  random: RandomSource,
): number {
  requirePositive(opts.epsilonPerLeaf, 'epsilonPerLeaf');
  const sensitivity = leafSensitivity(opts);
  const [hmin, hmax] = opts.hessianRange ?? [1, 1];
  const tol = 1e-9 * Math.max(1, count);
  const consistent =
    Number.isInteger(count) &&
    count >= 0 &&
    Math.abs(sumGrad) <= opts.clip * count + tol &&
    sumHess >= hmin * count - tol &&
    sumHess <= hmax * count + tol;
  if (!consistent || sumHess + opts.lambda <= 0) {
    // The sensitivity proof needs clipped gradients and in-range hessians; refuse rather than under-noise.
    throw new HavenError('HAVEN_PRIVACY_INVALID_INPUT', undefined, { detail: { reason: 'leaf_sums_outside_clip_bounds' } });
  }
  return -sumGrad / (sumHess + opts.lambda) + laplaceNoise(sensitivity / opts.epsilonPerLeaf, random);
}
