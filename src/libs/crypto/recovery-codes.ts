import { createHash, timingSafeEqual } from 'node:crypto';
import { HavenError } from '../../errors/haven-error.js';
import { systemRandom } from './aead-core.js';
import type { RandomBytes } from './aead-core.js';

/**
 * One-time recovery codes for a lost second factor: 16 Crockford base32 characters (exactly 80
 * random bits) shown as four groups, e.g. `7K3M-Q9TX-2HPD-VW4R`. Crockford's alphabet leaves out
 * I, L, O and U, and on input O→0 and I/L→1, so codes survive being read aloud or handwritten.
 *
 * Storage: SHA-256 of the normalised code (with a domain label). A slow password hash (scrypt,
 * argon2) is not needed: it protects low-entropy secrets against guessing, whereas a code with
 * 80 random bits would take ~2^79 SHA-256 evaluations per code to invert — out of reach — and a
 * fast hash lets verification run against all stored codes in constant time.
 */

/** Bits of randomness per code. */
export const RECOVERY_CODE_BITS = 80;
/** Default number of codes issued. */
export const DEFAULT_RECOVERY_CODE_COUNT = 10;
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_CHARS = RECOVERY_CODE_BITS / 5;
const DOMAIN = 'haven.recovery-code.v1:';
const HASH_RE = /^[0-9a-f]{64}$/;

function invalid(argument: string): HavenError {
  return new HavenError('HAVEN_CRYPTO_INVALID_ARGUMENT', undefined, { detail: { argument } });
}

/**
 * Generate one-time recovery codes.
 * @param count - how many (1..50, default 10)
 * @param random - random source (default node:crypto)
 */
export function generateRecoveryCodes(count = DEFAULT_RECOVERY_CODE_COUNT, random: RandomBytes = systemRandom): string[] {
  if (!Number.isInteger(count) || count < 1 || count > 50) {
    throw invalid('count');
  }
  const codes: string[] = [];
  for (let i = 0; i < count; i++) {
    const bytes = random(RECOVERY_CODE_BITS / 8);
    if (bytes.length !== RECOVERY_CODE_BITS / 8) {
      throw invalid('random');
    }
    let bits = 0n;
    for (const b of bytes) {
      bits = (bits << 8n) | BigInt(b);
    }
    let chars = '';
    for (let c = CODE_CHARS - 1; c >= 0; c--) {
      chars += CROCKFORD[Number((bits >> BigInt(c * 5)) & 31n)];
    }
    codes.push(chars.match(/.{4}/g)!.join('-'));
  }
  return codes;
}

/**
 * Normalise typed input to the 16 canonical characters, or undefined when it cannot be a code.
 * @param input - what the user typed (case, hyphens, spaces and O/I/L confusions tolerated)
 */
export function normaliseRecoveryCode(input: string): string | undefined {
  if (typeof input !== 'string') {
    return undefined;
  }
  const clean = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (clean.length !== CODE_CHARS) {
    return undefined;
  }
  for (const ch of clean) {
    if (!CROCKFORD.includes(ch)) {
      return undefined;
    }
  }
  return clean;
}

/**
 * Hash a recovery code for storage (hex SHA-256 of the domain label and normalised code).
 * @param code - the code as issued or typed
 */
export function hashRecoveryCode(code: string): string {
  const clean = normaliseRecoveryCode(code);
  if (clean === undefined) {
    throw invalid('code');
  }
  return createHash('sha256').update(DOMAIN + clean, 'utf8').digest('hex');
}

/**
 * Check typed input against the stored hashes. Returns the index of the matching hash (the caller
 * deletes it: codes are one-time) or null. Compares against every hash without early exit.
 * @param input - what the user typed
 * @param storedHashes - hex hashes from hashRecoveryCode
 */
export function verifyRecoveryCode(input: string, storedHashes: readonly string[]): number | null {
  const clean = normaliseRecoveryCode(input);
  // Hash something even for malformed input so timing does not tell the two apart.
  const probe = createHash('sha256').update(DOMAIN + (clean ?? ''), 'utf8').digest();
  let found: number | null = null;
  storedHashes.forEach((stored, index) => {
    const expected = HASH_RE.test(stored) ? Buffer.from(stored, 'hex') : Buffer.alloc(32);
    if (timingSafeEqual(expected, probe) && clean !== undefined && HASH_RE.test(stored) && found === null) {
      found = index;
    }
  });
  return found;
}
