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
} as const satisfies Record<string, CodeEntry>;
