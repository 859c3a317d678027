import type { CodeEntry } from '../code-entry.js';

/** Codes of the crypto area. */
export const CRYPTO_CODES = {
} as const satisfies Record<string, CodeEntry>;
