import { HavenError } from '../../errors/haven-error.js';

/**
 * When must a key version rotate? AES-GCM with random 96-bit nonces stays within NIST SP 800-38D's
 * collision bound only below 2^32 invocations per key; we default to 2^31 (half the bound) and refuse
 * any configured limit above it. Keys also age out (default 90 days) so a leaked key has a bounded
 * window. Pure: the caller passes the clock reading and persists the counters.
 */

/** Hard ceiling on invocations per key version (the configured limit may only be lower). */
export const MAX_INVOCATIONS_CEILING = 2 ** 31;
/** Default maximum age of a key version: 90 days. */
export const DEFAULT_MAX_AGE_MS = 90 * 24 * 60 * 60 * 1000;
/** Hard ceiling on the maximum age: 366 days. */
export const MAX_AGE_CEILING_MS = 366 * 24 * 60 * 60 * 1000;

/** Rotation policy: limits per key version. */
export interface RotationPolicy {
  /** Invocations after which the key must rotate (1 .. 2^31). */
  readonly maxInvocations: number;
  /** Age in milliseconds after which the key must rotate (1 .. 366 days). */
  readonly maxAgeMs: number;
  /** Fraction of either limit at which rotation is advised ahead of time (0 < f <= 1). */
  readonly warnFraction: number;
}

/** Usage of one key version, as persisted by the caller. */
export interface KeyUsage {
  readonly invocations: number;
  readonly createdAtMs: number;
}

/** The decision: ok, rotate soon (past the warn fraction) or rotate now (a limit reached). */
export interface RotationDecision {
  readonly status: 'ok' | 'rotate-soon' | 'rotate-now';
  /** Which limit drives the status; null when ok. */
  readonly reason: 'invocations' | 'age' | null;
  readonly remainingInvocations: number;
  readonly expiresAtMs: number;
}

/** The default policy: 2^31 invocations, 90 days, warn at 90 %. */
export const DEFAULT_ROTATION_POLICY: RotationPolicy = Object.freeze({
  maxInvocations: MAX_INVOCATIONS_CEILING,
  maxAgeMs: DEFAULT_MAX_AGE_MS,
  warnFraction: 0.9,
});

function invalid(argument: string): HavenError {
  return new HavenError('HAVEN_CRYPTO_INVALID_ARGUMENT', undefined, { detail: { argument } });
}

/**
 * Build a policy from overrides, refusing limits above the ceilings.
 * @param overrides - fields to change from the default policy
 */
export function rotationPolicy(overrides: Partial<RotationPolicy> = {}): RotationPolicy {
  const policy = { ...DEFAULT_ROTATION_POLICY, ...overrides };
  if (!Number.isInteger(policy.maxInvocations) || policy.maxInvocations < 1 || policy.maxInvocations > MAX_INVOCATIONS_CEILING) {
    throw invalid('maxInvocations');
  }
  if (!Number.isInteger(policy.maxAgeMs) || policy.maxAgeMs < 1 || policy.maxAgeMs > MAX_AGE_CEILING_MS) {
    throw invalid('maxAgeMs');
  }
  if (!(policy.warnFraction > 0 && policy.warnFraction <= 1)) {
    throw invalid('warnFraction');
  }
  return Object.freeze(policy);
}

function assertUsage(usage: KeyUsage, nowMs: number): void {
  if (!Number.isSafeInteger(usage.invocations) || usage.invocations < 0) {
    throw invalid('invocations');
  }
  if (!Number.isFinite(nowMs) || !Number.isFinite(usage.createdAtMs) || nowMs < usage.createdAtMs) {
    // A clock behind the key's birth means a wrong clock or a forged record: refuse to guess.
    throw invalid('nowMs');
  }
}

/**
 * Decide whether a key version must rotate.
 * @param usage - invocations so far and creation time
 * @param nowMs - current time in ms since the epoch (injected clock)
 * @param policy - rotation policy (default DEFAULT_ROTATION_POLICY)
 */
export function rotationDecision(usage: KeyUsage, nowMs: number, policy: RotationPolicy = DEFAULT_ROTATION_POLICY): RotationDecision {
  assertUsage(usage, nowMs);
  const expiresAtMs = usage.createdAtMs + policy.maxAgeMs;
  const remainingInvocations = Math.max(0, policy.maxInvocations - usage.invocations);
  const ageMs = nowMs - usage.createdAtMs;
  let status: RotationDecision['status'] = 'ok';
  let reason: RotationDecision['reason'] = null;
  if (usage.invocations >= policy.maxInvocations) {
    status = 'rotate-now';
    reason = 'invocations';
  } else if (ageMs >= policy.maxAgeMs) {
    status = 'rotate-now';
    reason = 'age';
  } else if (usage.invocations >= policy.maxInvocations * policy.warnFraction) {
    status = 'rotate-soon';
    reason = 'invocations';
  } else if (ageMs >= policy.maxAgeMs * policy.warnFraction) {
    status = 'rotate-soon';
    reason = 'age';
  }
  return { status, reason, remainingInvocations, expiresAtMs };
}

/**
 * Reserve `count` invocations before using a key: returns the new usage to persist, or throws
 * HAVEN_CRYPTO_KEY_EXHAUSTED when the key is too old or the reservation would pass the limit.
 * @param usage - current usage
 * @param count - invocations about to happen (integer >= 1)
 * @param nowMs - current time in ms since the epoch (injected clock)
 * @param policy - rotation policy (default DEFAULT_ROTATION_POLICY)
 */
export function reserveInvocations(usage: KeyUsage, count: number, nowMs: number, policy: RotationPolicy = DEFAULT_ROTATION_POLICY): KeyUsage {
  if (!Number.isSafeInteger(count) || count < 1) {
    throw invalid('count');
  }
  const decision = rotationDecision(usage, nowMs, policy);
  if (decision.reason === 'age' && decision.status === 'rotate-now') {
    throw new HavenError('HAVEN_CRYPTO_KEY_EXHAUSTED', undefined, { detail: { reason: 'age' } });
  }
  if (count > decision.remainingInvocations) {
    throw new HavenError('HAVEN_CRYPTO_KEY_EXHAUSTED', undefined, { detail: { reason: 'invocations' } });
  }
  return { invocations: usage.invocations + count, createdAtMs: usage.createdAtMs };
}
