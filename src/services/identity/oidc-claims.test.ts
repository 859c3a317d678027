import { describe, expect, it } from 'vitest';
import { groupsOf, mfaSatisfied, mfaTime } from './oidc-claims.js';

describe('mfaSatisfied', () => {
  it('accepts an amr naming a second factor', () => {
    expect(mfaSatisfied({ amr: ['pwd', 'mfa'] }, [])).toBe(true);
    expect(mfaSatisfied({ amr: ['hwk'] }, [])).toBe(true);
    expect(mfaSatisfied({ amr: ['pwd', 'otp'] }, [])).toBe(true);
  });
  it('refuses password-only, missing or malformed amr', () => {
    expect(mfaSatisfied({ amr: ['pwd'] }, [])).toBe(false);
    expect(mfaSatisfied({}, [])).toBe(false);
    expect(mfaSatisfied({ amr: 'mfa' }, [])).toBe(false);
    expect(mfaSatisfied({ amr: [1, null] }, [])).toBe(false);
  });
  it('accepts an acr only when the configuration lists it', () => {
    expect(mfaSatisfied({ acr: 'urn:x:mfa' }, ['urn:x:mfa'])).toBe(true);
    expect(mfaSatisfied({ acr: 'urn:x:mfa' }, [])).toBe(false);
    expect(mfaSatisfied({ acr: 'urn:x:low' }, ['urn:x:mfa'])).toBe(false);
  });
});

describe('mfaTime', () => {
  const now = new Date('2026-01-01T12:00:00Z');
  it('uses auth_time, never later than now', () => {
    expect(mfaTime({ auth_time: now.getTime() / 1000 - 600 }, now)).toBe('2026-01-01T11:50:00.000Z');
    expect(mfaTime({ auth_time: now.getTime() / 1000 + 600 }, now)).toBe(now.toISOString());
  });
  it('falls back to now without a numeric auth_time', () => {
    expect(mfaTime({}, now)).toBe(now.toISOString());
    expect(mfaTime({ auth_time: '123' }, now)).toBe(now.toISOString());
  });
});

describe('groupsOf', () => {
  it('reads an array or a single string, ignoring other values', () => {
    expect(groupsOf({ groups: ['a', 2, 'b'] }, 'groups')).toEqual(['a', 'b']);
    expect(groupsOf({ roles: 'x' }, 'roles')).toEqual(['x']);
    expect(groupsOf({ groups: { a: 1 } }, 'groups')).toEqual([]);
    expect(groupsOf({}, 'groups')).toEqual([]);
  });
});
