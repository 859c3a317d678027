import { createHash, createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { HavenError } from '../../errors/haven-error.js';
import { systemRandom } from './aead-core.js';
import type { RandomBytes } from './aead-core.js';

/**
 * Ed25519 signatures (RFC 8032) over node:crypto: key generation from a 32-byte seed, sign, verify,
 * key ids, and raw/PEM import and export. Used to sign manifests, audit checkpoints and releases.
 */

// DER prefixes of PKCS#8 (private) and SPKI (public) Ed25519 keys (RFC 8410): the raw 32 bytes follow.
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
/** Length of an Ed25519 seed, public key (32) and signature (64). */
export const ED25519_KEY_BYTES = 32;
/** Length of an Ed25519 signature. */
export const ED25519_SIGNATURE_BYTES = 64;
/** Hex characters of a key id (64 bits of SHA-256 of the raw public key). */
export const KEY_ID_HEX_CHARS = 16;

/** A signing key pair and the key id of its public half. */
export interface SigningKeyPair {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly keyId: string;
}

function keyInvalid(): HavenError {
  return new HavenError('HAVEN_CRYPTO_KEY_INVALID', 'not an Ed25519 key of the expected kind');
}

function assertEd25519(key: KeyObject, type: 'private' | 'public'): void {
  if (key.type !== type || key.asymmetricKeyType !== 'ed25519') {
    throw keyInvalid();
  }
}

function pairOf(privateKey: KeyObject): SigningKeyPair {
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, keyId: signingKeyId(publicKey) };
}

/**
 * The key pair of a 32-byte seed (the RFC 8032 "secret key").
 * @param seed - 32 secret bytes
 */
export function signingKeyPairFromSeed(seed: Uint8Array): SigningKeyPair {
  if (!(seed instanceof Uint8Array) || seed.length !== ED25519_KEY_BYTES) {
    throw keyInvalid();
  }
  return pairOf(createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' }));
}

/**
 * Generate a new key pair.
 * @param random - source of the 32-byte seed (default node:crypto)
 */
export function generateSigningKeyPair(random: RandomBytes = systemRandom): SigningKeyPair {
  return signingKeyPairFromSeed(random(ED25519_KEY_BYTES));
}

/**
 * A public key from its raw 32 bytes.
 * @param raw - 32-byte public key
 */
export function publicKeyFromRaw(raw: Uint8Array): KeyObject {
  if (!(raw instanceof Uint8Array) || raw.length !== ED25519_KEY_BYTES) {
    throw keyInvalid();
  }
  // With the length checked the DER is well-formed; OpenSSL does not reject any 32-byte Ed25519 point
  // at import (a bad point simply never verifies), so this cannot throw.
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
}

/**
 * A public key from SPKI PEM; anything but an Ed25519 public key is refused.
 * @param pem - PEM text
 */
export function publicKeyFromPem(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch {
    throw keyInvalid();
  }
  assertEd25519(key, 'public');
  return key;
}

/**
 * A key pair from PKCS#8 PEM; anything but an Ed25519 private key is refused.
 * @param pem - PEM text
 */
export function signingKeyPairFromPem(pem: string): SigningKeyPair {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    throw keyInvalid();
  }
  assertEd25519(key, 'private');
  return pairOf(key);
}

/**
 * The raw 32 bytes of a public key.
 * @param publicKey - Ed25519 public key
 */
export function exportPublicRaw(publicKey: KeyObject): Buffer {
  assertEd25519(publicKey, 'public');
  return publicKey.export({ format: 'der', type: 'spki' }).subarray(SPKI_PREFIX.length);
}

/**
 * A public key as SPKI PEM.
 * @param publicKey - Ed25519 public key
 */
export function exportPublicPem(publicKey: KeyObject): string {
  assertEd25519(publicKey, 'public');
  return publicKey.export({ format: 'pem', type: 'spki' }).toString();
}

/**
 * A private key as unencrypted PKCS#8 PEM: wrap or seal it before it touches a disk.
 * @param privateKey - Ed25519 private key
 */
export function exportPrivatePem(privateKey: KeyObject): string {
  assertEd25519(privateKey, 'private');
  return privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
}

/**
 * The 32-byte seed of a private key (to wrap with key-wrap.ts).
 * @param privateKey - Ed25519 private key
 */
export function exportPrivateSeed(privateKey: KeyObject): Buffer {
  assertEd25519(privateKey, 'private');
  return privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(PKCS8_PREFIX.length);
}

/**
 * Key id: the first 16 hex chars of SHA-256 over the raw public key.
 * @param publicKey - Ed25519 public key, or its raw 32 bytes
 */
export function signingKeyId(publicKey: KeyObject | Uint8Array): string {
  // Raw input is parsed first, so only a valid Ed25519 point gets an id.
  const raw = publicKey instanceof Uint8Array ? exportPublicRaw(publicKeyFromRaw(publicKey)) : exportPublicRaw(publicKey);
  return createHash('sha256').update(raw).digest('hex').slice(0, KEY_ID_HEX_CHARS);
}

/**
 * Sign a message (pure Ed25519, no pre-hash).
 * @param privateKey - Ed25519 private key
 * @param message - bytes to sign
 */
export function signMessage(privateKey: KeyObject, message: Uint8Array): Buffer {
  assertEd25519(privateKey, 'private');
  return sign(null, message, privateKey);
}

/**
 * Verify a signature. Returns false for any mismatch or malformed signature; throws only for a key
 * that is not an Ed25519 public key (a programming error, not an attack).
 * @param publicKey - Ed25519 public key
 * @param message - signed bytes
 * @param signature - 64-byte signature
 */
export function verifySignature(publicKey: KeyObject, message: Uint8Array, signature: Uint8Array): boolean {
  assertEd25519(publicKey, 'public');
  if (!(signature instanceof Uint8Array) || signature.length !== ED25519_SIGNATURE_BYTES) {
    return false;
  }
  return verify(null, message, publicKey, signature);
}
