/**
 * The row-level view for roles allowed to see rows (clinicians): the workspace's patients in hospital and its scored
 * discharged patients, most recent admission first, cut at a limit.
 */
import { inHospitalSlice, scoredDischargedSlice } from './predicted-stay.js';
import type { StayFilter } from './report-types.js';
import type { StayRow } from './stay-row.js';

const newestFirst = (a: StayRow, b: StayRow): number => (b.admittedDay ?? 0) - (a.admittedDay ?? 0) || b.eid - a.eid;

/**
 * Patients in hospital and scored discharged patients of a slice.
 * @param rows - every encounter of the workspace
 * @param filter - the facility filter
 * @param limit - the most rows of each list
 */
export function patientSlices(
  rows: readonly StayRow[],
  filter: StayFilter,
  limit: number,
): { inHospital: StayRow[]; discharged: StayRow[]; truncated: boolean } {
  const inHospital = inHospitalSlice(rows, filter).sort(newestFirst);
  const discharged = scoredDischargedSlice(rows, filter).sort(newestFirst);
  return { inHospital: inHospital.slice(0, limit), discharged: discharged.slice(0, limit), truncated: inHospital.length > limit || discharged.length > limit };
}
