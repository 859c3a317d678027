import type { CodeEntry } from '../code-entry.js';

/** Codes of the ingest area. */
export const INGEST_CODES = {
  // CSV
  HAVEN_CSV_EMPTY_FILE: { status: 400, category: 'input', message: 'CSV file is empty' },
  HAVEN_CSV_NO_ROWS: { status: 400, category: 'input', message: 'CSV file has a header but no data rows' },
  HAVEN_CSV_INVALID_UTF8: { status: 400, category: 'input', message: 'CSV file is not valid UTF-8' },
  HAVEN_CSV_NUL_BYTE: { status: 400, category: 'input', message: 'CSV file contains a NUL byte' },
  HAVEN_CSV_UNCLOSED_QUOTE: { status: 400, category: 'input', message: 'CSV file ends inside a quoted field' },
  HAVEN_CSV_FIELD_TOO_LARGE: { status: 413, category: 'limit', message: 'CSV field exceeds the size limit' },
  HAVEN_CSV_RECORD_TOO_LARGE: { status: 413, category: 'limit', message: 'CSV record exceeds the size limit' },
  HAVEN_CSV_TOO_MANY_COLUMNS: { status: 413, category: 'limit', message: 'CSV record has more columns than allowed' },
  HAVEN_CSV_EMPTY_HEADER: { status: 400, category: 'input', message: 'CSV header has an empty column name' },
  HAVEN_CSV_DUPLICATE_HEADER: { status: 400, category: 'input', message: 'CSV header has a duplicate column name' },
  HAVEN_CSV_BAD_DELIMITER: { status: 400, category: 'usage', message: 'CSV delimiter must be one of comma, semicolon, tab or pipe' },
  HAVEN_CSV_COLUMN_COUNT: { status: 400, category: 'input', message: 'CSV row has the wrong number of columns' },
  HAVEN_CSV_BAD_QUOTE: { status: 400, category: 'input', message: 'CSV row has characters after a closing quote' },
  HAVEN_CSV_TYPE_MISMATCH: { status: 400, category: 'input', message: 'CSV value does not match the declared column type' },
  HAVEN_CSV_OUT_OF_RANGE: { status: 400, category: 'input', message: 'CSV value is outside the declared range' },
  HAVEN_CSV_MISSING_REQUIRED: { status: 400, category: 'input', message: 'CSV row is missing a required value' },
  HAVEN_CSV_SCHEMA_MISMATCH: { status: 400, category: 'input', message: 'CSV header does not match the declared schema' },
  // classification
  HAVEN_CLASSIFY_SECRET_FOUND: { status: 422, category: 'input', message: 'a column contains credentials or secrets; import stopped' },
  // FHIR
  HAVEN_FHIR_INVALID_SHAPE: { status: 400, category: 'input', message: 'message is neither a FHIR Bundle nor an admission object' },
  HAVEN_FHIR_RESOURCE_NOT_ALLOWED: { status: 400, category: 'input', message: 'resource type is wrong or not allowed here' },
  HAVEN_FHIR_MISSING_PATIENT: { status: 400, category: 'input', message: 'message has no Patient' },
  HAVEN_FHIR_MISSING_ENCOUNTER: { status: 400, category: 'input', message: 'message has no Encounter' },
  HAVEN_FHIR_MISSING_ENCOUNTER_ID: { status: 400, category: 'input', message: 'encounter id is missing or not a positive integer' },
  HAVEN_FHIR_AMBIGUOUS_RESOURCE: { status: 400, category: 'input', message: 'message holds more than one Patient or Encounter' },
  HAVEN_FHIR_INVALID_FIELD: { status: 400, category: 'input', message: 'a field has the wrong type or an invalid value' },
  HAVEN_FHIR_INVALID_DATE: { status: 400, category: 'input', message: 'a date is missing or not a valid FHIR dateTime' },
  HAVEN_FHIR_TOO_MANY_ENTRIES: { status: 413, category: 'limit', message: 'message holds too many entries' },
  HAVEN_FHIR_TOO_DEEP: { status: 413, category: 'limit', message: 'message is nested too deeply or is too large' },
  HAVEN_FHIR_MISSING_DISCHARGE_DATE: { status: 400, category: 'input', message: 'discharge has no encounter.period.end' },
  HAVEN_FHIR_DISCHARGE_BEFORE_ADMISSION: { status: 400, category: 'input', message: 'discharge date is before the admission date' },
  HAVEN_FHIR_ENCOUNTER_MISMATCH: { status: 400, category: 'input', message: 'discharge is for a different encounter' },
  HAVEN_FHIR_ALREADY_DISCHARGED: { status: 409, category: 'conflict', message: 'encounter is already discharged' },
  HAVEN_FHIR_UNKNOWN_ENCOUNTER: { status: 404, category: 'notFound', message: 'encounter not found' },
  // de-identification
  HAVEN_DEID_INVALID_LABELS: { status: 400, category: 'input', message: 'column classification map is invalid' },
  HAVEN_DEID_MISSING_FUNCTION: { status: 400, category: 'usage', message: 'a transform needs a function or parameter that was not supplied' },
  HAVEN_DEID_TRANSFORM_FAILED: { status: 500, category: 'internal', message: 'a supplied de-identification function failed' },
  // synthetic data
  HAVEN_SYNTH_INVALID_OPTION: { status: 400, category: 'usage', message: 'synthetic data option is invalid' },
} as const satisfies Record<string, CodeEntry>;
