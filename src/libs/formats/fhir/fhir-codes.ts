import type { FlagColumn, LabColumn } from './los-record.js';

/** The LOINC code system URI; observations are matched on system AND code (the reference ignored the system). */
export const LOINC_SYSTEM = 'http://loinc.org';
/** The SNOMED CT code system URI. */
export const SNOMED_SYSTEM = 'http://snomed.info/sct';
/**
 * Extension carrying the readmission count (last 180 days) on an R4 Encounter. FHIR has no standard element for it;
 * the legacy shape used the non-standard `encounter.returnCount`.
 */
export const RCOUNT_EXTENSION_URL = 'https://haven.local/fhir/StructureDefinition/readmissions-180d';

/** An observation column: the 9 labs plus the secondary-diagnosis count. */
export type ObservationColumn = LabColumn | 'secondarydiagnosisnonicd9';

/** How one LOINC observation maps to a column: the expected units (compared trimmed) and whether it is an integer. */
export interface LoincMapping {
  readonly column: ObservationColumn;
  readonly units: readonly string[];
  readonly integer: boolean;
}

/** LOINC code → record column, from the mapping table in the FHIR README. */
export const LOINC_TO_COLUMN: Readonly<Record<string, LoincMapping>> = {
  '4544-3': { column: 'hematocrit', units: ['%'], integer: false },
  '770-8': { column: 'neutrophils', units: ['%'], integer: false },
  '2947-0': { column: 'sodium', units: ['mmol/L'], integer: false },
  '2339-0': { column: 'glucose', units: ['mg/dL'], integer: false },
  '6299-2': { column: 'bloodureanitro', units: ['mg/dL'], integer: false },
  '2160-0': { column: 'creatinine', units: ['mg/dL'], integer: false },
  '39156-5': { column: 'bmi', units: ['kg/m2'], integer: false },
  '8867-4': { column: 'pulse', units: ['beats/min', '/min'], integer: true },
  '9279-1': { column: 'respiration', units: ['breaths/min', '/min'], integer: false },
  '54554-1': { column: 'secondarydiagnosisnonicd9', units: [], integer: true },
};

/**
 * SNOMED CT code → flag column, one column per code (decision in README.md, "Decisions"). The reference used 81659004
 * for both psychologicaldisordermajor and psychother and 263756000 for both fibrosisandother and malnutrition; here
 * those codes set only the first column, and psychother / malnutrition have their own codes: 74732009 (mental
 * disorder) and 2492009 (malnutrition). A reference message that repeats a shared code gets a note.
 */
export const SNOMED_TO_COLUMNS: Readonly<Record<string, readonly FlagColumn[]>> = {
  '236435004': ['dialysisrenalendstage'],
  '195967001': ['asthma'],
  '35240004': ['irondef'],
  '233604007': ['pneum'],
  '361055000': ['substancedependence'],
  '81659004': ['psychologicaldisordermajor'],
  '35489007': ['depress'],
  '74732009': ['psychother'],
  '263756000': ['fibrosisandother'],
  '2492009': ['malnutrition'],
  '34093004': ['hemo'],
};

/** Condition clinical statuses of FHIR (R4 `relapse`, STU3 `recurrence`). */
export const CLINICAL_STATUSES = ['active', 'recurrence', 'relapse', 'inactive', 'remission', 'resolved'] as const;
/** A condition clinical status. */
export type ClinicalStatus = (typeof CLINICAL_STATUSES)[number];

/** Verification statuses that mean "this condition is not there": such conditions never set a flag. */
export const IGNORED_VERIFICATION = ['refuted', 'entered-in-error'] as const;
/** Observation statuses whose value must not be used. */
export const IGNORED_OBSERVATION_STATUS = ['entered-in-error', 'cancelled'] as const;

/** Codes the reference sent twice, the second time meaning another column (psychother, malnutrition). */
export const REFERENCE_SHARED_CODES: Readonly<Record<string, string>> = {
  '81659004': 'psychother',
  '263756000': 'malnutrition',
};
