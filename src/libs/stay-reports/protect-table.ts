/**
 * Disclosure control of the one-dimensional tables the reports publish (a partition of a slice, with its total): each
 * cell has a record count and any number of measures (one non-negative value per record). Primary suppression hides
 * small and dominated cells, secondary suppression (libs/privacy/disclosure) hides more until no hidden entry can be
 * recomputed from the published cells and total; the pattern depends only on which entries are hidden, so it protects
 * every measure at once. Published counts are rounded; means are published only where the count is, rounded.
 */
import { isDominated, protectAggregate } from '../privacy/disclosure/dominance-rule.js';
import { roundToBase } from '../privacy/disclosure/round-counts.js';
import { suppressTable1d } from '../privacy/disclosure/suppress-table.js';
import { roundMean, type DisclosureOptions } from './disclosure-options.js';

/** One cell: its records' values, one array per measure (all of the cell's record count in length). */
export interface MeasuredCell {
  readonly count: number;
  readonly measures: readonly (readonly number[])[];
}

/** A published cell: the rounded count and the mean of each measure (null when withheld). */
export interface PublishedCell {
  readonly count: number | null;
  readonly means: readonly (number | null)[];
}

/** A protected table. */
export interface ProtectedTable {
  readonly cells: readonly PublishedCell[];
  readonly total: PublishedCell;
  readonly primary: number;
  readonly secondary: number;
}

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

function publish(count: number, measures: readonly (readonly number[])[], shown: boolean, o: DisclosureOptions): PublishedCell {
  if (!shown) {
    return { count: null, means: measures.map(() => null) };
  }
  return { count: roundToBase(count, o.base), means: measures.map((m) => (m.length === 0 ? null : roundMean(sum(m) / m.length, o.decimals))) };
}

/**
 * Protect a one-dimensional table published with its total.
 * @param cells - the cells of the partition (counts and per-record measure values)
 * @param o - threshold, rounding base, dominance and decimals
 */
export function protectTable(cells: readonly MeasuredCell[], o: DisclosureOptions): ProtectedTable {
  const nMeasures = cells[0]?.measures.length ?? 0;
  const totalMeasures = Array.from({ length: nMeasures }, (_, m) => cells.flatMap((c) => c.measures[m]!));
  const totalCount = sum(cells.map((c) => c.count));
  if (cells.length === 0) {
    return { cells: [], total: publish(0, totalMeasures, true, o), primary: 0, secondary: 0 };
  }
  const dominance = { n: o.dominanceN, k: o.dominanceK };
  const dominated = cells.map((c) => c.measures.some((m) => m.length > 0 && isDominated(m, dominance)));
  const t = suppressTable1d(
    cells.map((c) => c.count),
    { threshold: o.threshold, values: cells.map((c) => (nMeasures > 0 ? sum(c.measures[0]!) : c.count)), extraPrimary: dominated },
  );
  return {
    cells: cells.map((c, i) => publish(c.count, c.measures, t.cells[i] !== null, o)),
    total: publish(totalCount, totalMeasures, t.total !== null, o),
    primary: t.primaryCount,
    secondary: t.secondaryCount,
  };
}

/**
 * Protect one stand-alone figure (a count and the mean of one measure): small counts hide both, dominance hides the mean.
 * @param values - one value per record (use zeros for a count-only figure)
 * @param o - threshold, rounding base, dominance and decimals
 * @param withMean - whether the mean is published at all
 */
export function protectFigure(
  values: readonly number[],
  o: DisclosureOptions,
  withMean = true,
): { count: number | null; mean: number | null; suppressed: boolean } {
  const p = protectAggregate(values, { threshold: o.threshold, base: o.base, n: o.dominanceN, k: o.dominanceK });
  const suppressed = p.reason === 'small_count';
  return { count: p.count, mean: withMean && p.mean !== null ? roundMean(p.mean, o.decimals) : null, suppressed };
}
