/**
 * The predicted-length-of-stay report: patients still in hospital with the stay predicted at admission, and, after
 * discharge, predicted against actual stay per facility, as an error distribution and as a binned scatter (average
 * actual stay per predicted day), all as protected aggregates.
 */
import type { DisclosureOptions } from './disclosure-options.js';
import { facilityAxis, type ComputedSection } from './actual-stay.js';
import { protectFigure, protectTable, type MeasuredCell } from './protect-table.js';
import type { DischargedSection, FacilityKey, InHospitalSection, PredictionErrorRow, StayFilter } from './report-types.js';
import { inSlice } from './stay-filter.js';
import type { StayRow } from './stay-row.js';

/** The predicted-day bins of the histograms: 1 … MAX_PREDICTED_DAY, the last one open ("or more"). */
export const MAX_PREDICTED_DAY = 14;
/** The error bins: −MAX_ERROR_DAYS … +MAX_ERROR_DAYS whole days, the ends open. */
export const MAX_ERROR_DAYS = 5;

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));
const predictedDay = (p: number): number => clamp(Math.round(p), 1, MAX_PREDICTED_DAY);

/**
 * Cells of a partition of `rows` by a key, in the order of `keys`, with the given measures per record.
 * @param rows - the rows to partition
 * @param keys - the cell keys, in table order
 * @param keyOf - the key of a row
 * @param measures - measure functions (each gives one non-negative value per record)
 */
function partition<K>(rows: readonly StayRow[], keys: readonly K[], keyOf: (r: StayRow) => K, measures: readonly ((r: StayRow) => number)[]): MeasuredCell[] {
  const at = new Map(keys.map((k, i) => [k, i]));
  const cells = keys.map(() => ({ count: 0, measures: measures.map(() => [] as number[]) }));
  for (const r of rows) {
    const c = cells[at.get(keyOf(r))!]!;
    c.count += 1;
    measures.forEach((m, j) => c.measures[j]!.push(m(r)));
  }
  return cells;
}

/**
 * The patients of a slice still in hospital (no length of stay yet).
 * @param rows - every encounter of the workspace
 * @param filter - the facility filter (months do not apply to patients in hospital)
 */
export function inHospitalSlice(rows: readonly StayRow[], filter: StayFilter): StayRow[] {
  return rows.filter((r) => r.lengthOfStay === null && inSlice(r, { facility: filter.facility }));
}

/**
 * The discharged patients of a slice whose admission was scored.
 * @param rows - every encounter of the workspace
 * @param filter - the facility filter
 */
export function scoredDischargedSlice(rows: readonly StayRow[], filter: StayFilter): StayRow[] {
  return rows.filter((r) => r.lengthOfStay !== null && r.prediction?.scored === true && inSlice(r, { facility: filter.facility }));
}

/**
 * Patients in hospital: how many, how many scored, failed and out of distribution, and the predicted stay by facility
 * and as a histogram.
 * @param rows - every encounter of the workspace
 * @param filter - the facility filter
 * @param o - disclosure options
 */
export function inHospitalSection(rows: readonly StayRow[], filter: StayFilter, o: DisclosureOptions): ComputedSection<InHospitalSection> {
  const slice = inHospitalSlice(rows, filter);
  const scored = slice.filter((r) => r.prediction?.scored === true);
  const facilities = facilityAxis(slice, filter);
  const pred = (r: StayRow): number => Math.max(0, r.prediction!.predicted!);
  const byFacility = protectTable(
    partition(scored, facilities, (r) => r.facility, [pred]),
    o,
  );
  const days = range(1, MAX_PREDICTED_DAY);
  const histogram = protectTable(
    partition(scored, days, (r) => predictedDay(pred(r)), []),
    o,
  );
  const count = (n: number): ReturnType<typeof protectFigure> => protectFigure(new Array<number>(n).fill(0), o, false);
  const patients = count(slice.length);
  const nScored = count(scored.length);
  const failed = count(slice.length - scored.length);
  const ood = count(scored.filter((r) => r.prediction!.ood).length);
  const small = [patients, nScored, failed, ood].filter((f) => f.suppressed).length;
  return {
    section: {
      patients: { count: patients.count, mean: byFacility.total.means[0] ?? null },
      scored: nScored.count,
      failed: failed.count,
      outOfDistribution: ood.count,
      facilities,
      byFacility: byFacility.cells.map((c) => ({ count: c.count, mean: c.means[0] ?? null })),
      predictedDays: histogram.cells.map((c, i) => ({ day: days[i]!, count: c.count })),
    },
    recordIds: slice.map((r) => r.id),
    suppressed: { primary: byFacility.primary + histogram.primary + small, secondary: byFacility.secondary + histogram.secondary },
  };
}

/**
 * Discharged patients with a prediction: predicted against actual stay per facility, the error distribution and the
 * binned scatter.
 * @param rows - every encounter of the workspace
 * @param filter - the facility filter
 * @param o - disclosure options
 */
export function dischargedSection(rows: readonly StayRow[], filter: StayFilter, o: DisclosureOptions): ComputedSection<DischargedSection> {
  const slice = scoredDischargedSlice(rows, filter);
  const facilities = facilityAxis(slice, filter);
  const pred = (r: StayRow): number => Math.max(0, r.prediction!.predicted!);
  const actual = (r: StayRow): number => r.lengthOfStay!;
  const absError = (r: StayRow): number => Math.abs(pred(r) - actual(r));
  const table = protectTable(
    partition(slice, facilities, (r) => r.facility, [pred, actual, absError]),
    o,
  );
  const row = (facility: FacilityKey | 'all', c: (typeof table.cells)[number]): PredictionErrorRow => ({
    facility,
    count: c.count,
    meanPredicted: c.means[0] ?? null,
    meanActual: c.means[1] ?? null,
    meanAbsoluteError: c.means[2] ?? null,
  });
  const errorBins = range(-MAX_ERROR_DAYS, MAX_ERROR_DAYS);
  const errors = protectTable(
    partition(slice, errorBins, (r) => clamp(Math.round(pred(r) - actual(r)), -MAX_ERROR_DAYS, MAX_ERROR_DAYS), []),
    o,
  );
  const days = range(1, MAX_PREDICTED_DAY);
  const calibration = protectTable(
    partition(slice, days, (r) => predictedDay(pred(r)), [actual]),
    o,
  );
  return {
    section: {
      total: row('all', table.total),
      byFacility: table.cells.map((c, i) => row(facilities[i]!, c)),
      errors: errors.cells.map((c, i) => ({ error: errorBins[i]!, count: c.count })),
      calibration: calibration.cells.map((c, i) => ({ predictedDay: days[i]!, count: c.count, meanActual: c.means[0] ?? null })),
    },
    recordIds: slice.map((r) => r.id),
    suppressed: {
      primary: table.primary + errors.primary + calibration.primary,
      secondary: table.secondary + errors.secondary + calibration.secondary,
    },
  };
}
