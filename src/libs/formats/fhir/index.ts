/** FHIR admission/discharge → length-of-stay record. See README.md for the mapping and decisions. */
export { mapAdmission, type AdmissionMapping, type AdmissionOptions } from './map-admission.js';
export { mapDischarge, applyDischarge, type Discharge } from './map-discharge.js';
export { DEFAULT_FHIR_LIMITS, type FhirLimits } from './check-limits.js';
export { ALLOWED_RESOURCE_TYPES, ALLOWED_BUNDLE_TYPES } from './collect-resources.js';
export { LOINC_SYSTEM, SNOMED_SYSTEM, RCOUNT_EXTENSION_URL, LOINC_TO_COLUMN, SNOMED_TO_COLUMNS } from './fhir-codes.js';
export type { UnknownCode, MappingNote, MappingNoteKind } from './mapping-report.js';
export * from './los-record.js';
export * from './los-date.js';
