/**
 * The actual-length-of-stay report of a slice of discharged encounters: the facility × admission-month cross-tab of
 * encounters and average stay with its margins (one joint suppression pattern, so the margins cannot undo a hidden
 * cell), average stay per condition, and average daily census against each facility's capacity.
 */
import { protectAggregateTable2d } from '../privacy/disclosure/aggregate-table.js';
import { FACILITIES, FLAG_COLUMNS, type Facility } from '../formats/fhir/los-record.js';
import { roundMean, type DisclosureOptions } from './disclosure-options.js';
import { FACILITY_INFO } from './facilities.js';
import { protectFigure } from './protect-table.js';
import type { ActualStaySection, FacilityKey, Figure, StayFilter } from './report-types.js';
import { daysOfMonths, inSlice, monthsBetween } from './stay-filter.js';
import type { StayRow } from './stay-row.js';

/** A computed report section, the record ids behind it (for the differencing guard) and how many cells were withheld. */
export interface ComputedSection<T> {
  readonly section: T;
  readonly recordIds: readonly string[];
  readonly suppressed: { readonly primary: number; readonly secondary: number };
}

/**
 * The facilities axis of a slice: the filtered facility, or all five (plus `unknown` when some row names none).
 * @param rows - the slice's rows
 * @param filter - the filter
 */
export function facilityAxis(rows: readonly StayRow[], filter: StayFilter): FacilityKey[] {
  if (filter.facility !== undefined) {
    return [filter.facility];
  }
  return rows.some((r) => r.facility === 'unknown') ? [...FACILITIES, 'unknown'] : [...FACILITIES];
}

/**
 * The discharged encounters of a slice (those with a length of stay and a parseable admission month).
 * @param rows - every encounter of the workspace
 * @param filter - facility and month range
 */
export function dischargedSlice(rows: readonly StayRow[], filter: StayFilter): StayRow[] {
  return rows.filter((r) => r.lengthOfStay !== null && r.month !== null && inSlice(r, filter));
}

/**
 * Compute the actual-stay section.
 * @param rows - every encounter of the workspace (the function selects the slice)
 * @param filter - facility and inclusive admission-month range
 * @param o - disclosure options (protected or exact)
 */
export function actualStaySection(rows: readonly StayRow[], filter: StayFilter, o: DisclosureOptions): ComputedSection<ActualStaySection> {
  const slice = dischargedSlice(rows, filter);
  const seen = slice.map((r) => r.month!).sort();
  const from = filter.from ?? seen[0];
  const to = filter.to ?? seen[seen.length - 1];
  const months = from === undefined || to === undefined ? [] : monthsBetween(from, to);
  const facilities = facilityAxis(slice, filter);
  const conditions = protectConditions(slice, o);
  if (months.length === 0) {
    const none: Figure = { count: 0, mean: null };
    return {
      section: {
        months,
        facilities,
        total: none,
        cells: facilities.map(() => []),
        byFacility: facilities.map(() => none),
        byMonth: [],
        byCondition: conditions.figures,
        occupancy: occupancyOf(
          facilities,
          facilities.map(() => null),
          0,
        ),
        periodDays: 0,
      },
      recordIds: [],
      suppressed: { primary: conditions.suppressed, secondary: 0 },
    };
  }
  const rowOf = new Map(facilities.map((f, i) => [f, i]));
  const colOf = new Map(months.map((m, j) => [m, j]));
  const cells: number[][][] = facilities.map(() => months.map(() => []));
  for (const r of slice) {
    cells[rowOf.get(r.facility)!]![colOf.get(r.month!)!]!.push(r.lengthOfStay!);
  }
  const t = protectAggregateTable2d(cells, { threshold: o.threshold, base: o.base, n: o.dominanceN, k: o.dominanceK });
  const fig = (e: { count: number | null; mean: number | null }): Figure => ({ count: e.count, mean: e.mean === null ? null : roundMean(e.mean, o.decimals) });
  const periodDays = daysOfMonths(months);
  return {
    section: {
      months,
      facilities,
      total: fig(t.total),
      cells: t.counts.map((row, i) => row.map((count, j) => fig({ count, mean: t.means[i]![j]! }))),
      byFacility: t.rowTotals.map(fig),
      byMonth: t.colTotals.map(fig),
      byCondition: conditions.figures,
      occupancy: occupancyOf(
        facilities,
        t.rowTotals.map((e) => e.sum),
        periodDays,
      ),
      periodDays,
    },
    recordIds: slice.map((r) => r.id),
    suppressed: { primary: t.primaryCount + conditions.suppressed, secondary: t.secondaryCount },
  };
}

function protectConditions(slice: readonly StayRow[], o: DisclosureOptions): { figures: ActualStaySection['byCondition']; suppressed: number } {
  const groups: { condition: ActualStaySection['byCondition'][number]['condition']; values: number[] }[] = [
    ...FLAG_COLUMNS.map((condition, i) => ({ condition, values: slice.filter((r) => (r.conditions & (1 << i)) !== 0).map((r) => r.lengthOfStay!) })),
    { condition: 'none', values: slice.filter((r) => r.conditions === 0).map((r) => r.lengthOfStay!) },
  ];
  let suppressed = 0;
  const figures = groups.map((g) => {
    const p = protectFigure(g.values, o);
    suppressed += p.suppressed ? 1 : 0;
    return { condition: g.condition, figure: { count: p.count, mean: p.mean } };
  });
  return { figures, suppressed };
}

function occupancyOf(facilities: readonly FacilityKey[], bedDays: readonly (number | null)[], periodDays: number): ActualStaySection['occupancy'] {
  const out: { facility: Facility; capacity: number; averageDailyCensus: number | null; percentOfCapacity: number | null }[] = [];
  facilities.forEach((f, i) => {
    if (f === 'unknown') {
      return;
    }
    const days = bedDays[i] ?? null;
    const capacity = FACILITY_INFO[f].capacity;
    const census = days === null || periodDays === 0 ? null : roundMean(days / periodDays, 1);
    out.push({ facility: f, capacity, averageDailyCensus: census, percentOfCapacity: census === null ? null : Math.round((census / capacity) * 100) });
  });
  return out;
}
