/**
 * The two basic additive-noise mechanisms of differential privacy.
 * Laplace: pure ε-DP for a query with L1 sensitivity Δ, noise scale b = Δ/ε.
 * Gaussian: for L2 sensitivity Δ and noise σ the release is ρ-zCDP with ρ = Δ²/(2σ²) (Bun & Steinke 2016),
 * which is what the accountant composes; `gaussianSigmaForZcdp` inverts that.
 */
import { HavenError } from '../../../errors/haven-error.js';
import { openUniform, standardNormal, type RandomSource } from './seeded-random.js';

/**
 * Throw a coded input error unless `value` is finite and strictly positive.
 * @param value - the parameter to check
 * @param name - its name (goes into the safe detail)
 */
export function requirePositive(value: number, name: string): void {
  if (!Number.isFinite(value) || value <= 0) {
    throw new HavenError('HAVEN_PRIVACY_INVALID_PARAMETER', undefined, { detail: { parameter: name } });
  }
}

/**
 * One draw from Laplace(0, scale) by inverse CDF.
 * @param scale - the Laplace scale b (> 0)
 * @param random - uniform source on [0, 1)
 */
export function laplaceNoise(scale: number, random: RandomSource): number {
  requirePositive(scale, 'scale');
  const u = openUniform(random) - 0.5;
  return -scale * Math.sign(u) * Math.log(1 - 2 * Math.abs(u));
}

/**
 * Release `value` with Laplace noise calibrated to ε-DP.
 * @param value - the true query answer
 * @param sensitivity - L1 sensitivity of the query (> 0)
 * @param epsilon - privacy loss ε (> 0)
 * @param random - uniform source on [0, 1)
 */
export function laplaceMechanism(value: number, sensitivity: number, epsilon: number, random: RandomSource): number {
  requirePositive(sensitivity, 'sensitivity');
  requirePositive(epsilon, 'epsilon');
  return value + laplaceNoise(sensitivity / epsilon, random);
}

/**
 * Release `value` with Gaussian noise of standard deviation `sigma`.
 * @param value - the true query answer
 * @param sigma - noise standard deviation (> 0)
 * @param random - uniform source on [0, 1)
 */
export function gaussianMechanism(value: number, sigma: number, random: RandomSource): number {
  requirePositive(sigma, 'sigma');
  return value + sigma * standardNormal(random);
}

/**
 * zCDP cost ρ = Δ²/(2σ²) of one Gaussian release.
 * @param sensitivity - L2 sensitivity Δ
 * @param sigma - noise standard deviation σ
 */
export function gaussianZcdp(sensitivity: number, sigma: number): number {
  requirePositive(sensitivity, 'sensitivity');
  requirePositive(sigma, 'sigma');
  return (sensitivity * sensitivity) / (2 * sigma * sigma);
}

/**
 * The σ that makes one Gaussian release cost exactly ρ (zCDP).
 * @param sensitivity - L2 sensitivity Δ
 * @param rho - target zCDP cost ρ (> 0)
 */
export function gaussianSigmaForZcdp(sensitivity: number, rho: number): number {
  requirePositive(sensitivity, 'sensitivity');
  requirePositive(rho, 'rho');
  return sensitivity / Math.sqrt(2 * rho);
}

/**
 * Convert ρ-zCDP to (ε, δ)-DP: ε = ρ + 2·sqrt(ρ·ln(1/δ)) (Bun & Steinke 2016, Prop. 1.3).
 * @param rho - zCDP parameter ρ (≥ 0)
 * @param delta - target δ in (0, 1)
 */
export function zcdpToEpsilon(rho: number, delta: number): number {
  if (!Number.isFinite(rho) || rho < 0) {
    throw new HavenError('HAVEN_PRIVACY_INVALID_PARAMETER', undefined, { detail: { parameter: 'rho' } });
  }
  if (!(delta > 0 && delta < 1)) {
    throw new HavenError('HAVEN_PRIVACY_INVALID_PARAMETER', undefined, { detail: { parameter: 'delta' } });
  }
  return rho + 2 * Math.sqrt(rho * Math.log(1 / delta));
}

/**
 * The largest ρ whose (ε, δ) conversion stays within `epsilon` (inverse of `zcdpToEpsilon`).
 * Solves ρ + 2·sqrt(ρ·L) = ε with L = ln(1/δ): sqrt(ρ) = sqrt(L + ε) − sqrt(L).
 * @param epsilon - target ε (> 0)
 * @param delta - target δ in (0, 1)
 */
export function epsilonToZcdp(epsilon: number, delta: number): number {
  requirePositive(epsilon, 'epsilon');
  if (!(delta > 0 && delta < 1)) {
    throw new HavenError('HAVEN_PRIVACY_INVALID_PARAMETER', undefined, { detail: { parameter: 'delta' } });
  }
  const l = Math.log(1 / delta);
  const s = Math.sqrt(l + epsilon) - Math.sqrt(l);
  return s * s;
}
