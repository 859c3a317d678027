import { createHmac } from 'node:crypto';
import { HavenError } from '../../errors/haven-error.js';
import { assertKey32, canonicalEncode } from './aead-core.js';

/**
 * Keyed pseudonymisation of join keys with HMAC-SHA256 under a per-workspace key: the same value
 * always maps to the same pseudonym within a workspace (joins still work), while pseudonyms from
 * different workspace keys are unlinkable, and without the key the mapping cannot be recomputed
 * (unlike a plain hash, which anyone can brute-force over a small id space such as patient numbers).
 * Also a per-patient deterministic date shift for de-identified views.
 */

/** Default pseudonym length: 16 base64url chars = 96 bits. */
export const DEFAULT_PSEUDONYM_LENGTH = 16;
/** Shortest pseudonym allowed: 16 chars (96 bits) keeps collisions negligible up to ~10^9 values. */
export const MIN_PSEUDONYM_LENGTH = 16;
/** Longest pseudonym: the whole HMAC (43 base64url chars). */
export const MAX_PSEUDONYM_LENGTH = 43;
/** Largest date shift allowed (10 years each way). */
export const MAX_SHIFT_DAYS = 3650;
const DAY_MS = 86_400_000;
const ISO_DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Options of pseudonymise. */
export interface PseudonymOptions {
  /** Output length in base64url chars (16..43, default 16). */
  readonly length?: number;
  /** Domain label (e.g. the kind of identifier), so equal values of different kinds map apart; default 'id'. */
  readonly domain?: string;
}

function hmac(key: Uint8Array, parts: readonly string[]): Buffer {
  assertKey32(key);
  return createHmac('sha256', key).update(canonicalEncode(parts)).digest();
}

/**
 * Map a join-key value to a short, URL-safe pseudonym, consistent under one workspace key.
 * The value is used exactly as given (no trimming or case folding): normalise before calling.
 * @param workspaceKey - the workspace's 32-byte pseudonym key
 * @param value - the identifier to pseudonymise
 * @param opts - output length and domain label
 */
export function pseudonymise(workspaceKey: Uint8Array, value: string, opts: PseudonymOptions = {}): string {
  const length = opts.length ?? DEFAULT_PSEUDONYM_LENGTH;
  if (!Number.isInteger(length) || length < MIN_PSEUDONYM_LENGTH || length > MAX_PSEUDONYM_LENGTH) {
    throw new HavenError('HAVEN_CRYPTO_INVALID_ARGUMENT', undefined, { detail: { argument: 'length' } });
  }
  if (typeof value !== 'string') {
    throw new HavenError('HAVEN_CRYPTO_INVALID_ARGUMENT', undefined, { detail: { argument: 'value' } });
  }
  return hmac(workspaceKey, ['haven.pseudonym.v1', opts.domain ?? 'id', value]).toString('base64url').slice(0, length);
}

/**
 * Deterministic per-patient date shift in days, in [-maxDays, -1] ∪ [1, maxDays] (never zero, so
 * every date moves). Derived from the HMAC, so it is stable for a patient under one key and
 * unpredictable without it. Shifting all of a patient's dates by one offset keeps intervals intact.
 * @param workspaceKey - the workspace's 32-byte pseudonym key
 * @param patientId - the patient identifier
 * @param maxDays - largest shift (1..3650)
 */
export function dateShiftDays(workspaceKey: Uint8Array, patientId: string, maxDays: number): number {
  if (!Number.isInteger(maxDays) || maxDays < 1 || maxDays > MAX_SHIFT_DAYS) {
    throw new HavenError('HAVEN_CRYPTO_INVALID_ARGUMENT', undefined, { detail: { argument: 'maxDays' } });
  }
  const mac = hmac(workspaceKey, ['haven.dateshift.v1', patientId]);
  // 64 bits reduced mod 2N: the modulo bias is below 2^-50 for N <= 3650, negligible.
  const r = Number(mac.readBigUInt64BE(0) % BigInt(2 * maxDays));
  return r < maxDays ? r - maxDays : r - maxDays + 1;
}

/**
 * Shift an ISO calendar date (YYYY-MM-DD) by whole days (UTC arithmetic, so no DST effects).
 * @param isoDate - date as YYYY-MM-DD
 * @param days - days to add (negative to subtract)
 */
export function shiftIsoDate(isoDate: string, days: number): string {
  const m = ISO_DATE_RE.exec(isoDate);
  const ms = m === null ? Number.NaN : Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  // Round-trip check: Date.UTC silently rolls 2023-02-30 over to March; refuse it instead.
  if (!Number.isInteger(days) || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== isoDate) {
    throw new HavenError('HAVEN_CRYPTO_INVALID_ARGUMENT', undefined, { detail: { argument: 'isoDate' } });
  }
  return new Date(ms + days * DAY_MS).toISOString().slice(0, 10);
}

/**
 * Shift an instant (ms since the epoch) by whole days.
 * @param epochMs - instant in ms since the epoch
 * @param days - days to add (negative to subtract)
 */
export function shiftEpochMs(epochMs: number, days: number): number {
  if (!Number.isFinite(epochMs) || !Number.isInteger(days)) {
    throw new HavenError('HAVEN_CRYPTO_INVALID_ARGUMENT', undefined, { detail: { argument: 'epochMs' } });
  }
  return epochMs + days * DAY_MS;
}
