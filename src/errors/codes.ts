import { CATEGORIES } from './categories.js';
import type { CodeEntry } from './code-entry.js';
import { CORE_CODES } from './codes/core.js';
import { AUDIT_CODES } from './codes/audit.js';
import { AUTH_CODES } from './codes/auth.js';
import { CLI_CODES } from './codes/cli.js';
import { CRYPTO_CODES } from './codes/crypto.js';
import { INGEST_CODES } from './codes/ingest.js';
import { KEYS_CODES } from './codes/keys.js';
import { ML_CODES } from './codes/ml.js';
import { PRIVACY_CODES } from './codes/privacy.js';
import { SSO_CODES } from './codes/sso.js';
import { INGEST_SERVICE_CODES } from './codes/ingest-service.js';
import { ENCOUNTER_CODES } from './codes/encounters.js';
import { XLSX_CODES } from './codes/xlsx.js';
import { ONNX_CODES } from './codes/onnx.js';
import { MODEL_CODES } from './codes/models.js';
import { REPORT_CODES } from './codes/report.js';

/**
 * The one catalogue of error codes. Each area keeps its codes in errors/codes/<area>.ts;
 * this file merges them. docs/errors.md is generated from it (scripts/gen-docs.ts) and a test keeps them in sync.
 */
export const CATALOGUE = {
  ...CORE_CODES,
  ...AUDIT_CODES,
  ...AUTH_CODES,
  ...CLI_CODES,
  ...CRYPTO_CODES,
  ...INGEST_CODES,
  ...INGEST_SERVICE_CODES,
  ...KEYS_CODES,
  ...ML_CODES,
  ...PRIVACY_CODES,
  ...SSO_CODES,
  ...ENCOUNTER_CODES,
  ...XLSX_CODES,
  ...ONNX_CODES,
  ...MODEL_CODES,
  ...REPORT_CODES,
} as const satisfies Record<string, CodeEntry>;

export type HavenCode = keyof typeof CATALOGUE;

/** The CLI exit code for an error code. */
export function exitCodeFor(code: HavenCode): number {
  return CATEGORIES[CATALOGUE[code].category].exit;
}

/** Whether a string is a known code (for parsing codes from the outside, e.g. CLI output). */
export function isHavenCode(value: string): value is HavenCode {
  return Object.hasOwn(CATALOGUE, value);
}
