import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { HavenError } from '../../errors/haven-error.js';

/**
 * Shared building blocks of the crypto library: the AES-256-GCM core, key and argument floors,
 * and the canonical (length-prefixed) encoding used for every associated-data string.
 * Everything here is synchronous and does no I/O; randomness is injectable for known-answer tests.
 */

/** Every symmetric key in Haven is exactly 256 bits. */
export const KEY_BYTES = 32;
/** GCM nonce length: 96 bits, the only length GCM handles without an extra GHASH pass. */
export const NONCE_BYTES = 12;
/** GCM tag length: the full 128 bits; shorter tags are refused on decryption. */
export const TAG_BYTES = 16;
/** Largest value of a u32 field in the binary formats. */
export const U32_MAX = 0xffff_ffff;

/** A source of random bytes; the default is node:crypto's CSPRNG. Tests inject fixed bytes. */
export type RandomBytes = (size: number) => Uint8Array;

/** The default random source (node:crypto randomBytes). */
export const systemRandom: RandomBytes = (size) => randomBytes(size);

// Nonces are public (they are stored beside the ciphertext); only their uniqueness matters. Drawing
// them one randomBytes(12) call at a time costs a native call per value, so nonces are sliced from
// a CSPRNG pool refilled every 512 nonces (as Node's own randomUUID does). Each slice is handed out
// once and the pool is replaced, never rewritten, so slices stay valid. Never use this for keys.
const NONCE_POOL_BYTES = NONCE_BYTES * 512;
let noncePool = Buffer.alloc(0);
let noncePoolAt = 0;

/** Random source for nonces only: slices of a pooled CSPRNG buffer (sizes up to 64 bytes). */
export const nonceRandom: RandomBytes = (size) => {
  if (size > 64) {
    return randomBytes(size);
  }
  if (noncePoolAt + size > noncePool.length) {
    noncePool = randomBytes(NONCE_POOL_BYTES);
    noncePoolAt = 0;
  }
  const out = noncePool.subarray(noncePoolAt, noncePoolAt + size);
  noncePoolAt += size;
  return out;
};

// Key ids travel in binary headers and text columns: a short, printable, unambiguous alphabet.
const KEY_ID_RE = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * Refuse anything but a 32-byte key (AES-256 / HMAC-SHA256 key floor).
 * @param key - candidate key bytes
 */
export function assertKey32(key: Uint8Array): void {
  if (!(key instanceof Uint8Array) || key.length !== KEY_BYTES) {
    throw new HavenError('HAVEN_CRYPTO_KEY_INVALID', 'key must be exactly 32 bytes');
  }
}

/**
 * Refuse key ids outside `[A-Za-z0-9._:-]{1,64}` (they are stored in headers with a one-byte length).
 * @param id - candidate key id
 */
export function assertKeyId(id: string): void {
  if (typeof id !== 'string' || !KEY_ID_RE.test(id)) {
    throw new HavenError('HAVEN_CRYPTO_KEY_INVALID', 'key id must match [A-Za-z0-9._:-]{1,64}');
  }
}

/**
 * Refuse a number that is not an integer in [min, 2^32 - 1].
 * @param value - candidate number
 * @param what - argument name for the (safe) detail
 * @param min - smallest allowed value (default 0)
 */
export function assertU32(value: number, what: string, min = 0): void {
  if (!Number.isInteger(value) || value < min || value > U32_MAX) {
    throw new HavenError('HAVEN_CRYPTO_INVALID_ARGUMENT', undefined, { detail: { argument: what } });
  }
}

/** The one error every failed decryption becomes: fixed code, fixed message, no cause, no detail. */
export function decryptFailed(): HavenError {
  return new HavenError('HAVEN_CRYPTO_DECRYPT_FAILED', 'decryption failed');
}

/**
 * Draw a 96-bit nonce from a source and check its length (an injected source could return anything).
 * @param source - random source
 */
export function drawNonce(source: RandomBytes): Buffer {
  const nonce = source(NONCE_BYTES);
  if (!(nonce instanceof Uint8Array) || nonce.length !== NONCE_BYTES) {
    throw new HavenError('HAVEN_CRYPTO_INVALID_ARGUMENT', undefined, { detail: { argument: 'nonce' } });
  }
  return Buffer.isBuffer(nonce) ? nonce : Buffer.from(nonce);
}

/**
 * Canonical, unambiguous encoding of a fixed list of fields: each field is a u32 big-endian length
 * followed by its bytes (strings as UTF-8, numbers as a 4-byte u32). Because every field carries
 * its length, ("ab","c") and ("a","bc") never encode alike — unlike a joined string.
 * @param parts - the fields, in schema order
 */
export function canonicalEncode(parts: readonly (string | number | Uint8Array)[]): Buffer {
  let size = 0;
  for (const part of parts) {
    size += 4 + (typeof part === 'string' ? Buffer.byteLength(part, 'utf8') : typeof part === 'number' ? 4 : part.length);
  }
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (const part of parts) {
    if (typeof part === 'string') {
      const len = out.write(part, at + 4, 'utf8');
      out.writeUInt32BE(len, at);
      at += 4 + len;
    } else if (typeof part === 'number') {
      assertU32(part, 'field');
      out.writeUInt32BE(4, at);
      out.writeUInt32BE(part, at + 4);
      at += 8;
    } else {
      out.writeUInt32BE(part.length, at);
      out.set(part, at + 4);
      at += 4 + part.length;
    }
  }
  return out;
}

/** Ciphertext and tag of one AES-256-GCM encryption. */
export interface Sealed {
  readonly ciphertext: Buffer;
  readonly tag: Buffer;
}

/**
 * AES-256-GCM encryption with an explicit nonce. The caller is responsible for never repeating a
 * (key, nonce) pair; the formats in this folder draw nonces at random or derive them from a counter.
 * @param key - 32-byte key
 * @param nonce - 12-byte nonce
 * @param plaintext - bytes to encrypt
 * @param aad - associated data authenticated but not encrypted
 */
export function gcmSeal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Sealed {
  assertKey32(key);
  if (nonce.length !== NONCE_BYTES) {
    throw new HavenError('HAVEN_CRYPTO_INVALID_ARGUMENT', undefined, { detail: { argument: 'nonce' } });
  }
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  // GCM is a stream mode: final() emits no bytes, it only computes the tag.
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { ciphertext, tag: cipher.getAuthTag() };
}

/**
 * AES-256-GCM decryption. Plaintext is returned only after `final()` has verified the tag; any
 * failure (wrong key, nonce, AAD, tag or ciphertext) throws HAVEN_CRYPTO_DECRYPT_FAILED.
 * @param key - 32-byte key
 * @param nonce - 12-byte nonce
 * @param ciphertext - encrypted bytes
 * @param tag - 16-byte tag (shorter tags are refused: Node would otherwise accept truncated tags)
 * @param aad - associated data given at encryption
 */
export function gcmOpen(key: Uint8Array, nonce: Uint8Array, ciphertext: Uint8Array, tag: Uint8Array, aad: Uint8Array): Buffer {
  assertKey32(key);
  if (nonce.length !== NONCE_BYTES || tag.length !== TAG_BYTES) {
    throw decryptFailed();
  }
  const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  const head = decipher.update(ciphertext);
  try {
    return Buffer.concat([head, decipher.final()]);
  } catch {
    // Wipe the unverified plaintext before it can escape; the caller sees only the fixed error.
    head.fill(0);
    throw decryptFailed();
  }
}
