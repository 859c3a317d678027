import { HavenError } from '../../../errors/haven-error.js';

/** One file in a ZIP archive, as its central directory describes it (sizes are declared, not yet verified). */
export interface ZipEntry {
  readonly name: string;
  /** 0 stored, 8 deflated (the only methods accepted). */
  readonly method: 0 | 8;
  readonly crc32: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  /** Where the entry's compressed bytes start in the archive (after its local header). */
  readonly dataOffset: number;
}

/** Limits on the directory itself. */
export interface ZipDirectoryLimits {
  /** Most entries accepted (an Excel workbook has a few dozen). */
  readonly maxEntries: number;
}

/** The first bytes of every non-empty ZIP archive (a local file header). */
export const ZIP_MAGIC: readonly number[] = [0x50, 0x4b, 0x03, 0x04];

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const EOCD_BYTES = 22;
const CENTRAL_BYTES = 46;
const LOCAL_BYTES = 30;
const MAX_COMMENT = 0xffff;
const FLAG_ENCRYPTED = 0x0001;
const FLAG_STRONG_ENCRYPTION = 0x0040;

/**
 * Whether bytes start like a ZIP archive (and so possibly like an .xlsx workbook).
 * @param head - the first bytes of an upload (at least four to say yes)
 */
export function hasZipMagic(head: Uint8Array): boolean {
  return head.length >= 4 && ZIP_MAGIC.every((b, i) => head[i] === b);
}

/**
 * Read a ZIP archive's central directory, checking its structure: the end record, every entry's local header and
 * that each entry's data lies inside the archive before the directory. Refused with a coded error: no end record
 * (truncated, or not a ZIP at all), ZIP64 or multi-disk archives, encryption, methods other than stored or deflate,
 * duplicate names, too many entries. Nothing is decompressed here: declared sizes are checked by the reader.
 * @param zip - the whole archive
 * @param limits - the most entries accepted
 * @returns the entries in directory order
 */
export function readZipDirectory(zip: Uint8Array, limits: ZipDirectoryLimits): ZipEntry[] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const eocd = findEndRecord(zip, view);
  if (eocd < 0) {
    throw new HavenError(hasZipMagic(zip) ? 'HAVEN_XLSX_CORRUPT' : 'HAVEN_XLSX_NOT_A_WORKBOOK', undefined, { detail: { reason: 'no_end_record' } });
  }
  const disk = view.getUint16(eocd + 4, true);
  const cdDisk = view.getUint16(eocd + 6, true);
  const entriesHere = view.getUint16(eocd + 8, true);
  const count = view.getUint16(eocd + 10, true);
  const cdSize = view.getUint32(eocd + 12, true);
  const cdOffset = view.getUint32(eocd + 16, true);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    throw new HavenError('HAVEN_XLSX_UNSUPPORTED', undefined, { detail: { reason: 'zip64' } });
  }
  if (disk !== 0 || cdDisk !== 0 || entriesHere !== count) {
    throw new HavenError('HAVEN_XLSX_UNSUPPORTED', undefined, { detail: { reason: 'multi_disk' } });
  }
  if (count > limits.maxEntries) {
    throw new HavenError('HAVEN_XLSX_UNSUPPORTED', undefined, { detail: { reason: 'too_many_entries', limit: limits.maxEntries } });
  }
  if (cdOffset + cdSize > eocd) {
    throw corrupt('directory_bounds');
  }
  const entries: ZipEntry[] = [];
  const names = new Set<string>();
  let at = cdOffset;
  for (let i = 0; i < count; i++) {
    if (at + CENTRAL_BYTES > cdOffset + cdSize || view.getUint32(at, true) !== CENTRAL_SIGNATURE) {
      throw corrupt('directory_entry');
    }
    const flags = view.getUint16(at + 8, true);
    const method = view.getUint16(at + 10, true);
    const crc32 = view.getUint32(at + 16, true);
    const compressedSize = view.getUint32(at + 20, true);
    const uncompressedSize = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const startDisk = view.getUint16(at + 34, true);
    const localOffset = view.getUint32(at + 42, true);
    const end = at + CENTRAL_BYTES + nameLength + extraLength + commentLength;
    if (end > cdOffset + cdSize) {
      throw corrupt('directory_entry');
    }
    if (compressedSize === 0xffffffff || uncompressedSize === 0xffffffff || localOffset === 0xffffffff || startDisk === 0xffff) {
      throw new HavenError('HAVEN_XLSX_UNSUPPORTED', undefined, { detail: { reason: 'zip64' } });
    }
    if ((flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION)) !== 0) {
      throw new HavenError('HAVEN_XLSX_UNSUPPORTED', undefined, { detail: { reason: 'encrypted' } });
    }
    if (method !== 0 && method !== 8) {
      throw new HavenError('HAVEN_XLSX_UNSUPPORTED', undefined, { detail: { reason: 'compression_method', method } });
    }
    if (method === 0 && compressedSize !== uncompressedSize) {
      throw corrupt('stored_size');
    }
    const name = new TextDecoder('utf-8').decode(zip.subarray(at + CENTRAL_BYTES, at + CENTRAL_BYTES + nameLength));
    if (names.has(name)) {
      throw corrupt('duplicate_name');
    }
    names.add(name);
    const dataOffset = localDataOffset(view, localOffset, cdOffset);
    if (dataOffset + compressedSize > cdOffset) {
      throw corrupt('entry_bounds');
    }
    entries.push({ name, method, crc32, compressedSize, uncompressedSize, dataOffset });
    at = end;
  }
  return entries;
}

/** Offset of the end-of-central-directory record, searched backwards over the longest possible comment; -1 if none. */
function findEndRecord(zip: Uint8Array, view: DataView): number {
  const last = zip.length - EOCD_BYTES;
  const first = Math.max(0, last - MAX_COMMENT);
  for (let at = last; at >= first; at--) {
    if (zip[at] === 0x50 && view.getUint32(at, true) === EOCD_SIGNATURE && at + EOCD_BYTES + view.getUint16(at + 20, true) === zip.length) {
      return at;
    }
  }
  return -1;
}

/** Where an entry's data starts, from its local header (whose name and extra lengths may differ from the directory's). */
function localDataOffset(view: DataView, localOffset: number, limit: number): number {
  if (localOffset + LOCAL_BYTES > limit || view.getUint32(localOffset, true) !== LOCAL_SIGNATURE) {
    throw corrupt('local_header');
  }
  return localOffset + LOCAL_BYTES + view.getUint16(localOffset + 26, true) + view.getUint16(localOffset + 28, true);
}

function corrupt(reason: string): HavenError {
  return new HavenError('HAVEN_XLSX_CORRUPT', undefined, { detail: { reason } });
}
