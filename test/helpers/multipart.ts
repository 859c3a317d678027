import { Buffer } from 'node:buffer';

/** One part of a multipart/form-data body: a file when it has a file name, else a text field. */
export interface FormPart {
  readonly name: string;
  readonly data: Buffer | string;
  readonly filename?: string;
  readonly contentType?: string;
}

/**
 * A multipart/form-data body as curl -F would send it.
 * @param parts - the parts, in order
 * @param boundary - the boundary (fixed by default, so bodies are reproducible)
 */
export function formData(parts: readonly FormPart[], boundary = '----haven-test-boundary-7f3a91'): { payload: Buffer; contentType: string } {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disposition = `form-data; name="${p.name}"${p.filename !== undefined ? `; filename="${p.filename}"` : ''}`;
    const type = p.contentType ?? (p.filename !== undefined ? 'application/octet-stream' : undefined);
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${type ? `Content-Type: ${type}\r\n` : ''}\r\n`));
    chunks.push(Buffer.isBuffer(p.data) ? p.data : Buffer.from(p.data));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}
