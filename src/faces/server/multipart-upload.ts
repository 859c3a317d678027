import type { Readable } from 'node:stream';
import type { Multipart } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { HavenError } from '../../errors/haven-error.js';

/** The one file part of a multipart upload, as it streams. */
export interface MultipartFileUpload {
  /** The part's declared Content-Type (the file name is never consulted). */
  readonly contentType: string;
  /** The file bytes as they arrive (a body cut short makes the stream fail). */
  readonly file: Readable;
  /** After the file: check it was not cut at the size limit and nothing follows it. */
  end(): Promise<void>;
}

/** The only field name accepted for the file (`curl -F file=@stays.csv`). */
export const FILE_FIELD = 'file';

/**
 * Open a `multipart/form-data` upload that must hold exactly one part: a file named `file`. A text field, a file
 * under another name, a second part, a missing file or a malformed body is a coded 4xx. The file is streamed, not
 * buffered; busboy's limits cap the part count, header pairs and the file size.
 * @param request - a request whose body the multipart plugin accepted
 * @param maxFileBytes - the largest file accepted (as sent, before any decompression)
 */
export async function openMultipartFile(request: FastifyRequest, maxFileBytes: number): Promise<MultipartFileUpload> {
  // One part only: a second one makes busboy stop with a parts-limit error, seen at end().
  const parts = request.parts({ limits: { parts: 1, files: 1, fields: 1, fieldSize: 1024, fieldNameSize: 100, headerPairs: 20, fileSize: maxFileBytes + 1 } });
  const first = await nextPart(parts);
  if (first === undefined) {
    throw new HavenError('HAVEN_INGEST_MULTIPART_NO_FILE');
  }
  if (first.type !== 'file' || first.fieldname !== FILE_FIELD) {
    if (first.type === 'file') {
      first.file.resume();
    }
    throw new HavenError(first.type === 'file' ? 'HAVEN_INGEST_MULTIPART_NO_FILE' : 'HAVEN_INGEST_MULTIPART_FIELD');
  }
  const file = first.file;
  return {
    contentType: first.mimetype,
    file,
    async end() {
      if (file.truncated) {
        throw new HavenError('HAVEN_INGEST_TOO_LARGE', undefined, { detail: { limit: maxFileBytes } });
      }
      if ((await nextPart(parts)) !== undefined) {
        throw new HavenError('HAVEN_INGEST_MULTIPART_TOO_MANY_PARTS');
      }
    },
  };
}

/** The next part, undefined at the end; the plugin's errors as coded ones. */
async function nextPart(parts: AsyncIterableIterator<Multipart>): Promise<Multipart | undefined> {
  try {
    const next = await parts.next();
    return next.done ? undefined : next.value;
  } catch (err) {
    throw multipartError(err);
  }
}

/** The multipart plugin's and busboy's errors (limits, malformed bodies) as coded ones; messages are never passed on. */
function multipartError(err: unknown): HavenError {
  if (err instanceof HavenError) {
    return err;
  }
  const code = (err as { code?: unknown }).code;
  if (code === 'FST_PARTS_LIMIT' || code === 'FST_FILES_LIMIT' || code === 'FST_FIELDS_LIMIT') {
    return new HavenError('HAVEN_INGEST_MULTIPART_TOO_MANY_PARTS', undefined, { cause: err });
  }
  if (code === 'FST_REQ_FILE_TOO_LARGE') {
    return new HavenError('HAVEN_INGEST_TOO_LARGE', undefined, { cause: err });
  }
  return new HavenError('HAVEN_INGEST_MULTIPART_MALFORMED', undefined, { cause: err });
}
