import { HavenError } from '../../errors/haven-error.js';
import {
  NONCE_BYTES, TAG_BYTES, assertKey32, assertKeyId, assertU32, canonicalEncode, decryptFailed, drawNonce, gcmOpen, gcmSeal, nonceRandom,
} from './aead-core.js';
import type { RandomBytes } from './aead-core.js';

/**
 * Field (cell) encryption: AES-256-GCM with a fresh random 96-bit nonce per value, bound by its
 * associated data to one cell (workspace, dataset, column, record) and one key version, in a
 * self-describing format that names its key. Byte layout in README.md.
 */

/** Current format version byte. */
export const FIELD_FORMAT_V1 = 1;
// Domain label in the AAD, so a field ciphertext can never be replayed as another format's ciphertext.
const AAD_DOMAIN = 'haven.field.v1';
// version(1) + idLen(1) + id(>=1) + keyVersion(4) + nonce(12) + tag(16)
const MIN_BYTES = 1 + 1 + 1 + 4 + NONCE_BYTES + TAG_BYTES;
const BASE64URL_RE = /^[A-Za-z0-9_-]*$/;

/** A field data key: an id, a version and 32 key bytes. */
export interface FieldKey {
  readonly id: string;
  readonly version: number;
  readonly key: Uint8Array;
}

/** Finds the key named by a ciphertext header; undefined when unknown. */
export type FieldKeyResolver = (keyId: string, keyVersion: number) => FieldKey | undefined;

/** The place a value lives; bound into the AAD so a ciphertext cannot be moved to another cell. */
export interface CellRef {
  readonly workspace: string;
  readonly dataset: string;
  readonly column: string;
  readonly recordId: string;
}

/** The parts of a decoded field ciphertext. */
export interface FieldCiphertext {
  readonly formatVersion: number;
  readonly keyId: string;
  readonly keyVersion: number;
  readonly nonce: Uint8Array;
  readonly ciphertext: Uint8Array;
  readonly tag: Uint8Array;
}

/** Options of encryptField. */
export interface FieldEncryptOptions {
  /** Nonce source (default node:crypto randomBytes); inject only for known-answer tests. */
  readonly nonce?: RandomBytes;
}

function assertCell(cell: CellRef): void {
  for (const name of ['workspace', 'dataset', 'column', 'recordId'] as const) {
    if (typeof cell[name] !== 'string' || cell[name].length === 0) {
      throw new HavenError('HAVEN_CRYPTO_INVALID_ARGUMENT', undefined, { detail: { argument: name } });
    }
  }
}

// Per-key AAD prefix (domain, format version, key id, key version), cached because the same key
// encrypts many cells; bounded so a stream of distinct key ids cannot grow it without limit.
const prefixCache = new Map<string, Buffer>();
const PREFIX_CACHE_MAX = 256;

function aadPrefix(keyId: string, keyVersion: number): Buffer {
  const cacheKey = `${keyId}\u0000${keyVersion}`;
  let prefix = prefixCache.get(cacheKey);
  if (prefix === undefined) {
    prefix = canonicalEncode([AAD_DOMAIN, FIELD_FORMAT_V1, keyId, keyVersion]);
    if (prefixCache.size >= PREFIX_CACHE_MAX) {
      prefixCache.clear();
    }
    prefixCache.set(cacheKey, prefix);
  }
  return prefix;
}

/**
 * The canonical associated data of a cell: length-prefixed domain, format version, key id,
 * key version, workspace, dataset, column and record id (the same bytes as canonicalEncode of
 * those eight fields; built from a cached per-key prefix because this is the hot path).
 * @param cell - where the value lives
 * @param keyId - id of the key
 * @param keyVersion - version of the key
 */
export function fieldAad(cell: CellRef, keyId: string, keyVersion: number): Buffer {
  const prefix = aadPrefix(keyId, keyVersion);
  const parts = [cell.workspace, cell.dataset, cell.column, cell.recordId];
  let size = prefix.length;
  for (const part of parts) {
    size += 4 + Buffer.byteLength(part, 'utf8');
  }
  const out = Buffer.allocUnsafe(size);
  prefix.copy(out, 0);
  let at = prefix.length;
  for (const part of parts) {
    const len = out.write(part, at + 4, 'utf8');
    out.writeUInt32BE(len, at);
    at += 4 + len;
  }
  return out;
}

/**
 * Serialise the parts of a field ciphertext into compact bytes (layout in README.md).
 * @param parts - the ciphertext parts
 */
export function encodeFieldCiphertext(parts: FieldCiphertext): Buffer {
  assertKeyId(parts.keyId);
  assertU32(parts.keyVersion, 'keyVersion');
  if (parts.formatVersion !== FIELD_FORMAT_V1 || parts.nonce.length !== NONCE_BYTES || parts.tag.length !== TAG_BYTES) {
    throw new HavenError('HAVEN_CRYPTO_INVALID_ARGUMENT', undefined, { detail: { argument: 'ciphertext' } });
  }
  return encodeChecked(parts);
}

