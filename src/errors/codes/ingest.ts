import type { CodeEntry } from '../code-entry.js';

/** Codes of the ingest area. */
export const INGEST_CODES = {
} as const satisfies Record<string, CodeEntry>;
