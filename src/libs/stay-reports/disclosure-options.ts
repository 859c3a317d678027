/**
 * Disclosure-control parameters of the reports. Roles without row-level access get the protected settings (small
 * cells suppressed, counts rounded, dominated cells hidden, means to one decimal); roles that may see the rows anyway
 * get exact figures through the same code path (threshold 1 suppresses nothing, base 1 rounds nothing, k = 1 never
 * dominates).
 */

/** How figures are protected. */
export interface DisclosureOptions {
  /** Cells counting 0 < n < threshold records are suppressed. */
  readonly threshold: number;
  /** Published counts are rounded to this base. */
  readonly base: number;
  /** (n, k) dominance: a cell whose n largest contributions exceed k of its total is suppressed. */
  readonly dominanceN: number;
  readonly dominanceK: number;
  /** Decimals of published means. */
  readonly decimals: number;
}

/** The default for roles without row-level access: threshold 10, base 5, (1, 0.9) dominance, one decimal. */
export const PROTECTED_DISCLOSURE: DisclosureOptions = { threshold: 10, base: 5, dominanceN: 1, dominanceK: 0.9, decimals: 1 };

/** Exact figures for roles with row-level access. */
export const EXACT_FIGURES: DisclosureOptions = { threshold: 1, base: 1, dominanceN: 1, dominanceK: 1, decimals: 2 };

/**
 * Whether the options protect anything (false for EXACT_FIGURES).
 * @param o - the options
 */
export function isProtected(o: DisclosureOptions): boolean {
  return o.threshold > 1 || o.base > 1 || o.dominanceK < 1;
}

/**
 * Round a mean for publication.
 * @param value - the mean
 * @param decimals - decimals to keep
 */
export function roundMean(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}
