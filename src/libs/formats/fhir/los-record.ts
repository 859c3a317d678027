/**
 * The length-of-stay record: the 31 columns of the reference sample (los-10k.csv), in the file's column order.
 * The FHIR mapping and the synthetic generator both produce this shape, so one store schema serves both.
 */

/** The 11 condition flags (0/1), in file order. */
export const FLAG_COLUMNS = [
  'dialysisrenalendstage', 'asthma', 'irondef', 'pneum', 'substancedependence',
  'psychologicaldisordermajor', 'depress', 'psychother', 'fibrosisandother', 'malnutrition', 'hemo',
] as const;

/** The 9 lab and vital columns, in file order. */
export const LAB_COLUMNS = [
  'hematocrit', 'neutrophils', 'sodium', 'glucose', 'bloodureanitro', 'creatinine', 'bmi', 'pulse', 'respiration',
] as const;

/** All 31 columns, in the order of the sample file's header. */
export const LOS_COLUMNS = [
  'First', 'Middle', 'Last', 'eid', 'vdate', 'rcount', 'gender',
  ...FLAG_COLUMNS, ...LAB_COLUMNS,
  'secondarydiagnosisnonicd9', 'discharged', 'facid', 'lengthofstay',
] as const;

/** The readmission-count categories of the training data. */
export const RCOUNT_VALUES = ['0', '1', '2', '3', '4', '5+'] as const;

/** The facilities of the training data. */
export const FACILITIES = ['A', 'B', 'C', 'D', 'E'] as const;

/** A condition-flag column name. */
export type FlagColumn = (typeof FLAG_COLUMNS)[number];
/** A lab/vital column name. */
export type LabColumn = (typeof LAB_COLUMNS)[number];
/** Any of the 31 column names. */
export type LosColumn = (typeof LOS_COLUMNS)[number];
/** Readmissions in the last 180 days, as the training data writes it. */
export type Rcount = (typeof RCOUNT_VALUES)[number];
/** Facility id A..E. */
export type Facility = (typeof FACILITIES)[number];
/** Gender as the training data writes it. */
export type Gender = 'F' | 'M';

/**
 * An admitted encounter mapped from FHIR: the 31 columns minus `discharged` and `lengthofstay`.
 * A missing observation or attribute is `null` (never 0), so the model and the out-of-distribution check see it.
 * `vdate` is M/D/YYYY like the sample file.
 */
export type AdmissionRecord = {
  First: string | null;
  Middle: string | null;
  Last: string | null;
  eid: number;
  vdate: string;
  rcount: Rcount | null;
  gender: Gender | null;
  secondarydiagnosisnonicd9: number;
  facid: Facility | null;
} & { [K in FlagColumn]: 0 | 1 } & { [K in LabColumn]: number | null };

/** An admission after discharge: `discharged` (M/D/YYYY) and `lengthofstay` (whole days) are set. */
export type DischargedRecord = AdmissionRecord & { discharged: string; lengthofstay: number };

/** A complete record with no missing values, as in the sample file and the synthetic generator. */
export type LosRecord = {
  First: string;
  Middle: string;
  Last: string;
  eid: number;
  vdate: string;
  rcount: Rcount;
  gender: Gender;
  secondarydiagnosisnonicd9: number;
  discharged: string;
  facid: Facility;
  lengthofstay: number;
} & { [K in FlagColumn]: 0 | 1 } & { [K in LabColumn]: number };

/**
 * Whether a string is one of the rcount categories.
 * @param value - the string to test
 */
export function isRcount(value: string): value is Rcount {
  return (RCOUNT_VALUES as readonly string[]).includes(value);
}

/**
 * Whether a string is a facility id A..E.
 * @param value - the string to test
 */
export function isFacility(value: string): value is Facility {
  return (FACILITIES as readonly string[]).includes(value);
}
