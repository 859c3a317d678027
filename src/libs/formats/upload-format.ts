import { HavenError } from '../../errors/haven-error.js';
import { hasZipMagic } from './xlsx/zip-directory.js';

/** The table formats Haven imports. */
export type UploadFormat = 'csv' | 'xlsx';

/** Media type of an Excel workbook. */
export const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** Media type of a macro-enabled Excel workbook (imported like .xlsx; its macros are never read). */
export const XLSM_MEDIA_TYPE = 'application/vnd.ms-excel.sheet.macroenabled.12';

const WORKBOOK_TYPES = new Set([XLSX_MEDIA_TYPE, XLSM_MEDIA_TYPE]);
const CSV_TYPES = new Set(['text/csv', 'text/plain']);
/** Types that say nothing about the content: the bytes decide. */
const OPAQUE_TYPES = new Set(['application/octet-stream', 'application/gzip', 'application/x-gzip']);

/**
 * The media type of a Content-Type value: lower-cased, without parameters (`text/csv; charset=utf-8` → `text/csv`).
 * @param contentType - the header value, if any
 */
export function mediaTypeOf(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

/**
 * Decide how to read an upload from its declared media type and its first bytes (after transport decoding such as
 * gzip), never from a file name. A ZIP archive is a workbook; anything else is CSV. The declared type must agree:
 * a workbook type on bytes that are not a ZIP archive, or a CSV type on a ZIP archive, is refused.
 * `application/octet-stream` (what `curl -F` sends for a .csv or .xlsx file) and gzip let the bytes decide.
 * @param mediaType - the declared media type (see {@link mediaTypeOf})
 * @param head - the first bytes of the content (four are enough)
 */
export function detectUploadFormat(mediaType: string, head: Uint8Array): UploadFormat {
  const zip = hasZipMagic(head);
  if (WORKBOOK_TYPES.has(mediaType)) {
    if (!zip) {
      throw new HavenError('HAVEN_XLSX_NOT_A_WORKBOOK', undefined, { detail: { reason: 'not_zip' } });
    }
    return 'xlsx';
  }
  if (CSV_TYPES.has(mediaType)) {
    if (zip) {
      throw new HavenError('HAVEN_INGEST_CONTENT_MISMATCH');
    }
    return 'csv';
  }
  if (OPAQUE_TYPES.has(mediaType)) {
    return zip ? 'xlsx' : 'csv';
  }
  throw new HavenError('HAVEN_HTTP_UNSUPPORTED_MEDIA_TYPE');
}
