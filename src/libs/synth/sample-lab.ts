import type { LabSpec } from './los-calibration.js';
import { QUANTILE_PROBS } from './los-calibration.js';
import type { Prng } from './prng.js';

/**
 * Draws one lab value: the spike with its probability, else inverse-CDF sampling from the quantile table with
 * linear interpolation, then rounded to the sample's format. Always consumes exactly two uniforms.
 * @param spec - the lab's calibration
 * @param rng - the row's generator
 */
export function sampleLab(spec: LabSpec, rng: Prng): number {
  const a = rng.float();
  const u = rng.float();
  if (spec.spike !== null && a < spec.spike.p) {
    return spec.spike.value;
  }
  const q = spec.quantiles;
  let i = 1;
  while (i < QUANTILE_PROBS.length - 1 && QUANTILE_PROBS[i]! <= u) {
    i += 1;
  }
  const p0 = QUANTILE_PROBS[i - 1]!;
  const p1 = QUANTILE_PROBS[i]!;
  const v = q[i - 1]! + ((u - p0) / (p1 - p0)) * (q[i]! - q[i - 1]!);
  return formatLab(v, spec.format);
}

/**
 * Rounds a value to a lab format.
 * @param v - the value
 * @param format - tenth, integer or 10 significant digits
 */
export function formatLab(v: number, format: LabSpec['format']): number {
  if (format === 'integer') {
    return Math.round(v);
  }
  if (format === 'tenth') {
    return Math.round(v * 10) / 10;
  }
  return Number(v.toPrecision(10));
}
