import { scrypt, scryptSync } from 'node:crypto';
import { HavenError } from '../../errors/haven-error.js';
import { KEY_BYTES, NONCE_BYTES, TAG_BYTES, assertKey32, canonicalEncode, drawNonce, gcmOpen, gcmSeal, systemRandom } from './aead-core.js';
import type { HavenCode } from '../../errors/codes.js';
import type { RandomBytes } from './aead-core.js';

/**
 * Seal the root key under a passphrase: scrypt stretches the passphrase into a 32-byte key that
 * encrypts the root key with AES-256-GCM. The sealed blob is versioned JSON carrying the KDF
 * parameters, so they can be raised later without breaking old blobs; the parameters and salt are
 * also bound as AAD. Floors are enforced on both seal and unseal, so a blob sealed with test
 * parameters is refused in production.
 */

/** scrypt cost parameters: N (CPU/memory cost, a power of two), r (block size), p (parallelism). */
export interface ScryptParams {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/** Smallest N in production (2^15, ~32 MiB with r = 8). */
export const PRODUCTION_MIN_N = 2 ** 15;
/** Smallest N with `{ testing: true }` (fast tests only). */
export const TESTING_MIN_N = 2 ** 10;
/** Largest N accepted (2^20, 1 GiB with r = 8): bounds the memory a hostile blob could demand. */
export const MAX_N = 2 ** 20;
/** Default parameters (OWASP recommendation: N = 2^17, r = 8, p = 1; about 128 MiB). */
export const DEFAULT_SCRYPT_PARAMS: ScryptParams = Object.freeze({ N: 2 ** 17, r: 8, p: 1 });
/** Salt length in bytes (at least 16). */
export const SALT_BYTES = 16;
const FORMAT = 'haven-sealed-key';
const AAD_DOMAIN = 'haven.sealed-key.v1';
const B64URL_RE = /^[A-Za-z0-9_-]+$/;

/** The sealed blob, serialised as JSON. */
export interface SealedKeyV1 {
  readonly format: typeof FORMAT;
  readonly version: 1;
  readonly kdf: { readonly name: 'scrypt' } & ScryptParams;
  readonly salt: string;
  readonly nonce: string;
  readonly ciphertext: string;
  readonly tag: string;
}

/** Options of sealing. */
export interface SealOptions {
  /** scrypt parameters (default DEFAULT_SCRYPT_PARAMS). */
  readonly params?: ScryptParams;
  /** Allow N down to TESTING_MIN_N; never set this outside tests. */
  readonly testing?: boolean;
  /** Random source for salt and nonce (default node:crypto); inject only for known-answer tests. */
  readonly random?: RandomBytes;
}

/** Options of unsealing. */
export interface UnsealOptions {
  /** Accept blobs sealed with test parameters; never set this outside tests. */
  readonly testing?: boolean;
}

function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n > 1 && (n & (n - 1)) === 0;
}

function checkParams(params: ScryptParams, testing: boolean, malformed: HavenCode): void {
  const { N, r, p } = params;
  if (!isPowerOfTwo(N) || N > MAX_N || !Number.isInteger(r) || r > 32 || !Number.isInteger(p) || p > 16) {
    throw new HavenError(malformed, undefined, { detail: { argument: 'kdf' } });
  }
  if (N < (testing ? TESTING_MIN_N : PRODUCTION_MIN_N) || r < 8 || p < 1) {
    throw new HavenError('HAVEN_CRYPTO_KDF_TOO_WEAK', undefined, { detail: { N, r, p } });
  }
}

function passphraseBytes(passphrase: string): Buffer {
  if (typeof passphrase !== 'string' || passphrase.length === 0) {
    throw new HavenError('HAVEN_CRYPTO_INVALID_ARGUMENT', undefined, { detail: { argument: 'passphrase' } });
  }
  // NFC so the same passphrase typed on different systems (composed vs decomposed accents) matches.
  return Buffer.from(passphrase.normalize('NFC'), 'utf8');
}

function scryptOptions(params: ScryptParams): { N: number; r: number; p: number; maxmem: number } {
  // Node's default maxmem (32 MiB) is too small for N = 2^15, r = 8; allow what the parameters need.
  return { ...params, maxmem: 128 * params.r * (params.N + 2 + params.p) + 1024 * 1024 };
}

function aadOf(params: ScryptParams, salt: Uint8Array): Buffer {
  return canonicalEncode([AAD_DOMAIN, 'scrypt', params.N, params.r, params.p, salt]);
}

interface Prepared {
  readonly params: ScryptParams;
  readonly salt: Buffer;
  readonly nonce: Buffer;
}

function prepare(rootKey: Uint8Array, opts: SealOptions): Prepared {
  assertKey32(rootKey);
  const params = opts.params ?? DEFAULT_SCRYPT_PARAMS;
  checkParams(params, opts.testing === true, 'HAVEN_CRYPTO_INVALID_ARGUMENT');
  const random = opts.random ?? systemRandom;
  const salt = Buffer.from(random(SALT_BYTES));
  if (salt.length !== SALT_BYTES) {
    throw new HavenError('HAVEN_CRYPTO_INVALID_ARGUMENT', undefined, { detail: { argument: 'random' } });
  }
  return { params: { N: params.N, r: params.r, p: params.p }, salt, nonce: drawNonce(random) };
}

