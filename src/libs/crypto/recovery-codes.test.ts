import { createHash } from 'node:crypto';
import { describe, it, expect } from 'vitest';
import { HavenError } from '../../errors/haven-error.js';
import { generateRecoveryCodes, hashRecoveryCode, normaliseRecoveryCode, verifyRecoveryCode } from './recovery-codes.js';

function caught(fn: () => unknown): HavenError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(HavenError);
    return err as HavenError;
  }
  throw new Error('expected a HavenError');
}

describe('generateRecoveryCodes', () => {
  it('gives 10 distinct codes of four 4-char Crockford groups by default', () => {
    const codes = generateRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) {
      expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    }
  });

  it('encodes exactly the 80 random bits, most significant first', () => {
    expect(generateRecoveryCodes(1, (n) => Buffer.alloc(n, 0))).toEqual(['0000-0000-0000-0000']);
    expect(generateRecoveryCodes(1, (n) => Buffer.alloc(n, 0xff))).toEqual(['ZZZZ-ZZZZ-ZZZZ-ZZZZ']);
    // 0x08 42 10 84 21 ... : 5-bit groups 00001 00001 ... → all '1'
    expect(generateRecoveryCodes(1, () => Buffer.from('08421084210842108421', 'hex'))).toEqual(['1111-1111-1111-1111']);
  });

  it('refuses bad counts and short random sources', () => {
    for (const n of [0, 51, 2.5]) {
      expect(caught(() => generateRecoveryCodes(n)).detail).toEqual({ argument: 'count' });
    }
    expect(caught(() => generateRecoveryCodes(1, () => Buffer.alloc(9))).detail).toEqual({ argument: 'random' });
  });
});

describe('hash and verify', () => {
  const codes = generateRecoveryCodes(5);
  const hashes = codes.map(hashRecoveryCode);

  it('hashes SHA-256 over the domain label and the normalised code', () => {
    const plain = codes[0]!.replace(/-/g, '');
    expect(hashes[0]).toBe(createHash('sha256').update(`haven.recovery-code.v1:${plain}`).digest('hex'));
    expect(hashRecoveryCode(plain.toLowerCase())).toBe(hashes[0]);
  });

  it('finds the matching index and tolerates case, spacing and O/I/L confusions', () => {
    expect(verifyRecoveryCode(codes[3]!, hashes)).toBe(3);
    expect(verifyRecoveryCode(` ${codes[2]!.toLowerCase().replace(/-/g, ' ')} `, hashes)).toBe(2);
    const confusable = '0I1L-0O00-1111-0000';
    expect(normaliseRecoveryCode(confusable)).toBe('0111000011110000');
    expect(verifyRecoveryCode(confusable, [hashRecoveryCode('0111-0000-1111-0000')])).toBe(0);
  });

  it('refuses other codes, malformed input and malformed stored hashes', () => {
    const other = generateRecoveryCodes(1)[0]!;
    expect(verifyRecoveryCode(other, hashes)).toBeNull();
    expect(verifyRecoveryCode('', hashes)).toBeNull();
    expect(verifyRecoveryCode('UUUU-UUUU-UUUU-UUUU', hashes)).toBeNull();
    expect(verifyRecoveryCode(codes[0]!.slice(0, -1), hashes)).toBeNull();
    expect(verifyRecoveryCode(5 as unknown as string, hashes)).toBeNull();
    expect(verifyRecoveryCode(codes[0]!, ['not-a-hash', hashes[0]!.toUpperCase()])).toBeNull();
    expect(verifyRecoveryCode(codes[0]!, [])).toBeNull();
    expect(caught(() => hashRecoveryCode('short')).detail).toEqual({ argument: 'code' });
  });

  it('returns the first index when a hash is stored twice', () => {
    expect(verifyRecoveryCode(codes[1]!, [hashes[0]!, hashes[1]!, hashes[1]!])).toBe(1);
  });
});
