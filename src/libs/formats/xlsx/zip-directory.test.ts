import { Buffer } from 'node:buffer';
import { crc32, deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { HavenError } from '../../../errors/haven-error.js';
import { hasZipMagic, readZipDirectory } from './zip-directory.js';
import { layOutZip } from './zip-writer.js';

const LIMITS = { maxEntries: 100 };

function zip(entries: { name: string; text: string; stored?: boolean }[]): Buffer {
  return Buffer.concat(
    layOutZip(
      entries.map((e) => {
        const data = Buffer.from(e.text);
        return { name: e.name, method: e.stored ? 0 : 8, crc32: crc32(data), uncompressedSize: data.length, data: e.stored ? data : deflateRawSync(data) };
      }),
    ),
  );
}

function codeOf(bytes: Uint8Array, limits = LIMITS): string {
  try {
    readZipDirectory(bytes, limits);
  } catch (e) {
    expect(e).toBeInstanceOf(HavenError);
    return (e as HavenError).code;
  }
  throw new Error('expected a HavenError');
}

describe('readZipDirectory', () => {
  it('lists what layOutZip wrote: names, methods, sizes, CRCs and where each entry data starts', () => {
    const bytes = zip([
      { name: 'xl/workbook.xml', text: '<workbook/>'.repeat(20) },
      { name: 'plain.txt', text: 'hello', stored: true },
    ]);
    const entries = readZipDirectory(bytes, LIMITS);
    expect(entries.map((e) => [e.name, e.method, e.uncompressedSize])).toEqual([
      ['xl/workbook.xml', 8, 220],
      ['plain.txt', 0, 5],
    ]);
    const plain = entries[1]!;
    expect(bytes.subarray(plain.dataOffset, plain.dataOffset + plain.compressedSize).toString()).toBe('hello');
    expect(plain.crc32).toBe(crc32(Buffer.from('hello')));
    expect(hasZipMagic(bytes)).toBe(true);
  });

  it('refuses text, an empty input and a truncated archive with codes that tell them apart', () => {
    const bytes = zip([{ name: 'a', text: 'x'.repeat(100) }]);
    expect(codeOf(Buffer.from('id,name\n1,Ann\n'))).toBe('HAVEN_XLSX_NOT_A_WORKBOOK');
    expect(codeOf(Buffer.alloc(0))).toBe('HAVEN_XLSX_NOT_A_WORKBOOK');
    expect(codeOf(bytes.subarray(0, bytes.length - 5))).toBe('HAVEN_XLSX_CORRUPT');
    expect(codeOf(Buffer.concat([bytes, Buffer.from('trailing')]))).toBe('HAVEN_XLSX_CORRUPT');
  });

  it('refuses encryption, unknown methods, duplicate names, ZIP64 markers and too many entries', () => {
    const base = zip([{ name: 'a', text: 'hello', stored: true }]);
    const cdOffset = base.readUInt32LE(base.length - 6);
    const patched = (at: number, value: number, bytes = 2) => {
      const copy = Buffer.from(base);
      if (bytes === 2) {
        copy.writeUInt16LE(value, at);
      } else {
        copy.writeUInt32LE(value, at);
      }
      return copy;
    };
    expect(codeOf(patched(cdOffset + 8, 0x0001))).toBe('HAVEN_XLSX_UNSUPPORTED');
    expect(codeOf(patched(cdOffset + 10, 12))).toBe('HAVEN_XLSX_UNSUPPORTED');
    expect(codeOf(patched(cdOffset + 24, 0xffffffff, 4))).toBe('HAVEN_XLSX_UNSUPPORTED');
    expect(
      codeOf(
        zip([
          { name: 'a', text: '1' },
          { name: 'a', text: '2' },
        ]),
      ),
    ).toBe('HAVEN_XLSX_CORRUPT');
    expect(
      codeOf(
        zip([
          { name: 'a', text: '1' },
          { name: 'b', text: '2' },
        ]),
        { maxEntries: 1 },
      ),
    ).toBe('HAVEN_XLSX_UNSUPPORTED');
    // A directory entry pointing past the data (overlapping the directory itself).
    expect(codeOf(patched(cdOffset + 20, 1_000_000, 4))).toBe('HAVEN_XLSX_CORRUPT');
  });
});