function finishSeal(prep: Prepared, kek: Buffer, rootKey: Uint8Array): string {
  const { ciphertext, tag } = gcmSeal(kek, prep.nonce, rootKey, aadOf(prep.params, prep.salt));
  kek.fill(0);
  const blob: SealedKeyV1 = {
    format: FORMAT,
    version: 1,
    kdf: { name: 'scrypt', ...prep.params },
    salt: prep.salt.toString('base64url'),
    nonce: prep.nonce.toString('base64url'),
    ciphertext: ciphertext.toString('base64url'),
    tag: tag.toString('base64url'),
  };
  return JSON.stringify(blob);
}

interface Parsed {
  readonly params: ScryptParams;
  readonly salt: Buffer;
  readonly nonce: Buffer;
  readonly ciphertext: Buffer;
  readonly tag: Buffer;
}

function field(value: unknown, length: number | 'salt'): Buffer {
  const bytes = typeof value === 'string' && B64URL_RE.test(value) ? Buffer.from(value, 'base64url') : undefined;
  const ok = bytes !== undefined && bytes.toString('base64url') === value && (length === 'salt' ? bytes.length >= SALT_BYTES : bytes.length === length);
  if (!ok) {
    throw new HavenError('HAVEN_CRYPTO_SEALED_KEY_INVALID');
  }
  return bytes;
}

function parse(sealed: string, testing: boolean): Parsed {
  let blob: unknown;
  try {
    blob = JSON.parse(sealed);
  } catch {
    throw new HavenError('HAVEN_CRYPTO_SEALED_KEY_INVALID');
  }
  const b = (typeof blob === 'object' && blob !== null ? blob : {}) as Record<string, unknown>;
  const kdf = (typeof b['kdf'] === 'object' && b['kdf'] !== null ? b['kdf'] : {}) as Record<string, unknown>;
  if (b['format'] !== FORMAT || b['version'] !== 1 || kdf['name'] !== 'scrypt') {
    throw new HavenError('HAVEN_CRYPTO_SEALED_KEY_INVALID');
  }
  const params = { N: kdf['N'], r: kdf['r'], p: kdf['p'] } as ScryptParams;
  checkParams(params, testing, 'HAVEN_CRYPTO_SEALED_KEY_INVALID');
  return {
    params,
    salt: field(b['salt'], 'salt'),
    nonce: field(b['nonce'], NONCE_BYTES),
    ciphertext: field(b['ciphertext'], KEY_BYTES),
    tag: field(b['tag'], TAG_BYTES),
  };
}

function finishUnseal(parsed: Parsed, kek: Buffer): Buffer {
  try {
    return gcmOpen(kek, parsed.nonce, parsed.ciphertext, parsed.tag, aadOf(parsed.params, parsed.salt));
  } catch {
    throw new HavenError('HAVEN_CRYPTO_WRONG_PASSPHRASE');
  } finally {
    kek.fill(0);
  }
}

function scryptAsync(pass: Buffer, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(pass, salt, KEY_BYTES, scryptOptions(params), (err, key) => (err === null ? resolve(key) : reject(err)));
  });
}

/**
 * Seal a 32-byte root key under a passphrase (synchronous: blocks for the scrypt time; prefer the async form in servers).
 * @param passphrase - the passphrase (NFC-normalised, non-empty)
 * @param rootKey - the 32-byte root key
 * @param opts - scrypt parameters, testing flag, random source
 */
export function sealRootKey(passphrase: string, rootKey: Uint8Array, opts: SealOptions = {}): string {
  const prep = prepare(rootKey, opts);
  return finishSeal(prep, scryptSync(passphraseBytes(passphrase), prep.salt, KEY_BYTES, scryptOptions(prep.params)), rootKey);
}

/**
 * Unseal a root key. A wrong passphrase (or a damaged blob) throws HAVEN_CRYPTO_WRONG_PASSPHRASE;
 * a malformed blob HAVEN_CRYPTO_SEALED_KEY_INVALID; parameters below the floor HAVEN_CRYPTO_KDF_TOO_WEAK.
 * @param passphrase - the passphrase
 * @param sealed - the sealed JSON blob
 * @param opts - testing flag
 */
export function unsealRootKey(passphrase: string, sealed: string, opts: UnsealOptions = {}): Buffer {
  const parsed = parse(sealed, opts.testing === true);
  return finishUnseal(parsed, scryptSync(passphraseBytes(passphrase), parsed.salt, KEY_BYTES, scryptOptions(parsed.params)));
}

/**
 * Async form of sealRootKey (scrypt runs on the libuv thread pool, not the event loop).
 * @param passphrase - the passphrase (NFC-normalised, non-empty)
 * @param rootKey - the 32-byte root key
 * @param opts - scrypt parameters, testing flag, random source
 */
export async function sealRootKeyAsync(passphrase: string, rootKey: Uint8Array, opts: SealOptions = {}): Promise<string> {
  const prep = prepare(rootKey, opts);
  return finishSeal(prep, await scryptAsync(passphraseBytes(passphrase), prep.salt, prep.params), rootKey);
}

/**
 * Async form of unsealRootKey.
 * @param passphrase - the passphrase
 * @param sealed - the sealed JSON blob
 * @param opts - testing flag
 */
export async function unsealRootKeyAsync(passphrase: string, sealed: string, opts: UnsealOptions = {}): Promise<Buffer> {
  const parsed = parse(sealed, opts.testing === true);
  return finishUnseal(parsed, await scryptAsync(passphraseBytes(passphrase), parsed.salt, parsed.params));
}
