import type { CodeEntry } from '../code-entry.js';

/** Codes of the audit ledger. */
export const AUDIT_CODES = {
  HAVEN_AUDIT_WRITE_FAILED: { status: 503, category: 'unavailable', message: 'audit ledger unavailable; the change was not made' },
  HAVEN_AUDIT_CHAIN_BROKEN: { status: 500, category: 'integrity', message: 'audit chain verification failed' },
  HAVEN_AUDIT_SIGNATURE_INVALID: { status: 500, category: 'integrity', message: 'audit checkpoint signature invalid' },
} as const satisfies Record<string, CodeEntry>;
