import type { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { openWorkbook } from '../../../../adapters/formats/xlsx-reader.js';
import type { Instance } from '../../../../composition/open-instance.js';
import { HavenError } from '../../../../errors/haven-error.js';
import { detectUploadFormat, mediaTypeOf } from '../../../../libs/formats/upload-format.js';
import { csvTabularSource, type TabularSource } from '../../../../services/ingest/tabular-source.js';
import { openMultipartFile } from '../../multipart-upload.js';
import { limitedUpload, peekUpload, thenCheck } from '../../upload-stream.js';

const GZIP_TYPES = new Set(['application/gzip', 'application/x-gzip']);

/**
 * The table an import request carries: the raw body, or the one file part of a multipart body; gzip decoded within
 * the ratio limit; CSV or an Excel workbook as the content shows (ZIP magic bytes, checked against the declared
 * type). A workbook is opened and its sheet chosen here, so a damaged workbook or a missing sheet fails before the
 * import begins.
 * @param request - the import request
 * @param instance - for the limits
 * @param sheet - the worksheet asked for (`?sheet=`), if any
 */
export async function importSourceOf(request: FastifyRequest, instance: Instance, sheet: string | undefined): Promise<TabularSource> {
  const ingest = instance.config.ingest;
  const limits = { maxBytes: ingest.maxUploadBytes, maxRatio: ingest.maxGzipRatio };
  let contentType: string;
  let bytes: AsyncIterable<Uint8Array>;
  if (request.isMultipart()) {
    const part = await openMultipartFile(request, ingest.maxUploadBytes);
    contentType = mediaTypeOf(part.contentType);
    bytes = thenCheck(limitedUpload(part.file, GZIP_TYPES.has(contentType), limits), () => part.end());
  } else {
    contentType = mediaTypeOf(request.headers['content-type']);
    const gzip = GZIP_TYPES.has(contentType) || request.headers['content-encoding'] === 'gzip';
    bytes = limitedUpload(request.body as Readable, gzip, limits);
  }
  const peeked = await peekUpload(bytes, 4);
  if (detectUploadFormat(contentType, peeked.head) === 'csv') {
    if (sheet !== undefined) {
      throw new HavenError('HAVEN_INGEST_OPTION_NOT_APPLICABLE');
    }
    return csvTabularSource(peeked.bytes);
  }
  return openWorkbook(peeked.bytes, { sheet, limits: { maxBytes: ingest.maxWorkbookBytes, maxExpandedBytes: ingest.maxWorkbookExpandedBytes } });
}
