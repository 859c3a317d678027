/**
 * The shapes of the length-of-stay reports as the server publishes them and the dashboard reads them. Declarations
 * only (no runtime code), so the browser bundle can share them. `null` marks a figure withheld by disclosure control.
 */
import type { Facility, FlagColumn } from '../formats/fhir/los-record.js';

/** A facility row of a report: A–E, or `unknown` for admissions that named none. */
export type FacilityKey = Facility | 'unknown';

/** A published figure: a count (rounded under disclosure control) and the mean of the report's measure. */
export interface Figure {
  readonly count: number | null;
  readonly mean: number | null;
}

/** How the figures of a report were protected. */
export interface DisclosureApplied {
  /** False for roles with row-level access (exact figures). */
  readonly applied: boolean;
  readonly threshold: number;
  readonly roundingBase: number;
  readonly dominance: { readonly n: number; readonly k: number };
  /** Cells withheld because they were small or dominated (primary) and to stop them being recomputed (secondary). */
  readonly suppressed: { readonly primary: number; readonly secondary: number };
}

/** The slice filter of a report (admission months are YYYY-MM, inclusive). */
export interface StayFilter {
  readonly facility?: Facility | undefined;
  readonly from?: string | undefined;
  readonly to?: string | undefined;
}

/** Actual length of stay of the discharged encounters of a slice. Means are in days. */
export interface ActualStaySection {
  /** Column labels (admission months, YYYY-MM) and row labels (facilities) of the cross-tab. */
  readonly months: readonly string[];
  readonly facilities: readonly FacilityKey[];
  /** All encounters of the slice: count and average stay. */
  readonly total: Figure;
  /** Facility × month: encounters and average stay; the margins are byFacility and byMonth. */
  readonly cells: readonly (readonly Figure[])[];
  readonly byFacility: readonly Figure[];
  readonly byMonth: readonly Figure[];
  /** Per condition flag (and `none`): encounters with it and their average stay (conditions overlap). */
  readonly byCondition: readonly { readonly condition: FlagColumn | 'none'; readonly figure: Figure }[];
  /** Bed-days of the facility's stays admitted in the period divided by the days of the period, against capacity. */
  readonly occupancy: readonly {
    readonly facility: Facility;
    readonly capacity: number;
    readonly averageDailyCensus: number | null;
    readonly percentOfCapacity: number | null;
  }[];
  readonly periodDays: number;
}

/** A facility row of the predicted-versus-actual table. */
export interface PredictionErrorRow {
  /** The facility, or `all` for the total row. */
  readonly facility: FacilityKey | 'all';
  readonly count: number | null;
  readonly meanPredicted: number | null;
  readonly meanActual: number | null;
  readonly meanAbsoluteError: number | null;
}

/** Patients in hospital and their predicted stay. */
export interface InHospitalSection {
  /** Patients in hospital, and the average predicted stay of those scored. */
  readonly patients: Figure;
  readonly scored: number | null;
  readonly failed: number | null;
  readonly outOfDistribution: number | null;
  readonly facilities: readonly FacilityKey[];
  /** Per facility: patients and average predicted stay. */
  readonly byFacility: readonly Figure[];
  /** Patients by predicted stay rounded to whole days (the last bin is "this many days or more"). */
  readonly predictedDays: readonly { readonly day: number; readonly count: number | null }[];
}

/** Discharged patients whose admission was scored: predicted against actual stay. */
export interface DischargedSection {
  readonly total: PredictionErrorRow;
  readonly byFacility: readonly PredictionErrorRow[];
  /** Patients by error (predicted − actual, whole days; the end bins are open). */
  readonly errors: readonly { readonly error: number; readonly count: number | null }[];
  /** Binned scatter: per predicted stay (whole days), patients and their average actual stay. */
  readonly calibration: readonly { readonly predictedDay: number; readonly count: number | null; readonly meanActual: number | null }[];
}

/** A report section: released, or refused by the differencing guard (nothing about the slice is returned). */
export type Section<T> = ({ readonly status: 'released' } & T) | { readonly status: 'refused'; readonly code: string; readonly threshold: number };

/** Predicted length of stay: in hospital, and after discharge against the actual stay. */
export interface PredictedStayReport {
  readonly filter: StayFilter;
  readonly disclosure: DisclosureApplied;
  readonly inHospital: Section<InHospitalSection>;
  readonly discharged: Section<DischargedSection>;
}

/** Actual length of stay of discharged encounters. */
export interface ActualStayReport {
  readonly filter: StayFilter;
  readonly disclosure: DisclosureApplied;
  readonly discharged: Section<ActualStaySection>;
}

/** One patient of the clinician's list (row-level; names only for the clinician who admitted them). */
export interface PatientRow {
  readonly eid: number;
  readonly facility: FacilityKey;
  /** Admission date, M/D/YYYY. */
  readonly admitted: string;
  readonly names: { readonly first: string | null; readonly middle: string | null; readonly last: string | null } | null;
  readonly predicted: number | null;
  readonly interval: readonly [number, number] | null;
  readonly outOfDistribution: boolean;
  readonly oodFeatures: readonly string[];
  /** The stored scoring failure (e.g. HAVEN_MODEL_NO_APPROVED), or null. */
  readonly errorCode: string | null;
  /** Actual stay once discharged (days), else null. */
  readonly actual: number | null;
}

/** The clinician's row-level view. */
export interface PatientList {
  readonly inHospital: readonly PatientRow[];
  readonly discharged: readonly PatientRow[];
  /** True when a list was cut at the row limit (most recent admissions kept). */
  readonly truncated: boolean;
}
