/**
 * The (n, k) dominance rule for magnitude tables (sums and means): a cell is sensitive when its n largest
 * contributors make up more than k of the cell total — publishing it would let the top contributor estimate
 * the others closely, or reveal the dominant one's value. `protectAggregate` combines it with the
 * count threshold: a mean or sum is never published when its count is suppressed.
 */
import { HavenError } from '../../../errors/haven-error.js';
import { roundToBase } from './round-counts.js';

/** Parameters of the dominance rule. */
export interface DominanceOptions {
  /** Number of largest contributors (default 1). */
  readonly n?: number | undefined;
  /** Share of the total above which the cell is sensitive (default 0.9). */
  readonly k?: number | undefined;
}

/**
 * Whether a cell fails the (n, k) dominance rule.
 * @param contributions - non-negative contribution per contributing unit (patient, facility)
 * @param opts - n and k
 */
export function isDominated(contributions: readonly number[], opts: DominanceOptions = {}): boolean {
  const n = opts.n ?? 1;
  const k = opts.k ?? 0.9;
  if (!Number.isInteger(n) || n < 1 || !(k > 0 && k <= 1)) {
    throw new HavenError('HAVEN_PRIVACY_INVALID_PARAMETER', undefined, { detail: { parameter: 'dominance' } });
  }
  if (contributions.some((c) => !Number.isFinite(c) || c < 0)) {
    // The rule is defined for non-negative magnitudes; callers shift or take absolute values first.
    throw new HavenError('HAVEN_PRIVACY_INVALID_INPUT', undefined, { detail: { reason: 'negative_contribution' } });
  }
  const total = contributions.reduce((a, b) => a + b, 0);
  if (total === 0) {
    return false;
  }
  const top = [...contributions].sort((a, b) => b - a).slice(0, n).reduce((a, b) => a + b, 0);
  return top > k * total;
}

/** A published aggregate: null marks a suppressed figure. */
export interface ProtectedAggregate {
  readonly count: number | null;
  readonly sum: number | null;
  readonly mean: number | null;
  readonly reason: 'small_count' | 'dominance' | null;
}

/**
 * Protect one aggregate cell: count threshold, then dominance on the sum; counts are rounded to `base`.
 * @param contributions - each unit's value (non-negative magnitudes), one per record or per contributor
 * @param opts - threshold (default 10), rounding base (default 5; 1 disables), dominance n and k
 */
export function protectAggregate(
  contributions: readonly number[],
  opts: DominanceOptions & { readonly threshold?: number | undefined; readonly base?: number | undefined } = {},
): ProtectedAggregate {
  const threshold = opts.threshold ?? 10;
  const count = contributions.length;
  if (count > 0 && count < threshold) {
    return { count: null, sum: null, mean: null, reason: 'small_count' };
  }
  const base = opts.base ?? 5;
  if (count === 0) {
    return { count: 0, sum: null, mean: null, reason: null };
  }
  if (isDominated(contributions, opts)) {
    return { count: roundToBase(count, base), sum: null, mean: null, reason: 'dominance' };
  }
  const s = contributions.reduce((a, b) => a + b, 0);
  return { count: roundToBase(count, base), sum: s, mean: s / count, reason: null };
}
