import { describe, it, expect } from 'vitest';
import { HavenError } from '../../errors/haven-error.js';
import { base32Decode, base32Encode, generateOtpSecret, hotp, otpauthUri, totp, totpStep, verifyTotp } from './totp.js';
import type { OtpAlgorithm } from './totp.js';

function caught(fn: () => unknown): HavenError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(HavenError);
    return err as HavenError;
  }
  throw new Error('expected a HavenError');
}

const SEED20 = Buffer.from('12345678901234567890', 'ascii');
const SEED32 = Buffer.from('12345678901234567890123456789012', 'ascii');
const SEED64 = Buffer.from('1234567890123456789012345678901234567890123456789012345678901234', 'ascii');

describe('RFC 4226 appendix D: HOTP', () => {
  const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
  it('matches the published values for counters 0..9', () => {
    expect(expected.map((_, i) => hotp(SEED20, i))).toEqual(expected);
  });
});

describe('RFC 6238 appendix B: TOTP (8 digits)', () => {
  const rows: [number, string, string, string][] = [
    [59, '94287082', '46119246', '90693936'],
    [1111111109, '07081804', '68084774', '25091201'],
    [1111111111, '14050471', '67062674', '99943326'],
    [1234567890, '89005924', '91819424', '93441116'],
    [2000000000, '69279037', '90698825', '38618901'],
    [20000000000, '65353130', '77737706', '47863826'],
  ];
  const seeds: [OtpAlgorithm, Buffer][] = [['sha1', SEED20], ['sha256', SEED32], ['sha512', SEED64]];
  for (const [t, ...codes] of rows) {
    it(`T = ${t}`, () => {
      seeds.forEach(([algorithm, seed], i) => {
        expect(totp(seed, t * 1000, { digits: 8, algorithm })).toBe(codes[i]);
      });
    });
  }

  it('defaults to SHA-1, 6 digits, 30 s (the last 6 digits of the 8-digit value)', () => {
    expect(totp(SEED20, 59_000)).toBe('287082');
    expect(totpStep(59_999)).toBe(1);
    expect(totpStep(60_000)).toBe(2);
    expect(totpStep(100_000, { stepSeconds: 60, t0: 10 })).toBe(1);
  });
});

describe('verifyTotp', () => {
  const now = 1_111_111_111_000;
  const step = totpStep(now);
  const at = (s: number): string => hotp(SEED20, s);

  it('accepts the current step and ±1, returns the matched step, refuses ±2', () => {
    expect(verifyTotp(SEED20, at(step), now)).toBe(step);
    expect(verifyTotp(SEED20, at(step - 1), now)).toBe(step - 1);
    expect(verifyTotp(SEED20, at(step + 1), now)).toBe(step + 1);
    expect(verifyTotp(SEED20, at(step - 2), now)).toBeNull();
    expect(verifyTotp(SEED20, at(step + 2), now)).toBeNull();
    expect(verifyTotp(SEED20, at(step - 1), now, { window: 0 })).toBeNull();
    expect(verifyTotp(SEED20, at(step), now, { window: 0 })).toBe(step);
  });

  it('refuses replays: a step at or before lastUsedStep', () => {
    expect(verifyTotp(SEED20, at(step), now, { lastUsedStep: step })).toBeNull();
    expect(verifyTotp(SEED20, at(step - 1), now, { lastUsedStep: step - 1 })).toBeNull();
    expect(verifyTotp(SEED20, at(step), now, { lastUsedStep: step - 1 })).toBe(step);
  });

  it('ignores spaces, refuses malformed codes without throwing', () => {
    const code = at(step);
    expect(verifyTotp(SEED20, `${code.slice(0, 3)} ${code.slice(3)}`, now)).toBe(step);
    for (const bad of ['', '12345', '1234567', 'abcdef', `${code.slice(0, 5)}\u0661`, 12345 as unknown as string]) {
      expect(verifyTotp(SEED20, bad, now)).toBeNull();
    }
  });

  it('never looks at negative steps, and refuses windows above 1', () => {
    expect(verifyTotp(SEED20, hotp(SEED20, 0), 1000)).toBe(0);
    expect(verifyTotp(SEED20, hotp(SEED20, 1), 1000)).toBe(1);
    expect(caught(() => verifyTotp(SEED20, '000000', now, { window: 2 })).detail).toEqual({ argument: 'window' });
    expect(caught(() => verifyTotp(SEED20, '000000', now, { window: -1 })).detail).toEqual({ argument: 'window' });
  });
});

