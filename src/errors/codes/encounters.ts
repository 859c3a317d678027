import type { CodeEntry } from '../code-entry.js';

/** Codes of the encounters area (clinician admission and discharge; the FHIR mapping codes live in ingest.ts). */
export const ENCOUNTER_CODES = {
  HAVEN_ENCOUNTER_EXISTS: { status: 409, category: 'conflict', message: 'this encounter has already been admitted in the workspace' },
} as const satisfies Record<string, CodeEntry>;
