import { describe, it, expect } from 'vitest';
import { HavenError } from '../../errors/haven-error.js';
import {
  DEFAULT_MAX_AGE_MS, DEFAULT_ROTATION_POLICY, MAX_INVOCATIONS_CEILING, reserveInvocations, rotationDecision, rotationPolicy,
} from './usage-counter.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);

function caught(fn: () => unknown): HavenError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(HavenError);
    return err as HavenError;
  }
  throw new Error('expected a HavenError');
}

describe('rotationPolicy', () => {
  it('defaults to 2^31 invocations and 90 days', () => {
    expect(DEFAULT_ROTATION_POLICY.maxInvocations).toBe(2 ** 31);
    expect(DEFAULT_MAX_AGE_MS).toBe(90 * DAY);
    expect(rotationPolicy()).toEqual(DEFAULT_ROTATION_POLICY);
    expect(rotationPolicy({ maxInvocations: 1000 }).maxInvocations).toBe(1000);
  });

  it('refuses limits above the ceilings or out of range', () => {
    for (const bad of [
      { maxInvocations: MAX_INVOCATIONS_CEILING + 1 }, { maxInvocations: 0 }, { maxInvocations: 1.5 },
      { maxAgeMs: 0 }, { maxAgeMs: 367 * DAY }, { maxAgeMs: 0.5 }, { warnFraction: 0 }, { warnFraction: 1.1 }, { warnFraction: Number.NaN },
    ]) {
      expect(caught(() => rotationPolicy(bad)).code).toBe('HAVEN_CRYPTO_INVALID_ARGUMENT');
    }
  });
});

describe('rotationDecision', () => {
  const policy = rotationPolicy({ maxInvocations: 100, maxAgeMs: 10 * DAY, warnFraction: 0.9 });

  it('ok, rotate-soon and rotate-now by invocations', () => {
    expect(rotationDecision({ invocations: 0, createdAtMs: T0 }, T0, policy)).toEqual({
      status: 'ok', reason: null, remainingInvocations: 100, expiresAtMs: T0 + 10 * DAY,
    });
    expect(rotationDecision({ invocations: 89, createdAtMs: T0 }, T0, policy).status).toBe('ok');
    expect(rotationDecision({ invocations: 90, createdAtMs: T0 }, T0, policy)).toMatchObject({ status: 'rotate-soon', reason: 'invocations', remainingInvocations: 10 });
    expect(rotationDecision({ invocations: 100, createdAtMs: T0 }, T0, policy)).toMatchObject({ status: 'rotate-now', reason: 'invocations', remainingInvocations: 0 });
    expect(rotationDecision({ invocations: 150, createdAtMs: T0 }, T0, policy).remainingInvocations).toBe(0);
  });

  it('ok, rotate-soon and rotate-now by age', () => {
    expect(rotationDecision({ invocations: 0, createdAtMs: T0 }, T0 + 9 * DAY - 1, policy).status).toBe('ok');
    expect(rotationDecision({ invocations: 0, createdAtMs: T0 }, T0 + 9 * DAY, policy)).toMatchObject({ status: 'rotate-soon', reason: 'age' });
    expect(rotationDecision({ invocations: 0, createdAtMs: T0 }, T0 + 10 * DAY, policy)).toMatchObject({ status: 'rotate-now', reason: 'age' });
    expect(rotationDecision({ invocations: 0, createdAtMs: T0 }, T0 + 90 * DAY).status).toBe('rotate-now');
    expect(rotationDecision({ invocations: 0, createdAtMs: T0 }, T0 + 90 * DAY - 1).status).toBe('rotate-soon');
  });

  it('refuses a clock behind the key, and bad counters', () => {
    expect(caught(() => rotationDecision({ invocations: 0, createdAtMs: T0 }, T0 - 1)).detail).toEqual({ argument: 'nowMs' });
    expect(caught(() => rotationDecision({ invocations: 0, createdAtMs: T0 }, Number.NaN)).detail).toEqual({ argument: 'nowMs' });
    expect(caught(() => rotationDecision({ invocations: 0, createdAtMs: Number.POSITIVE_INFINITY }, T0)).detail).toEqual({ argument: 'nowMs' });
    expect(caught(() => rotationDecision({ invocations: -1, createdAtMs: T0 }, T0)).detail).toEqual({ argument: 'invocations' });
    expect(caught(() => rotationDecision({ invocations: 0.5, createdAtMs: T0 }, T0)).detail).toEqual({ argument: 'invocations' });
  });
});

describe('reserveInvocations', () => {
  const policy = rotationPolicy({ maxInvocations: 10, maxAgeMs: DAY });

  it('counts up to the limit and then refuses', () => {
    let usage = { invocations: 0, createdAtMs: T0 };
    usage = reserveInvocations(usage, 9, T0, policy);
    expect(usage).toEqual({ invocations: 9, createdAtMs: T0 });
    usage = reserveInvocations(usage, 1, T0, policy);
    expect(usage.invocations).toBe(10);
    const err = caught(() => reserveInvocations(usage, 1, T0, policy));
    expect(err.code).toBe('HAVEN_CRYPTO_KEY_EXHAUSTED');
    expect(err.detail).toEqual({ reason: 'invocations' });
    expect(caught(() => reserveInvocations({ invocations: 5, createdAtMs: T0 }, 6, T0, policy)).detail).toEqual({ reason: 'invocations' });
  });

  it('refuses an expired key and bad counts', () => {
    const err = caught(() => reserveInvocations({ invocations: 0, createdAtMs: T0 }, 1, T0 + DAY, policy));
    expect(err.code).toBe('HAVEN_CRYPTO_KEY_EXHAUSTED');
    expect(err.detail).toEqual({ reason: 'age' });
    expect(reserveInvocations({ invocations: 0, createdAtMs: T0 }, 1, T0 + DAY - 1, policy).invocations).toBe(1);
    expect(reserveInvocations({ invocations: 0, createdAtMs: T0 }, 1, T0).invocations).toBe(1);
    expect(caught(() => reserveInvocations({ invocations: 0, createdAtMs: T0 }, 0, T0, policy)).code).toBe('HAVEN_CRYPTO_INVALID_ARGUMENT');
    expect(caught(() => reserveInvocations({ invocations: 0, createdAtMs: T0 }, 1.5, T0, policy)).code).toBe('HAVEN_CRYPTO_INVALID_ARGUMENT');
  });
});
