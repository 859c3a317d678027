import type { CodeEntry } from '../code-entry.js';

/** Codes of the ingest service (the CSV and FHIR parsers' codes are in ingest.ts). */
export const INGEST_SERVICE_CODES = {
  HAVEN_INGEST_DUPLICATE: { status: 409, category: 'conflict', message: 'this file was already imported into the dataset' },
  HAVEN_INGEST_TOO_LARGE: { status: 413, category: 'limit', message: 'upload exceeds the size limit' },
  HAVEN_INGEST_GZIP_BOMB: { status: 413, category: 'limit', message: 'compressed upload expands beyond the allowed ratio' },
  HAVEN_INGEST_BAD_GZIP: { status: 400, category: 'input', message: 'compressed upload is not valid gzip' },
  HAVEN_INGEST_POLICY_DRIFT: { status: 422, category: 'input', message: 'identifiers found beyond the sampled rows; import withdrawn, nothing kept' },
  HAVEN_INGEST_VERSION_STATE: { status: 409, category: 'conflict', message: 'the dataset version is not in a state that allows this' },
  HAVEN_INGEST_INTERRUPTED: { status: 400, category: 'input', message: 'the upload was interrupted; nothing was kept' },
  HAVEN_INGEST_CONTENT_MISMATCH: { status: 415, category: 'usage', message: 'the upload content does not match its declared type' },
  HAVEN_INGEST_OPTION_NOT_APPLICABLE: { status: 400, category: 'usage', message: 'a sheet can be chosen only when importing an Excel workbook' },
  HAVEN_INGEST_MULTIPART_NO_FILE: { status: 400, category: 'usage', message: 'multipart upload has no file part named "file"' },
  HAVEN_INGEST_MULTIPART_FIELD: { status: 400, category: 'usage', message: 'multipart upload may hold only one file part, named "file"' },
  HAVEN_INGEST_MULTIPART_TOO_MANY_PARTS: { status: 400, category: 'usage', message: 'multipart upload holds more than one part' },
  HAVEN_INGEST_MULTIPART_MALFORMED: { status: 400, category: 'usage', message: 'multipart body is malformed or truncated' },
  // steward label override (label-override.ts)
  HAVEN_INGEST_VERSION_PUBLISHED: { status: 409, category: 'conflict', message: 'a published dataset version is immutable; import a new version to change its labels' },
  HAVEN_INGEST_LABEL_UNKNOWN_COLUMN: { status: 400, category: 'input', message: 'the dataset version has no column of that name' },
  HAVEN_INGEST_LABEL_INVALID: { status: 400, category: 'input', message: 'the label and kind do not go together' },
  HAVEN_INGEST_DECRYPT_NOT_CONFIRMED: { status: 400, category: 'usage', message: 'this label lowers the column protection and decrypts stored values; repeat with confirmDecrypt: true' },
  // de-identified export (deidentified-export.ts)
  HAVEN_INGEST_EXPORT_NO_PATIENT_KEY: { status: 400, category: 'input', message: 'shifting dates needs a pseudonymised column to key the shift per patient (patientColumn)' },
  HAVEN_INGEST_EXPORT_NOT_DEIDENTIFIED: { status: 400, category: 'usage', message: 'only de-identified exports are offered: ask with deidentified=true' },
  // declared schema (declared-schema.ts)
  HAVEN_INGEST_SCHEMA_INVALID: { status: 400, category: 'input', message: 'the declared schema is not valid JSON or not a valid schema' },
} as const satisfies Record<string, CodeEntry>;
