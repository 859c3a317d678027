import { Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';
import { HavenError } from '../../errors/haven-error.js';
import {
  TAG_BYTES, U32_MAX, assertKey32, assertKeyId, assertU32, canonicalEncode, decryptFailed, gcmOpen, gcmSeal, systemRandom,
} from './aead-core.js';
import type { RandomBytes } from './aead-core.js';

/**
 * Streaming chunked AEAD for blobs (uploads, quarantine files, model artifacts, backups), after the
 * STREAM construction: the plaintext is cut into fixed-size chunks, each sealed with AES-256-GCM
 * under nonce = random 8-byte stream prefix ‖ u32 chunk counter, with AAD = header ‖ user AAD ‖
 * counter ‖ final flag. The counter in nonce and AAD detects reordering, dropping and duplication;
 * the final flag detects truncation at a chunk boundary and appending. Memory stays at about one chunk.
 *
 * Note: the decrypt stream releases each chunk once its own tag verifies, before the end is seen.
 * A consumer must treat the output as provisional until the stream ends without error (e.g. write
 * to a temporary file and rename it only on success). Byte layout in README.md.
 */

/** Default plaintext chunk size: 64 KiB. */
export const DEFAULT_CHUNK_SIZE = 64 * 1024;
/** Smallest chunk size accepted (tiny chunks only make sense in tests). */
export const MIN_CHUNK_SIZE = 16;
/** Largest chunk size accepted by default on decryption (bounds memory against a hostile header). */
export const MAX_CHUNK_SIZE = 16 * 1024 * 1024;
/** Magic bytes at the start of every stream: "HVNS". */
export const STREAM_MAGIC = Buffer.from('HVNS', 'latin1');
/** Current stream format version byte. */
export const STREAM_FORMAT_V1 = 1;
const PREFIX_BYTES = 8;
const AAD_DOMAIN = 'haven.stream.v1';
// magic(4) version(1) idLen(1) | id | keyVersion(4) chunkSize(4) prefix(8)
const HEAD_FIXED = 6;
const HEAD_TAIL = 4 + 4 + PREFIX_BYTES;

/** A stream key: id, version and 32 key bytes (same shape as a field key). */
export interface StreamKey {
  readonly id: string;
  readonly version: number;
  readonly key: Uint8Array;
}

/** Finds the key named by a stream header; undefined when unknown. */
export type StreamKeyResolver = (keyId: string, keyVersion: number) => StreamKey | undefined;

/** Options of createEncryptStream. */
export interface EncryptStreamOptions {
  /** Extra associated data (e.g. the blob's id and kind), required again at decryption. */
  readonly aad?: Uint8Array;
  /** Plaintext chunk size in bytes (16 .. 16 MiB, default 64 KiB). */
  readonly chunkSize?: number;
  /** Source of the 8-byte nonce prefix (default node:crypto); inject only for known-answer tests. */
  readonly random?: RandomBytes;
}

/** Options of createDecryptStream. */
export interface DecryptStreamOptions {
  /** The associated data given at encryption. */
  readonly aad?: Uint8Array;
  /** Largest chunk size to accept from a header (default 16 MiB). */
  readonly maxChunkSize?: number;
}

/** A FIFO of byte buffers that hands out exact-length pieces without copying more than needed. */
class ByteQueue {
  private parts: Buffer[] = [];
  length = 0;

  push(bytes: Buffer): void {
    if (bytes.length > 0) {
      this.parts.push(bytes);
      this.length += bytes.length;
    }
  }

  take(n: number): Buffer {
    const out = Buffer.allocUnsafe(n);
    let at = 0;
    while (at < n) {
      const part = this.parts[0]!;
      const need = n - at;
      if (part.length <= need) {
        out.set(part, at);
        at += part.length;
        this.parts.shift();
      } else {
        out.set(part.subarray(0, need), at);
        this.parts[0] = part.subarray(need);
        at += need;
      }
    }
    this.length -= n;
    return out;
  }
}

function encodeHeader(key: StreamKey, chunkSize: number, prefix: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(HEAD_FIXED + key.id.length + HEAD_TAIL);
  STREAM_MAGIC.copy(out, 0);
  out[4] = STREAM_FORMAT_V1;
  out[5] = key.id.length;
  const at = HEAD_FIXED + out.write(key.id, HEAD_FIXED, 'latin1');
  out.writeUInt32BE(key.version, at);
  out.writeUInt32BE(chunkSize, at + 4);
  out.set(prefix, at + 8);
  return out;
}

/**
 * Nonce of chunk i: the 8-byte stream prefix ‖ u32 BE(i). A stream longer than 2^32 chunks
 * (256 TiB at 64 KiB) would repeat nonces, so it is refused.
 * @param prefix - the stream's random 8-byte nonce prefix
 * @param counter - chunk index
 */
export function streamChunkNonce(prefix: Uint8Array, counter: number): Buffer {
  if (!Number.isInteger(counter) || counter < 0 || counter > U32_MAX || prefix.length !== PREFIX_BYTES) {
    throw new HavenError('HAVEN_CRYPTO_INVALID_ARGUMENT', undefined, { detail: { argument: 'streamLength' } });
  }
  const nonce = Buffer.allocUnsafe(PREFIX_BYTES + 4);
  nonce.set(prefix, 0);
  nonce.writeUInt32BE(counter, PREFIX_BYTES);
  return nonce;
}

/** Per-stream chunk sealing state shared by both directions. */
class ChunkCipher {
  private counter = 0;
  private readonly baseAad: Buffer;

  constructor(private readonly key: Uint8Array, header: Buffer, private readonly prefix: Buffer, userAad: Uint8Array) {
    this.baseAad = canonicalEncode([AAD_DOMAIN, header, userAad]);
  }

  private next(final: boolean): { nonce: Buffer; aad: Buffer } {
    const nonce = streamChunkNonce(this.prefix, this.counter);
    const aad = Buffer.allocUnsafe(this.baseAad.length + 5);
    this.baseAad.copy(aad, 0);
    aad.writeUInt32BE(this.counter, this.baseAad.length);
    aad[this.baseAad.length + 4] = final ? 1 : 0;
    this.counter += 1;
    return { nonce, aad };
  }

  seal(plaintext: Buffer, final: boolean): Buffer {
    const { nonce, aad } = this.next(final);
    const { ciphertext, tag } = gcmSeal(this.key, nonce, plaintext, aad);
    return Buffer.concat([ciphertext, tag]);
  }

  open(chunk: Buffer, final: boolean): Buffer {
    const { nonce, aad } = this.next(final);
    return gcmOpen(this.key, nonce, chunk.subarray(0, chunk.length - TAG_BYTES), chunk.subarray(chunk.length - TAG_BYTES), aad);
  }
}

function assertChunkSize(size: number, max: number): void {
  if (!Number.isInteger(size) || size < MIN_CHUNK_SIZE || size > max) {
    throw new HavenError('HAVEN_CRYPTO_INVALID_ARGUMENT', undefined, { detail: { argument: 'chunkSize' } });
  }
}

/**
 * A Transform that encrypts a byte stream: header, then chunks of chunkSize+16 bytes, then a final
 * chunk of 16..chunkSize+15 bytes (plaintext shorter than one chunk, possibly empty).
 * @param key - the stream key (id, version, 32 bytes)
 * @param opts - associated data, chunk size, random source
 */
export function createEncryptStream(key: StreamKey, opts: EncryptStreamOptions = {}): Transform {
  assertKey32(key.key);
  assertKeyId(key.id);
  assertU32(key.version, 'keyVersion');
  const chunkSize = opts.chunkSize ?? DEFAULT_CHUNK_SIZE;
  assertChunkSize(chunkSize, MAX_CHUNK_SIZE);
  const prefix = Buffer.from((opts.random ?? systemRandom)(PREFIX_BYTES));
  if (prefix.length !== PREFIX_BYTES) {
    throw new HavenError('HAVEN_CRYPTO_INVALID_ARGUMENT', undefined, { detail: { argument: 'random' } });
  }
  const header = encodeHeader(key, chunkSize, prefix);
  const cipher = new ChunkCipher(key.key, header, prefix, opts.aad ?? new Uint8Array(0));
  const queue = new ByteQueue();
  let started = false;
  const start = (stream: Transform): void => {
    if (!started) {
      started = true;
      stream.push(header);
    }
  };
  return new Transform({
    transform(this: Transform, chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
      try {
        start(this);
        queue.push(chunk);
        // Seal full chunks eagerly; a chunk exactly at the end becomes non-final and the final chunk is empty.
        while (queue.length >= chunkSize) {
          this.push(cipher.seal(queue.take(chunkSize), false));
        }
        done();
      } catch (err) {
        done(err as Error);
      }
    },
    flush(this: Transform, done: TransformCallback): void {
      try {
        start(this);
        this.push(cipher.seal(queue.take(queue.length), true));
        done();
      } catch (err) {
        done(err as Error);
      }
    },
  });
}

/**
 * A Transform that decrypts a stream made by createEncryptStream. Any damage — wrong key or AAD,
 * flipped bit, truncation, reordered, dropped, duplicated or appended chunks — fails the stream
 * with HAVEN_CRYPTO_DECRYPT_FAILED ("decryption failed").
 * @param keys - the expected key, or a resolver from (key id, version) to key
 * @param opts - associated data, largest chunk size to accept
 */
export function createDecryptStream(keys: StreamKey | StreamKeyResolver, opts: DecryptStreamOptions = {}): Transform {
  const maxChunkSize = opts.maxChunkSize ?? MAX_CHUNK_SIZE;
  assertChunkSize(maxChunkSize, MAX_CHUNK_SIZE);
  const userAad = opts.aad ?? new Uint8Array(0);
  const queue = new ByteQueue();
  let head: Buffer | undefined; // first HEAD_FIXED bytes, once read
  let cipher: ChunkCipher | undefined;
  let wireChunk = 0;

  const readHeader = (): void => {
    if (head === undefined && queue.length >= HEAD_FIXED) {
      head = queue.take(HEAD_FIXED);
      if (!head.subarray(0, 4).equals(STREAM_MAGIC) || head[4] !== STREAM_FORMAT_V1 || head[5] === 0) {
        throw decryptFailed();
      }
    }
    const idLen = head === undefined ? 0 : head[5]!;
    if (head === undefined || queue.length < idLen + HEAD_TAIL) {
      return;
    }
    const rest = queue.take(idLen + HEAD_TAIL);
    const keyId = rest.toString('latin1', 0, idLen);
    const keyVersion = rest.readUInt32BE(idLen);
    const chunkSize = rest.readUInt32BE(idLen + 4);
    const key = typeof keys === 'function' ? keys(keyId, keyVersion) : keys;
    if (key === undefined || key.id !== keyId || key.version !== keyVersion || chunkSize < MIN_CHUNK_SIZE || chunkSize > maxChunkSize) {
      throw decryptFailed();
    }
    const header = Buffer.concat([head, rest]);
    cipher = new ChunkCipher(key.key, header, rest.subarray(idLen + 8), userAad);
    wireChunk = chunkSize + TAG_BYTES;
  };

  return new Transform({
    transform(this: Transform, chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
      try {
        queue.push(chunk);
        if (cipher === undefined) {
          readHeader();
        }
        // A full-size wire chunk is never final (the final one is always shorter), so no look-ahead is needed.
        while (cipher !== undefined && queue.length >= wireChunk) {
          this.push(cipher.open(queue.take(wireChunk), false));
        }
        done();
      } catch {
        done(decryptFailed());
      }
    },
    flush(this: Transform, done: TransformCallback): void {
      try {
        if (cipher === undefined || queue.length < TAG_BYTES) {
          throw decryptFailed();
        }
        this.push(cipher.open(queue.take(queue.length), true));
        done();
      } catch {
        done(decryptFailed());
      }
    },
  });
}
