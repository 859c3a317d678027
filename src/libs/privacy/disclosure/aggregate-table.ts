/**
 * One call for the usual dashboard cross-tab: per cell a count, a sum and a mean of some measure (e.g. length
 * of stay by ward × age band). Primary suppression: small counts and dominated sums; secondary suppression
 * on the additive sums (counts share the pattern, so hidden sums cannot be rebuilt as mean × count); means
 * are published only where count and sum are; published counts are rounded.
 */
import { HavenError } from '../../../errors/haven-error.js';
import { isDominated, type DominanceOptions } from './dominance-rule.js';
import { roundToBase } from './round-counts.js';
import { suppressTable2d } from './suppress-table.js';

/** The published cross-tab; null marks a suppressed figure. Margins cover rows, columns and the whole table. */
export interface ProtectedAggregateTable {
  readonly counts: readonly (readonly (number | null)[])[];
  readonly sums: readonly (readonly (number | null)[])[];
  readonly means: readonly (readonly (number | null)[])[];
  readonly rowTotals: readonly { readonly count: number | null; readonly sum: number | null; readonly mean: number | null }[];
  readonly colTotals: readonly { readonly count: number | null; readonly sum: number | null; readonly mean: number | null }[];
  readonly total: { readonly count: number | null; readonly sum: number | null; readonly mean: number | null };
  readonly primaryCount: number;
  readonly secondaryCount: number;
}

/**
 * Protect a 2-D table of magnitudes.
 * @param cells - rows × columns; each cell lists the non-negative values of its records (one per contributor)
 * @param opts - threshold (default 10), rounding base (default 5; 1 disables), dominance n and k
 */
export function protectAggregateTable2d(
  cells: readonly (readonly (readonly number[])[])[],
  opts: DominanceOptions & { readonly threshold?: number | undefined; readonly base?: number | undefined } = {},
): ProtectedAggregateTable {
  const nc = cells[0]?.length ?? 0;
  if (nc === 0 || cells.some((r) => r.length !== nc)) {
    throw new HavenError('HAVEN_PRIVACY_INVALID_TABLE');
  }
  const base = opts.base ?? 5;
  const counts = cells.map((r) => r.map((c) => c.length));
  const sums = cells.map((r) => r.map((c) => c.reduce((a, b) => a + b, 0)));
  const dominated = cells.map((r) => r.map((c) => c.length > 0 && isDominated(c, opts)));
  const t = suppressTable2d(counts, { threshold: opts.threshold, values: sums, extraPrimary: dominated });
  const entry = (count: number, sum: number | null): { count: number | null; sum: number | null; mean: number | null } =>
    sum === null ? { count: null, sum: null, mean: null } : { count: roundToBase(count, base), sum, mean: count > 0 ? sum / count : null };
  const cellEntries = cells.map((r, i) => r.map((_, j) => entry(counts[i]![j]!, t.cells[i]![j]!)));
  const rowCounts = counts.map((r) => r.reduce((a, b) => a + b, 0));
  const colCounts = Array.from({ length: nc }, (_, j) => counts.reduce((a, r) => a + r[j]!, 0));
  return {
    counts: cellEntries.map((r) => r.map((e) => e.count)),
    sums: cellEntries.map((r) => r.map((e) => e.sum)),
    means: cellEntries.map((r) => r.map((e) => e.mean)),
    rowTotals: rowCounts.map((c, i) => entry(c, t.rowTotals[i]!)),
    colTotals: colCounts.map((c, j) => entry(c, t.colTotals[j]!)),
    total: entry(rowCounts.reduce((a, b) => a + b, 0), t.total),
    primaryCount: t.primaryCount,
    secondaryCount: t.secondaryCount,
  };
}
