import { Buffer } from 'node:buffer';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createInflateRaw, crc32 } from 'node:zlib';
import { HavenError } from '../../errors/haven-error.js';
import { readZipDirectory, type ZipEntry } from '../../libs/formats/xlsx/zip-directory.js';
import { layOutZip, type ZipWriteEntry } from '../../libs/formats/xlsx/zip-writer.js';

/** Size limits on one workbook. */
export interface WorkbookArchiveLimits {
  /** Most bytes of the .xlsx file itself. */
  readonly maxBytes: number;
  /** Most bytes all the parts read may expand to, together. */
  readonly maxExpandedBytes: number;
}

/** An Excel workbook has a few dozen parts; thousands means something else. */
const MAX_ENTRIES = 10_000;
/** Parts other than the sheet (workbook, relationships, styles, shared strings) are held in memory whole. */
const MAX_IN_MEMORY_PART_BYTES = 256 * 1024 * 1024;
/** Pieces handed to the ZIP parser: large compressed parts are cut so no single chunk is big. */
const STREAM_CHUNK_BYTES = 1024 * 1024;

/**
 * Read an upload into one buffer (a ZIP archive can only be read from its end), refusing it as soon as it passes
 * the limit.
 * @param source - the upload bytes
 * @param maxBytes - the most bytes accepted
 */
export async function collectWorkbook(source: AsyncIterable<Uint8Array>, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of source) {
    total += chunk.length;
    if (total > maxBytes) {
      throw new HavenError('HAVEN_XLSX_TOO_LARGE', undefined, { detail: { limit: maxBytes } });
    }
    // A view, not a copy: stream chunks are not reused once emitted. Buffer.concat makes the one copy.
    chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  }
  return Buffer.concat(chunks, total);
}

/**
 * A workbook's ZIP container, checked before any XML parser sees it: the directory is read strictly, and every part
 * Haven will read is decompressed once here with its size bounded (the declared size, the in-memory cap, and the
 * total budget) and its CRC-32 checked. A later parser then sees exactly these bytes, so it can neither expand a
 * bomb nor trip on damaged data half-way through an import. Parts never read (macros, external links, embedded
 * objects, images, other sheets) are never decompressed.
 */
export class WorkbookArchive {
  private readonly entries: Map<string, ZipEntry>;
  private readonly verified = new Set<string>();
  private expanded = 0;

  private constructor(
    private readonly zip: Buffer,
    entries: readonly ZipEntry[],
    private readonly limits: WorkbookArchiveLimits,
  ) {
    this.entries = new Map(entries.map((e) => [e.name, e]));
  }

  /**
   * Read the directory of a collected workbook.
   * @param zip - the whole file
   * @param limits - size limits
   */
  static open(zip: Buffer, limits: WorkbookArchiveLimits): WorkbookArchive {
    if (zip.length > limits.maxBytes) {
      throw new HavenError('HAVEN_XLSX_TOO_LARGE', undefined, { detail: { limit: limits.maxBytes } });
    }
    return new WorkbookArchive(zip, readZipDirectory(zip, { maxEntries: MAX_ENTRIES }), limits);
  }

  /** Whether the archive holds a part. */
  has(name: string): boolean {
    return this.entries.has(name);
  }

  /**
   * Decompress parts once, bounded, and check their sizes and CRC-32 against the directory, and that each XML part
   * ends by closing its root element (exceljs's XML reader does not report a document cut short, so a sheet whose
   * XML stops after a row would otherwise read as a shorter sheet).
   * @param parts - part names (each must exist) and the local name of their XML root element
   * @param inMemory - whether the parts will be held in memory whole (a tighter cap applies)
   */
  async verify(parts: readonly { readonly name: string; readonly root: string }[], inMemory: boolean): Promise<void> {
    for (const { name, root } of parts) {
      if (this.verified.has(name)) {
        continue;
      }
      const e = this.entry(name);
      const cap = inMemory ? MAX_IN_MEMORY_PART_BYTES : Infinity;
      if (e.uncompressedSize > cap || this.expanded + e.uncompressedSize > this.limits.maxExpandedBytes) {
        throw new HavenError('HAVEN_XLSX_EXPANDS_TOO_MUCH', undefined, { detail: { limit: Math.min(cap, this.limits.maxExpandedBytes) } });
      }
      const tail = await checkEntry(this.data(e), e);
      if (!closesRoot(tail, root)) {
        throw new HavenError('HAVEN_XLSX_CORRUPT', undefined, { detail: { reason: 'unterminated_xml' } });
      }
      this.expanded += e.uncompressedSize;
      this.verified.add(name);
    }
  }

