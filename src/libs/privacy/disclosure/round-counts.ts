/**
 * Deterministic rounding of published counts to a base (default 5), so that small changes between
 * releases (one record more or less) are usually invisible. Ties round up (12.5 → 15 for base 5), which
 * keeps the function deterministic; null (suppressed) stays null.
 */
import { HavenError } from '../../../errors/haven-error.js';

/**
 * Round one count to the nearest multiple of `base` (ties up).
 * @param count - the count (finite)
 * @param base - rounding base (positive integer, default 5)
 */
export function roundToBase(count: number, base = 5): number {
  if (!Number.isInteger(base) || base < 1) {
    throw new HavenError('HAVEN_PRIVACY_INVALID_PARAMETER', undefined, { detail: { parameter: 'base' } });
  }
  if (!Number.isFinite(count)) {
    throw new HavenError('HAVEN_PRIVACY_INVALID_INPUT', undefined, { detail: { reason: 'non_finite_count' } });
  }
  return Math.floor(count / base + 0.5) * base;
}

/**
 * Round every published count of a (possibly suppressed) list.
 * @param counts - counts with null for suppressed entries
 * @param base - rounding base (default 5)
 */
export function roundCounts(counts: readonly (number | null)[], base = 5): (number | null)[] {
  return counts.map((c) => (c === null ? null : roundToBase(c, base)));
}
