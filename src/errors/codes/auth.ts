import type { CodeEntry } from '../code-entry.js';

/** Codes of authentication and authorisation. Messages are fixed and reveal nothing. */
export const AUTH_CODES = {
  HAVEN_AUTH_REQUIRED: { status: 401, category: 'auth', message: 'authentication required' },
  HAVEN_AUTH_INVALID_TOKEN: { status: 401, category: 'auth', message: 'invalid credentials' },
  HAVEN_AUTH_FORBIDDEN: { status: 403, category: 'auth', message: 'forbidden' },
} as const satisfies Record<string, CodeEntry>;
