import type { CodeEntry } from '../code-entry.js';

/** Codes of the privacy area. */
export const PRIVACY_CODES = {
  // disclosure / dp / ml-defence (libs/privacy/disclosure, libs/privacy/dp, libs/ml-defence)
  HAVEN_PRIVACY_DIFFERENCING_REFUSED: { status: 403, category: 'limit', message: 'The query was refused: together with an earlier released result it would isolate fewer records than the disclosure threshold.' },
  HAVEN_PRIVACY_DIFFERENCING_MEMORY_FULL: { status: 429, category: 'limit', message: 'The release memory for this user is full; no further slices can be released until it is reviewed.' },
  HAVEN_PRIVACY_BUDGET_EXHAUSTED: { status: 429, category: 'limit', message: 'The privacy budget would be exceeded by this release.' },
  HAVEN_PRIVACY_INVALID_PARAMETER: { status: 400, category: 'input', message: 'A privacy parameter is out of range.' },
  HAVEN_PRIVACY_INVALID_TABLE: { status: 400, category: 'input', message: 'The aggregate table is malformed (ragged rows, negative or non-integer counts).' },
  HAVEN_PRIVACY_INVALID_INPUT: { status: 400, category: 'input', message: 'The input to a privacy or model-defence check is malformed.' },
} as const satisfies Record<string, CodeEntry>;
