/**
 * Out-of-distribution detection for scoring requests, fitted on the training feature columns.
 * Two checks:
 *  - per-feature range: a value is out of range when it lies outside BOTH the seen [min, max] and the
 *    [q0.001, q0.999] band widened by a margin (a fraction of the band's width). Values the training data
 *    contained are never flagged; a far-out value (sodium 5.9 mmol/L against a training mean of 138 — a
 *    unit or column mix-up) always is.
 *  - multivariate: squared Mahalanobis distance of the standardised row under the training correlation
 *    matrix with a ridge on the diagonal (keeps it invertible with binary or collinear columns); the row is
 *    flagged when it exceeds the chosen quantile (default 99.9 %) of the training rows' distances.
 * Reasons carry feature NAMES and kinds only, never values. The profile is plain JSON.
 */
import { HavenError } from '../../errors/haven-error.js';
import { cholesky, choleskySolve, spdInverse } from './linalg.js';
import { quantileSorted, sortedFinite } from './quantile.js';

/** The serialisable OOD profile. */
export interface OodProfile {
  readonly version: 1;
  readonly features: readonly string[];
  readonly lower: readonly number[];
  readonly upper: readonly number[];
  readonly mean: readonly number[];
  readonly sd: readonly number[];
  /** Inverse of the regularised correlation matrix, row-major d × d. */
  readonly precision: readonly number[];
  /** Threshold on the squared Mahalanobis distance. */
  readonly threshold: number;
}

/** Options of `fitOodProfile`. */
export interface OodOptions {
  /** Lower/upper quantile of the per-feature band (default 0.001 → [q0.001, q0.999]). */
  readonly tailQuantile?: number | undefined;
  /** Band widening as a fraction of the band width (default 0.1). */
  readonly margin?: number | undefined;
  /** Ridge added to the correlation matrix diagonal (default 0.01). */
  readonly ridge?: number | undefined;
  /** Quantile of training distances used as the multivariate threshold (default 0.999). */
  readonly distanceQuantile?: number | undefined;
}

/** One reason a row is out of distribution. */
export interface OodReason {
  readonly feature: string | null;
  readonly kind: 'below_range' | 'above_range' | 'multivariate' | 'not_finite';
}

/** The verdict on one row; `score` is distance²/threshold (≥ 1 means multivariate OOD). */
export interface OodResult {
  readonly ood: boolean;
  readonly score: number;
  readonly reasons: readonly OodReason[];
}

/**
 * Fit a profile from training rows.
 * @param features - column names, in row order
 * @param rows - training rows (non-finite cells are ignored for ranges and mean-imputed for distances)
 * @param opts - quantiles, margin, ridge
 */
export function fitOodProfile(features: readonly string[], rows: readonly (readonly number[])[], opts: OodOptions = {}): OodProfile {
  const d = features.length;
  if (d === 0 || rows.length < 20 || rows.some((r) => r.length !== d)) {
    throw new HavenError('HAVEN_PRIVACY_INVALID_INPUT', undefined, { detail: { reason: 'too_few_rows_or_bad_width', rows: rows.length } });
  }
  const tail = opts.tailQuantile ?? 0.001;
  const margin = opts.margin ?? 0.1;
  const ridge = opts.ridge ?? 0.01;
  const lower: number[] = [];
  const upper: number[] = [];
  const mean: number[] = [];
  const sd: number[] = [];
  for (let j = 0; j < d; j++) {
    const col = sortedFinite(rows.map((r) => r[j]!));
    if (col.length === 0) {
      throw new HavenError('HAVEN_PRIVACY_INVALID_INPUT', undefined, { detail: { reason: 'column_without_values', column: features[j]! } });
    }
    const qLo = quantileSorted(col, tail);
    const qHi = quantileSorted(col, 1 - tail);
    const widen = margin * (qHi - qLo);
    lower.push(Math.min(col[0]!, qLo - widen));
    upper.push(Math.max(col[col.length - 1]!, qHi + widen));
    const m = col.reduce((a, b) => a + b, 0) / col.length;
    const v = col.reduce((a, b) => a + (b - m) * (b - m), 0) / Math.max(1, col.length - 1);
    mean.push(m);
    sd.push(v > 0 ? Math.sqrt(v) : 1);
  }
  const z = rows.map((r) => standardise(r, mean, sd));
  const corr = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  for (const row of z) {
    for (let a = 0; a < d; a++) {
      for (let b = 0; b <= a; b++) {
        corr[a]![b] = corr[a]![b]! + (row[a]! * row[b]!) / (z.length - 1);
      }
    }
  }
  for (let a = 0; a < d; a++) {
    for (let b = 0; b < a; b++) {
      corr[b]![a] = corr[a]![b]!;
    }
    corr[a]![a] = corr[a]![a]! + ridge;
  }
  const l = cholesky(corr);
  const dist = sortedFinite(z.map((row) => quadForm(l, row)));
  const threshold = quantileSorted(dist, opts.distanceQuantile ?? 0.999);
  return { version: 1, features: [...features], lower, upper, mean, sd, precision: spdInverse(corr).flat(), threshold };
}

/**
 * Score one row against a profile.
 * @param profile - fitted profile
 * @param row - values in `profile.features` order
 */
export function scoreOod(profile: OodProfile, row: readonly number[]): OodResult {
  const d = profile.features.length;
  if (row.length !== d) {
    throw new HavenError('HAVEN_PRIVACY_INVALID_INPUT', undefined, { detail: { reason: 'row_width', expected: d, got: row.length } });
  }
  const reasons: OodReason[] = [];
  for (let j = 0; j < d; j++) {
    const v = row[j]!;
    const feature = profile.features[j]!;
    if (!Number.isFinite(v)) {
      reasons.push({ feature, kind: 'not_finite' });
    } else if (v < profile.lower[j]!) {
      reasons.push({ feature, kind: 'below_range' });
    } else if (v > profile.upper[j]!) {
      reasons.push({ feature, kind: 'above_range' });
    }
  }
  const z = standardise(row, profile.mean, profile.sd);
  let d2 = 0;
  for (let a = 0; a < d; a++) {
    let s = 0;
    for (let b = 0; b < d; b++) {
      s += profile.precision[a * d + b]! * z[b]!;
    }
    d2 += z[a]! * s;
  }
  const score = profile.threshold > 0 ? d2 / profile.threshold : d2;
  if (score > 1) {
    reasons.push({ feature: null, kind: 'multivariate' });
  }
  return { ood: reasons.length > 0, score, reasons };
}

/**
 * Score a record keyed by column name (missing columns count as not finite).
 * @param profile - fitted profile
 * @param record - column name → value
 */
export function scoreOodRecord(profile: OodProfile, record: Readonly<Record<string, number | null | undefined>>): OodResult {
  return scoreOod(profile, profile.features.map((f) => record[f] ?? NaN));
}

// Non-finite cells are imputed with the mean (z = 0) so one missing value does not blow up the distance.
function standardise(row: readonly number[], mean: readonly number[], sd: readonly number[]): number[] {
  return row.map((v, j) => (Number.isFinite(v) ? (v - mean[j]!) / sd[j]! : 0));
}

function quadForm(l: readonly (readonly number[])[], z: readonly number[]): number {
  const x = choleskySolve(l, z);
  return z.reduce((s, v, i) => s + v * x[i]!, 0);
}