  /**
   * A ZIP stream of verified parts only, in the given order, optionally renamed, plus small synthetic parts: what a
   * streaming parser should see. The parts' bytes are the original compressed bytes (not copied).
   * @param parts - `{ name, as }`: a verified part and the name it gets, or `{ as, text }`: a synthetic part
   */
  stream(parts: readonly ({ readonly name: string; readonly as: string } | { readonly as: string; readonly text: string })[]): Readable {
    const entries: ZipWriteEntry[] = parts.map((p) => {
      if ('text' in p) {
        const data = Buffer.from(p.text, 'utf8');
        return { name: p.as, method: 0, crc32: crc32(data), uncompressedSize: data.length, data };
      }
      if (!this.verified.has(p.name)) {
        throw new HavenError('HAVEN_INTERNAL', 'workbook part streamed before it was verified');
      }
      const e = this.entry(p.name);
      return { name: p.as, method: e.method, crc32: e.crc32, uncompressedSize: e.uncompressedSize, data: this.data(e) };
    });
    return Readable.from(chunked(layOutZip(entries)), { objectMode: false });
  }

  private entry(name: string): ZipEntry {
    const e = this.entries.get(name);
    if (!e) {
      throw new HavenError('HAVEN_XLSX_CORRUPT', undefined, { detail: { reason: 'missing_part' } });
    }
    return e;
  }

  private data(e: ZipEntry): Buffer {
    return this.zip.subarray(e.dataOffset, e.dataOffset + e.compressedSize);
  }
}

/** Bytes kept from the end of a part: enough for a closing root tag with a namespace prefix and trailing space. */
const TAIL_BYTES = 256;

/**
 * Decompress one entry, discarding the output: refused as soon as it grows past its declared size, or on a bad CRC.
 * @returns the last bytes of the part
 */
async function checkEntry(data: Buffer, e: ZipEntry): Promise<Buffer> {
  if (e.method === 0) {
    if (crc32(data) >>> 0 !== e.crc32 >>> 0) {
      throw new HavenError('HAVEN_XLSX_CORRUPT', undefined, { detail: { reason: 'crc' } });
    }
    return data.subarray(Math.max(0, data.length - TAIL_BYTES));
  }
  let total = 0;
  let crc = 0;
  let tail = Buffer.alloc(0);
  try {
    await pipeline(Readable.from(chunked([data]), { objectMode: false }), createInflateRaw(), async (inflated: AsyncIterable<Buffer>) => {
      for await (const out of inflated) {
        total += out.length;
        if (total > e.uncompressedSize) {
          throw new HavenError('HAVEN_XLSX_CORRUPT', undefined, { detail: { reason: 'size_mismatch' } });
        }
        crc = crc32(out, crc);
        tail = out.length >= TAIL_BYTES ? Buffer.from(out.subarray(out.length - TAIL_BYTES)) : Buffer.concat([tail, out]).subarray(-TAIL_BYTES);
      }
    });
  } catch (err) {
    if (err instanceof HavenError) {
      throw err;
    }
    throw new HavenError('HAVEN_XLSX_CORRUPT', undefined, { cause: err, detail: { reason: 'deflate' } });
  }
  if (total !== e.uncompressedSize) {
    throw new HavenError('HAVEN_XLSX_CORRUPT', undefined, { detail: { reason: 'size_mismatch' } });
  }
  if (crc >>> 0 !== e.crc32 >>> 0) {
    throw new HavenError('HAVEN_XLSX_CORRUPT', undefined, { detail: { reason: 'crc' } });
  }
  return tail;
}

/** Whether an XML document's last bytes close its root element (`</worksheet>`, `</x:worksheet>`), whitespace aside. */
function closesRoot(tail: Buffer, root: string): boolean {
  const text = tail.toString('latin1').trimEnd();
  const open = text.lastIndexOf('</');
  return open >= 0 && new RegExp(`^</(?:[A-Za-z_][\\w.-]*:)?${root}\\s*>$`).test(text.slice(open));
}

/** Buffers cut into pieces of at most STREAM_CHUNK_BYTES (views, not copies). */
function* chunked(pieces: readonly Buffer[]): Generator<Buffer> {
  for (const p of pieces) {
    for (let at = 0; at < p.length; at += STREAM_CHUNK_BYTES) {
      yield p.subarray(at, Math.min(p.length, at + STREAM_CHUNK_BYTES));
    }
  }
}