describe('argument floors', () => {
  it('refuses short secrets, bad digits, algorithms, counters and times', () => {
    expect(caught(() => hotp(Buffer.alloc(15), 0)).code).toBe('HAVEN_CRYPTO_KEY_INVALID');
    expect(caught(() => hotp('x'.repeat(20) as unknown as Uint8Array, 0)).code).toBe('HAVEN_CRYPTO_KEY_INVALID');
    expect(caught(() => hotp(SEED20, -1)).detail).toEqual({ argument: 'counter' });
    expect(caught(() => hotp(SEED20, 0.5)).detail).toEqual({ argument: 'counter' });
    for (const digits of [5, 9, 6.5]) {
      expect(caught(() => hotp(SEED20, 0, { digits })).detail).toEqual({ argument: 'digits' });
    }
    expect(caught(() => hotp(SEED20, 0, { algorithm: 'md5' as OtpAlgorithm })).detail).toEqual({ argument: 'algorithm' });
    expect(caught(() => totpStep(-1)).detail).toEqual({ argument: 'time' });
    expect(caught(() => totpStep(Number.NaN)).detail).toEqual({ argument: 'time' });
    expect(caught(() => totpStep(0, { stepSeconds: 0 })).detail).toEqual({ argument: 'time' });
    expect(caught(() => totpStep(0, { t0: 0.5 })).detail).toEqual({ argument: 'time' });
  });

  it('generateOtpSecret gives 20 random bytes by default and refuses other sizes', () => {
    const a = generateOtpSecret();
    expect(a.length).toBe(20);
    expect(a.equals(generateOtpSecret())).toBe(false);
    expect(generateOtpSecret(undefined, 32).length).toBe(32);
    for (const n of [15, 65, 20.5]) {
      expect(caught(() => generateOtpSecret(undefined, n)).detail).toEqual({ argument: 'bytes' });
    }
  });
});

describe('base32 (RFC 4648 §10 vectors)', () => {
  const vectors: [string, string][] = [['', ''], ['f', 'MY======'], ['fo', 'MZXQ===='], ['foo', 'MZXW6==='], ['foob', 'MZXW6YQ='], ['fooba', 'MZXW6YTB'], ['foobar', 'MZXW6YTBOI======']];
  it('encodes and decodes the published vectors, with and without padding', () => {
    for (const [plain, enc] of vectors) {
      expect(base32Encode(Buffer.from(plain), { padding: true })).toBe(enc);
      expect(base32Encode(Buffer.from(plain))).toBe(enc.replace(/=+$/, ''));
      expect(base32Decode(enc).toString()).toBe(plain);
      expect(base32Decode(enc.replace(/=+$/, '').toLowerCase()).toString()).toBe(plain);
    }
    expect(base32Decode('GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ').equals(SEED20)).toBe(true);
    expect(base32Encode(SEED64).length).toBe(103);
    expect(base32Decode(base32Encode(SEED64)).equals(SEED64)).toBe(true);
  });

  it('refuses foreign characters, impossible lengths and non-zero leftover bits', () => {
    for (const bad of ['MY1=', 'M', 'MZX', 'MZXW6Y', 'MZ======', 'MY==MY==', 'MZXW6YQ0']) {
      expect(caught(() => base32Decode(bad)).detail).toEqual({ argument: 'base32' });
    }
  });
});

describe('otpauthUri', () => {
  it('builds the Key Uri Format with encoded label and parameters', () => {
    expect(otpauthUri({ issuer: 'Haven Lab', account: 'ana@example.org', secret: SEED20 })).toBe(
      'otpauth://totp/Haven%20Lab:ana%40example.org?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Haven%20Lab&algorithm=SHA1&digits=6&period=30',
    );
    expect(otpauthUri({ issuer: 'H', account: 'a', secret: SEED32, digits: 8, algorithm: 'sha256', stepSeconds: 60 })).toMatch(/algorithm=SHA256&digits=8&period=60$/);
  });

  it('refuses colons or empty names and bad steps', () => {
    expect(caught(() => otpauthUri({ issuer: 'a:b', account: 'x', secret: SEED20 })).detail).toEqual({ argument: 'issuer' });
    expect(caught(() => otpauthUri({ issuer: 'a', account: '', secret: SEED20 })).detail).toEqual({ argument: 'account' });
    expect(caught(() => otpauthUri({ issuer: 'a', account: 'b', secret: SEED20, stepSeconds: 0 })).detail).toEqual({ argument: 'stepSeconds' });
  });
});
