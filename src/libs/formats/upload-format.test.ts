import { describe, expect, it } from 'vitest';
import { HavenError } from '../../errors/haven-error.js';
import { detectUploadFormat, mediaTypeOf, XLSX_MEDIA_TYPE } from './upload-format.js';

const ZIP = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14]);
const CSV = new TextEncoder().encode('id,name\n');

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(HavenError);
    return (e as HavenError).code;
  }
  throw new Error('expected a HavenError');
}

describe('detectUploadFormat', () => {
  it('the bytes decide for opaque types; the declared type must agree with them otherwise', () => {
    expect(detectUploadFormat('application/octet-stream', ZIP)).toBe('xlsx');
    expect(detectUploadFormat('application/octet-stream', CSV)).toBe('csv');
    expect(detectUploadFormat('application/gzip', CSV)).toBe('csv');
    expect(detectUploadFormat(XLSX_MEDIA_TYPE, ZIP)).toBe('xlsx');
    expect(detectUploadFormat(mediaTypeOf('application/vnd.ms-excel.sheet.macroEnabled.12'), ZIP)).toBe('xlsx');
    expect(detectUploadFormat('text/csv', CSV)).toBe('csv');
    expect(detectUploadFormat('text/csv', new Uint8Array())).toBe('csv');
    expect(codeOf(() => detectUploadFormat(XLSX_MEDIA_TYPE, CSV))).toBe('HAVEN_XLSX_NOT_A_WORKBOOK');
    expect(codeOf(() => detectUploadFormat('text/csv', ZIP))).toBe('HAVEN_INGEST_CONTENT_MISMATCH');
    expect(codeOf(() => detectUploadFormat('image/png', CSV))).toBe('HAVEN_HTTP_UNSUPPORTED_MEDIA_TYPE');
  });

  it('media types lose their parameters and case', () => {
    expect(mediaTypeOf('Text/CSV; charset=utf-8')).toBe('text/csv');
    expect(mediaTypeOf(undefined)).toBe('');
  });
});
