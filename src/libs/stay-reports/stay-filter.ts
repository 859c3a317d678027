/**
 * Slices of encounters: which rows a report covers (facility, admission months), the months of its period, and the
 * canonical text the differencing guard remembers the slice by.
 */
import { canonicalFilter } from '../privacy/disclosure/differencing-guard.js';
import { daysInMonth } from '../formats/fhir/los-date.js';
import type { StayFilter } from './report-types.js';
import type { StayRow } from './stay-row.js';

/** The YYYY-MM form of filter months. */
export const MONTH_PATTERN = '^[0-9]{4}-(0[1-9]|1[0-2])$';

/**
 * Whether a row belongs to a filter's slice (rows without a parseable admission month belong to no dated slice).
 * @param row - the encounter
 * @param filter - facility and inclusive month range
 */
export function inSlice(row: StayRow, filter: StayFilter): boolean {
  if (filter.facility !== undefined && row.facility !== filter.facility) {
    return false;
  }
  if (filter.from !== undefined && (row.month === null || row.month < filter.from)) {
    return false;
  }
  return !(filter.to !== undefined && (row.month === null || row.month > filter.to));
}

/**
 * Every month from `from` to `to`, inclusive (empty when from > to).
 * @param from - YYYY-MM
 * @param to - YYYY-MM
 */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let y = Number(from.slice(0, 4));
  let m = Number(from.slice(5, 7));
  for (let guard = 0; guard < 12 * 10_000; guard++) {
    const key = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`;
    if (key > to) {
      break;
    }
    out.push(key);
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return out;
}

/**
 * Days covered by a list of months.
 * @param months - YYYY-MM labels
 */
export function daysOfMonths(months: readonly string[]): number {
  return months.reduce((a, k) => a + daysInMonth(Number(k.slice(0, 4)), Number(k.slice(5, 7))), 0);
}

/**
 * The canonical description of a slice, as the differencing guard remembers it (labels only, never values).
 * @param report - which report
 * @param section - which part of it
 * @param filter - the filter
 */
export function sliceLabel(report: string, section: string, filter: StayFilter): string {
  return canonicalFilter({ report, section, facility: filter.facility ?? null, from: filter.from ?? null, to: filter.to ?? null });
}