// Serialisation without re-validation, for encryptField, which has checked every part already.
function encodeChecked(parts: FieldCiphertext): Buffer {
  const idLen = parts.keyId.length; // ASCII only (assertKeyId), so chars = bytes
  const out = Buffer.allocUnsafe(MIN_BYTES - 1 + idLen + parts.ciphertext.length);
  let at = 0;
  out[at++] = FIELD_FORMAT_V1;
  out[at++] = idLen;
  at += out.write(parts.keyId, at, 'latin1');
  out.writeUInt32BE(parts.keyVersion, at);
  at += 4;
  out.set(parts.nonce, at);
  at += NONCE_BYTES;
  out.set(parts.ciphertext, at);
  at += parts.ciphertext.length;
  out.set(parts.tag, at);
  return out;
}

/**
 * Parse compact bytes into ciphertext parts. Anything malformed (short, unknown version, bad key id)
 * throws HAVEN_CRYPTO_DECRYPT_FAILED, like every other decryption failure.
 * @param data - encoded ciphertext
 */
export function decodeFieldCiphertext(data: Uint8Array): FieldCiphertext {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (buf.length < MIN_BYTES || buf[0] !== FIELD_FORMAT_V1) {
    throw decryptFailed();
  }
  const idLen = buf[1]!;
  const bodyStart = 2 + idLen + 4 + NONCE_BYTES;
  if (idLen === 0 || buf.length < bodyStart + TAG_BYTES) {
    throw decryptFailed();
  }
  const keyId = buf.toString('latin1', 2, 2 + idLen);
  try {
    assertKeyId(keyId);
  } catch {
    throw decryptFailed();
  }
  return {
    formatVersion: FIELD_FORMAT_V1,
    keyId,
    keyVersion: buf.readUInt32BE(2 + idLen),
    nonce: buf.subarray(2 + idLen + 4, bodyStart),
    ciphertext: buf.subarray(bodyStart, buf.length - TAG_BYTES),
    tag: buf.subarray(buf.length - TAG_BYTES),
  };
}

/**
 * Encrypt one value for one cell. Returns the compact encoded ciphertext.
 * @param key - the field key (id, version, 32 bytes)
 * @param cell - where the value will live
 * @param plaintext - value bytes, or a string (encoded as UTF-8)
 * @param opts - nonce source for known-answer tests
 */
export function encryptField(key: FieldKey, cell: CellRef, plaintext: Uint8Array | string, opts?: FieldEncryptOptions): Buffer {
  assertKey32(key.key);
  assertKeyId(key.id);
  assertU32(key.version, 'keyVersion');
  assertCell(cell);
  const nonce = drawNonce(opts?.nonce ?? nonceRandom);
  const bytes = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext;
  const sealed = gcmSeal(key.key, nonce, bytes, fieldAad(cell, key.id, key.version));
  return encodeChecked({ formatVersion: FIELD_FORMAT_V1, keyId: key.id, keyVersion: key.version, nonce, ...sealed });
}

/**
 * Decrypt one value of one cell. Verifies the tag before returning anything; any mismatch
 * (tampering, truncation, other cell, other key) throws HAVEN_CRYPTO_DECRYPT_FAILED.
 * @param keys - the expected key, or a resolver from (key id, version) to key
 * @param cell - where the value was read from
 * @param data - encoded ciphertext
 */
export function decryptField(keys: FieldKey | FieldKeyResolver, cell: CellRef, data: Uint8Array): Buffer {
  assertCell(cell);
  const parts = decodeFieldCiphertext(data);
  const key = typeof keys === 'function' ? keys(parts.keyId, parts.keyVersion) : keys;
  if (key === undefined || key.id !== parts.keyId || key.version !== parts.keyVersion) {
    throw decryptFailed();
  }
  return gcmOpen(key.key, parts.nonce, parts.ciphertext, parts.tag, fieldAad(cell, parts.keyId, parts.keyVersion));
}

/**
 * Encrypt one value to a base64url string, for text columns.
 * @param key - the field key
 * @param cell - where the value will live
 * @param plaintext - value bytes or string
 * @param opts - nonce source for known-answer tests
 */
export function encryptFieldToString(key: FieldKey, cell: CellRef, plaintext: Uint8Array | string, opts?: FieldEncryptOptions): string {
  return encryptField(key, cell, plaintext, opts).toString('base64url');
}

/**
 * Decrypt a base64url field ciphertext (strict: non-canonical base64url is refused).
 * @param keys - the expected key, or a resolver
 * @param cell - where the value was read from
 * @param text - base64url ciphertext
 */
export function decryptFieldFromString(keys: FieldKey | FieldKeyResolver, cell: CellRef, text: string): Buffer {
  // Node's base64url decoder silently skips invalid characters; check the alphabet and round-trip
  // so that only the one canonical spelling of a ciphertext is accepted.
  if (typeof text !== 'string' || !BASE64URL_RE.test(text)) {
    throw decryptFailed();
  }
  const bytes = Buffer.from(text, 'base64url');
  if (bytes.toString('base64url') !== text) {
    throw decryptFailed();
  }
  return decryptField(keys, cell, bytes);
}
