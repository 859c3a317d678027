import type { CodeEntry } from '../code-entry.js';

/** Codes of the evidence report (`haven doctor --report`). Details carry counts and error codes only. */
export const REPORT_CODES = {
  HAVEN_REPORT_CONTROLS_FAILED: { status: 500, category: 'config', message: 'the evidence report has failing controls' },
  HAVEN_REPORT_DIR_UNUSABLE: { status: 400, category: 'usage', message: 'the report directory cannot be created or written (nothing was written)' },
} as const satisfies Record<string, CodeEntry>;
