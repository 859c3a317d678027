import { Buffer } from 'node:buffer';

/** One entry to write: its name and data as they go into the archive (already compressed when `method` is 8). */
export interface ZipWriteEntry {
  readonly name: string;
  readonly method: 0 | 8;
  /** CRC-32 of the uncompressed bytes. */
  readonly crc32: number;
  readonly uncompressedSize: number;
  /** The bytes stored for the entry (compressed for method 8). */
  readonly data: Uint8Array;
}

const LOCAL_SIGNATURE = 0x04034b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const EOCD_SIGNATURE = 0x06054b50;
const VERSION = 20;
const FLAG_UTF8_NAME = 0x0800;
/** 1980-01-01 00:00 in DOS format: entries carry no real time, so equal input gives equal bytes. */
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;

/**
 * Lay out a ZIP archive (no ZIP64, no encryption) as a list of buffers: each entry's local header followed by its
 * data (the caller's bytes, not copied), then the central directory and its end record. Used to hand a parser only
 * the parts it should see, in the order it needs them, and by tests to build workbooks with chosen parts.
 * @param entries - the entries, in archive order
 * @returns the archive, in pieces to concatenate or stream
 */
export function layOutZip(entries: readonly ZipWriteEntry[]): Buffer[] {
  const pieces: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL_SIGNATURE, 0);
    local.writeUInt16LE(VERSION, 4);
    local.writeUInt16LE(FLAG_UTF8_NAME, 6);
    local.writeUInt16LE(e.method, 8);
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(e.crc32 >>> 0, 14);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(e.uncompressedSize, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(CENTRAL_SIGNATURE, 0);
    dir.writeUInt16LE(VERSION, 4);
    dir.writeUInt16LE(VERSION, 6);
    dir.writeUInt16LE(FLAG_UTF8_NAME, 8);
    dir.writeUInt16LE(e.method, 10);
    dir.writeUInt16LE(DOS_TIME, 12);
    dir.writeUInt16LE(DOS_DATE, 14);
    dir.writeUInt32LE(e.crc32 >>> 0, 16);
    dir.writeUInt32LE(e.data.length, 20);
    dir.writeUInt32LE(e.uncompressedSize, 24);
    dir.writeUInt16LE(name.length, 28);
    dir.writeUInt32LE(offset, 42);
    pieces.push(local, name, Buffer.from(e.data.buffer, e.data.byteOffset, e.data.byteLength));
    central.push(dir, name);
    offset += local.length + name.length + e.data.length;
  }
  const cdSize = central.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(EOCD_SIGNATURE, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cdSize, 12);
  end.writeUInt32LE(offset, 16);
  return [...pieces, ...central, end];
}
