import type { CodeEntry } from '../code-entry.js';

/** Codes of the ml area. */
export const ML_CODES = {
} as const satisfies Record<string, CodeEntry>;
