import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { HavenError } from '../../errors/haven-error.js';

/** Limits on one upload. */
export interface UploadLimits {
  /** Most bytes accepted after decompression. */
  readonly maxBytes: number;
  /** Most decompressed bytes per compressed byte (gzip bomb defence), checked once past 1 MiB. */
  readonly maxRatio: number;
}

/**
 * The bytes of an upload as an async iterable: gunzipped when `gzip`, counted against the size limit and (for gzip)
 * the expansion ratio, so a bomb or an oversized body stops with a coded error after reading no more than the limit.
 * @param body - the raw request stream
 * @param gzip - whether the body is gzip-compressed
 * @param limits - size and ratio limits
 */
export async function* limitedUpload(body: Readable, gzip: boolean, limits: UploadLimits): AsyncGenerator<Uint8Array> {
  let compressed = 0;
  let total = 0;
  let source: AsyncIterable<Buffer> = body;
  if (gzip) {
    body.on('data', (d: Buffer) => {
      compressed += d.length;
    });
    const gunzip = createGunzip();
    body.on('error', (err) => gunzip.destroy(err));
    source = body.pipe(gunzip);
  }
  try {
    for await (const chunk of source) {
      total += chunk.length;
      if (total > limits.maxBytes) {
        throw new HavenError('HAVEN_INGEST_TOO_LARGE', undefined, { detail: { limit: limits.maxBytes } });
      }
      if (gzip && total > 1_048_576 && total > compressed * limits.maxRatio) {
        throw new HavenError('HAVEN_INGEST_GZIP_BOMB', undefined, { detail: { ratio: limits.maxRatio } });
      }
      yield chunk;
    }
  } catch (err) {
    body.destroy();
    if (err instanceof HavenError) {
      throw err;
    }
    const code = (err as { code?: string }).code;
    throw new HavenError(code?.startsWith('Z_') ? 'HAVEN_INGEST_BAD_GZIP' : 'HAVEN_INGEST_INTERRUPTED', undefined, { cause: err });
  }
}

/** An upload whose first bytes have been looked at, with nothing lost. */
export interface PeekedUpload {
  /** At least `n` bytes, unless the upload is shorter. */
  readonly head: Uint8Array;
  /** All the bytes, the looked-at ones first. Read it once. */
  readonly bytes: AsyncIterable<Uint8Array>;
}

/**
 * Read the first bytes of an upload (to decide its format) and hand back the whole of it.
 * @param source - the upload
 * @param n - how many bytes to look at
 */
export async function peekUpload(source: AsyncIterable<Uint8Array>, n: number): Promise<PeekedUpload> {
  const it = source[Symbol.asyncIterator]();
  const seen: Uint8Array[] = [];
  let size = 0;
  let done = false;
  while (size < n) {
    const next = await it.next();
    if (next.done) {
      done = true;
      break;
    }
    seen.push(next.value);
    size += next.value.length;
  }
  const head = Buffer.concat(seen, size).subarray(0, n);
  async function* bytes(): AsyncGenerator<Uint8Array> {
    try {
      yield* seen.splice(0);
      while (!done) {
        const next = await it.next();
        if (next.done) {
          return;
        }
        yield next.value;
      }
    } finally {
      await it.return?.();
    }
  }
  return { head, bytes: bytes() };
}

/**
 * The bytes of an upload, then a check that runs once they have all been read (before the reader sees the end), so a
 * problem found after the data (a second multipart part) fails the import before anything is committed.
 * @param source - the upload
 * @param check - what to verify at the end
 */
export async function* thenCheck(source: AsyncIterable<Uint8Array>, check: () => Promise<void>): AsyncGenerator<Uint8Array> {
  yield* source;
  await check();
}
