import type { CodeEntry } from '../code-entry.js';

/** Codes of the privacy area. */
export const PRIVACY_CODES = {
} as const satisfies Record<string, CodeEntry>;
