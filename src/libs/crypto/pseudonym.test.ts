import { createHmac } from 'node:crypto';
import { describe, it, expect } from 'vitest';
import { HavenError } from '../../errors/haven-error.js';
import { canonicalEncode } from './aead-core.js';
import { dateShiftDays, pseudonymise, shiftEpochMs, shiftIsoDate } from './pseudonym.js';

const K1 = Buffer.alloc(32, 1);
const K2 = Buffer.alloc(32, 2);

function caught(fn: () => unknown): HavenError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(HavenError);
    return err as HavenError;
  }
  throw new Error('expected a HavenError');
}

describe('pseudonymise', () => {
  it('is HMAC-SHA256 over the canonical (domain, kind, value), base64url, truncated', () => {
    const mac = createHmac('sha256', K1).update(canonicalEncode(['haven.pseudonym.v1', 'id', '101000'])).digest('base64url');
    expect(pseudonymise(K1, '101000')).toBe(mac.slice(0, 16));
    expect(pseudonymise(K1, '101000', { length: 43 })).toBe(mac);
  });

  it('is consistent within a workspace key, different across keys and kinds, URL-safe', () => {
    expect(pseudonymise(K1, 'p1')).toBe(pseudonymise(K1, 'p1'));
    expect(pseudonymise(K1, 'p1')).not.toBe(pseudonymise(K2, 'p1'));
    expect(pseudonymise(K1, 'p1')).not.toBe(pseudonymise(K1, 'p2'));
    expect(pseudonymise(K1, 'p1', { domain: 'mrn' })).not.toBe(pseudonymise(K1, 'p1', { domain: 'eid' }));
    expect(pseudonymise(K1, 'p1')).toMatch(/^[A-Za-z0-9_-]{16}$/);
  });

  it('has no collisions over 10,000 sequential stay ids', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 10_000; i++) {
      seen.add(pseudonymise(K1, String(101000 + i)));
    }
    expect(seen.size).toBe(10_000);
  });

  it('refuses short keys, bad lengths and non-string values', () => {
    expect(caught(() => pseudonymise(Buffer.alloc(16), 'x')).code).toBe('HAVEN_CRYPTO_KEY_INVALID');
    for (const length of [15, 44, 20.5]) {
      expect(caught(() => pseudonymise(K1, 'x', { length })).detail).toEqual({ argument: 'length' });
    }
    expect(caught(() => pseudonymise(K1, 5 as unknown as string)).detail).toEqual({ argument: 'value' });
  });
});

describe('dateShiftDays', () => {
  it('is deterministic per patient and key, non-zero, within ±maxDays, and spread over the range', () => {
    expect(dateShiftDays(K1, 'p1', 30)).toBe(dateShiftDays(K1, 'p1', 30));
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const d = dateShiftDays(K1, `p${i}`, 30);
      expect(d).not.toBe(0);
      expect(Math.abs(d)).toBeLessThanOrEqual(30);
      seen.add(d);
    }
    expect(seen.size).toBe(60); // every value in [-30,-1] ∪ [1,30] occurs
    const diffKeys = Array.from({ length: 50 }, (_, i) => dateShiftDays(K1, `p${i}`, 365) !== dateShiftDays(K2, `p${i}`, 365));
    expect(diffKeys.filter(Boolean).length).toBeGreaterThan(40);
  });

  it('matches the HMAC derivation', () => {
    const mac = createHmac('sha256', K1).update(canonicalEncode(['haven.dateshift.v1', 'p7'])).digest();
    const r = Number(mac.readBigUInt64BE(0) % 20n);
    expect(dateShiftDays(K1, 'p7', 10)).toBe(r < 10 ? r - 10 : r - 9);
    expect([-1, 1]).toContain(dateShiftDays(K1, 'p7', 1));
  });

  it('refuses out-of-range maxDays', () => {
    for (const maxDays of [0, 3651, 1.5]) {
      expect(caught(() => dateShiftDays(K1, 'p', maxDays)).detail).toEqual({ argument: 'maxDays' });
    }
  });
});

describe('shiftIsoDate / shiftEpochMs', () => {
  it('shifts calendar dates across months, leap days and years', () => {
    expect(shiftIsoDate('2012-09-21', 4)).toBe('2012-09-25');
    expect(shiftIsoDate('2012-02-28', 1)).toBe('2012-02-29');
    expect(shiftIsoDate('2013-01-01', -1)).toBe('2012-12-31');
    expect(shiftIsoDate('2012-03-01', -366)).toBe('2011-03-01');
  });

  it('refuses malformed or impossible dates and fractional days', () => {
    for (const bad of ['2012-9-21', '9/21/2012', '2023-02-30', '2012-13-01', '0050-01-01']) {
      expect(caught(() => shiftIsoDate(bad, 1)).detail).toEqual({ argument: 'isoDate' });
    }
    expect(caught(() => shiftIsoDate('2012-09-21', 0.5)).code).toBe('HAVEN_CRYPTO_INVALID_ARGUMENT');
  });

  it('shifts instants by whole days', () => {
    expect(shiftEpochMs(Date.UTC(2012, 8, 21, 13, 5), -2)).toBe(Date.UTC(2012, 8, 19, 13, 5));
    expect(caught(() => shiftEpochMs(Number.NaN, 1)).code).toBe('HAVEN_CRYPTO_INVALID_ARGUMENT');
    expect(caught(() => shiftEpochMs(0, 1.5)).code).toBe('HAVEN_CRYPTO_INVALID_ARGUMENT');
  });
});
