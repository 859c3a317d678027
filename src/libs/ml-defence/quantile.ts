/**
 * Order statistics shared by the OOD profile and the poisoning screens.
 */

/**
 * Quantile of an ascending-sorted array by linear interpolation between order statistics (type 7).
 * @param sorted - values sorted ascending (non-empty)
 * @param q - probability in [0, 1]
 */
export function quantileSorted(sorted: readonly number[], q: number): number {
  const n = sorted.length;
  if (n === 0) {
    return NaN;
  }
  const pos = Math.min(Math.max(q, 0), 1) * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo]! + (pos - lo) * (sorted[hi]! - sorted[lo]!);
}

/**
 * Finite values of a column, sorted ascending.
 * @param values - raw values (non-finite ones are dropped)
 */
export function sortedFinite(values: readonly number[]): number[] {
  return values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
}
