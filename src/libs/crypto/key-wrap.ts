import { HavenError } from '../../errors/haven-error.js';
import {
  KEY_BYTES, NONCE_BYTES, TAG_BYTES, assertKey32, assertKeyId, assertU32, canonicalEncode, decryptFailed, drawNonce, gcmOpen, gcmSeal, nonceRandom, systemRandom,
} from './aead-core.js';
import type { RandomBytes } from './aead-core.js';

/**
 * Envelope encryption of keys: a 32-byte key is wrapped under a key-encryption key (KEK) with
 * AES-256-GCM, its id, purpose and version bound as associated data.
 *
 * Why GCM and not AES-KW (RFC 3394, 'id-aes256-wrap'): AES-KW has no associated data, so the
 * label (which key this is, what it is for, which version) could only be bound by stuffing it into
 * the payload; GCM binds it natively, and it is the same primitive as the rest of this folder (one
 * thing to review). AES-KW's advantage — no nonce — does not matter here: a KEK wraps a handful of
 * keys, far below the 2^32 random-nonce bound (usage-counter.ts enforces rotation long before).
 *
 * Hierarchy: root → workspace KEK → dataset DEK / artifact DEK / pseudonym key. Each level is a
 * random key wrapped by its parent (not derived from it), so deleting a wrapped workspace KEK
 * crypto-shreds the workspace, and rotating a parent means re-wrapping children, not re-encrypting data.
 */

/** What a key is for; the hierarchy says which purpose may wrap which. */
export type KeyPurpose = 'root' | 'workspace-kek' | 'dataset-dek' | 'artifact-dek' | 'pseudonym-key';

/** The name of a key: id, purpose and version. Bound into the wrap's AAD. */
export interface KeyLabel {
  readonly id: string;
  readonly purpose: KeyPurpose;
  readonly version: number;
}

/** A key with its label and 32 key bytes. */
export interface ManagedKey extends KeyLabel {
  readonly key: Uint8Array;
}

/** Options of wrapKey. */
export interface WrapOptions {
  /** Nonce source (default node:crypto randomBytes); inject only for known-answer tests. */
  readonly nonce?: RandomBytes;
}

/** Current wrapped-key format version byte. */
export const WRAP_FORMAT_V1 = 1;
const AAD_DOMAIN = 'haven.keywrap.v1';
const CHILDREN: Readonly<Record<KeyPurpose, readonly KeyPurpose[]>> = {
  root: ['workspace-kek'],
  'workspace-kek': ['dataset-dek', 'artifact-dek', 'pseudonym-key'],
  'dataset-dek': [],
  'artifact-dek': [],
  'pseudonym-key': [],
};

/**
 * Whether a key of one purpose may wrap a key of another.
 * @param parent - purpose of the wrapping key
 * @param child - purpose of the wrapped key
 */
export function mayWrap(parent: KeyPurpose, child: KeyPurpose): boolean {
  return Object.hasOwn(CHILDREN, parent) && CHILDREN[parent].includes(child);
}

function assertLabel(label: KeyLabel): void {
  assertKeyId(label.id);
  assertU32(label.version, 'keyVersion');
  if (!Object.hasOwn(CHILDREN, label.purpose)) {
    throw new HavenError('HAVEN_CRYPTO_KEY_INVALID', 'unknown key purpose');
  }
}

function assertEdge(kek: KeyLabel, child: KeyLabel): void {
  assertLabel(kek);
  assertLabel(child);
  if (!mayWrap(kek.purpose, child.purpose)) {
    throw new HavenError('HAVEN_CRYPTO_KEY_HIERARCHY', undefined, { detail: { parent: kek.purpose, child: child.purpose } });
  }
}

function wrapAad(kek: KeyLabel, child: KeyLabel): Buffer {
  return canonicalEncode([AAD_DOMAIN, WRAP_FORMAT_V1, kek.id, kek.purpose, kek.version, child.id, child.purpose, child.version]);
}

/**
 * Generate a fresh random key with a label.
 * @param label - id, purpose and version of the new key
 * @param random - random source (default node:crypto)
 */
export function generateKey(label: KeyLabel, random: RandomBytes = systemRandom): ManagedKey {
  assertLabel(label);
  const key = Buffer.from(random(KEY_BYTES));
  assertKey32(key);
  return { id: label.id, purpose: label.purpose, version: label.version, key };
}

/**
 * Wrap a child key under a KEK. Layout: version(1) kekIdLen(1) kekId kekVersion(u32) nonce(12) wrapped(32) tag(16).
 * @param kek - the wrapping key
 * @param child - the key to wrap
 * @param opts - nonce source for known-answer tests
 */
export function wrapKey(kek: ManagedKey, child: ManagedKey, opts?: WrapOptions): Buffer {
  assertEdge(kek, child);
  assertKey32(kek.key);
  assertKey32(child.key);
  const nonce = drawNonce(opts?.nonce ?? nonceRandom);
  const { ciphertext, tag } = gcmSeal(kek.key, nonce, child.key, wrapAad(kek, child));
  const out = Buffer.allocUnsafe(2 + kek.id.length + 4 + NONCE_BYTES + KEY_BYTES + TAG_BYTES);
  let at = 0;
  out[at++] = WRAP_FORMAT_V1;
  out[at++] = kek.id.length;
  at += out.write(kek.id, at, 'latin1');
  out.writeUInt32BE(kek.version, at);
  at += 4;
  out.set(nonce, at);
  out.set(ciphertext, at + NONCE_BYTES);
  out.set(tag, at + NONCE_BYTES + KEY_BYTES);
  return out;
}

