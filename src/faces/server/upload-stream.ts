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