/** Which KEK wrapped a key: read from the header, so a service knows which KEK to load. */
export interface WrappedKeyHeader {
  readonly kekId: string;
  readonly kekVersion: number;
}

interface ParsedWrap extends WrappedKeyHeader {
  readonly nonce: Buffer;
  readonly ciphertext: Buffer;
  readonly tag: Buffer;
}

function parseWrapped(data: Uint8Array): ParsedWrap {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const idLen = buf.length > 1 ? buf[1]! : 0;
  const at = 2 + idLen + 4;
  if (buf[0] !== WRAP_FORMAT_V1 || idLen === 0 || buf.length !== at + NONCE_BYTES + KEY_BYTES + TAG_BYTES) {
    throw decryptFailed();
  }
  return {
    kekId: buf.toString('latin1', 2, 2 + idLen),
    kekVersion: buf.readUInt32BE(2 + idLen),
    nonce: buf.subarray(at, at + NONCE_BYTES),
    ciphertext: buf.subarray(at + NONCE_BYTES, at + NONCE_BYTES + KEY_BYTES),
    tag: buf.subarray(at + NONCE_BYTES + KEY_BYTES),
  };
}

/**
 * Read the KEK id and version from a wrapped key without unwrapping it.
 * @param wrapped - wrapped key bytes
 */
export function wrappedKeyHeader(wrapped: Uint8Array): WrappedKeyHeader {
  const { kekId, kekVersion } = parseWrapped(wrapped);
  return { kekId, kekVersion };
}

/**
 * Unwrap a key. The label must be the one given at wrap time; any mismatch, a different KEK, or
 * tampering throws HAVEN_CRYPTO_DECRYPT_FAILED.
 * @param kek - the wrapping key
 * @param wrapped - wrapped key bytes
 * @param label - id, purpose and version of the wrapped key
 */
export function unwrapKey(kek: ManagedKey, wrapped: Uint8Array, label: KeyLabel): ManagedKey {
  assertEdge(kek, label);
  const parsed = parseWrapped(wrapped);
  if (parsed.kekId !== kek.id || parsed.kekVersion !== kek.version) {
    throw decryptFailed();
  }
  const key = gcmOpen(kek.key, parsed.nonce, parsed.ciphertext, parsed.tag, wrapAad(kek, label));
  return { id: label.id, purpose: label.purpose, version: label.version, key };
}

/**
 * Move a wrapped key from one KEK to another (KEK rotation): unwrap, re-wrap with a fresh nonce.
 * @param oldKek - the KEK that wrapped it
 * @param newKek - the KEK to wrap it under
 * @param wrapped - wrapped key bytes
 * @param label - id, purpose and version of the wrapped key
 * @param opts - nonce source for known-answer tests
 */
export function rewrapKey(oldKek: ManagedKey, newKek: ManagedKey, wrapped: Uint8Array, label: KeyLabel, opts?: WrapOptions): Buffer {
  const child = unwrapKey(oldKek, wrapped, label);
  try {
    return wrapKey(newKek, child, opts);
  } finally {
    child.key.fill(0);
  }
}

/** A freshly created key and its wrapped form (store the wrapped form, keep the key in memory only). */
export interface CreatedKey {
  readonly key: ManagedKey;
  readonly wrapped: Buffer;
}

/**
 * Create a child key in the hierarchy: a random key wrapped under its parent.
 * @param parent - the parent key (root for a workspace KEK; workspace KEK for data keys)
 * @param label - id, purpose and version of the new key
 * @param random - random source for key and nonce (default node:crypto)
 */
export function createChildKey(parent: ManagedKey, label: KeyLabel, random: RandomBytes = systemRandom): CreatedKey {
  assertEdge(parent, label);
  const key = generateKey(label, random);
  return { key, wrapped: wrapKey(parent, key, { nonce: random }) };
}

/**
 * Label of a workspace KEK: id `wsk.<workspaceId>`.
 * @param workspaceId - workspace id (the full key id must match [A-Za-z0-9._:-]{1,64})
 * @param version - key version
 */
export function workspaceKekLabel(workspaceId: string, version: number): KeyLabel {
  const label: KeyLabel = { id: `wsk.${workspaceId}`, purpose: 'workspace-kek', version };
  assertLabel(label);
  return label;
}

/**
 * Label of a data key under a workspace KEK: id `<kind>.<ownerId>` with kind ds (dataset), art (artifact) or pn (pseudonym).
 * @param purpose - dataset-dek, artifact-dek or pseudonym-key
 * @param ownerId - dataset, artifact or workspace id
 * @param version - key version
 */
export function dataKeyLabel(purpose: 'dataset-dek' | 'artifact-dek' | 'pseudonym-key', ownerId: string, version: number): KeyLabel {
  const kind = purpose === 'dataset-dek' ? 'ds' : purpose === 'artifact-dek' ? 'art' : 'pn';
  const label: KeyLabel = { id: `${kind}.${ownerId}`, purpose, version };
  assertLabel(label);
  return label;
}
