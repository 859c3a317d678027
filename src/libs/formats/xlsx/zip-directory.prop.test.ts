import { Buffer } from 'node:buffer';
import { crc32 } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HavenError } from '../../../errors/haven-error.js';
import { readZipDirectory } from './zip-directory.js';
import { layOutZip } from './zip-writer.js';

/** A small valid archive, then bytes flipped and the end cut: every structure path gets damaged somewhere. */
const damagedZip = fc
  .record({
    names: fc.uniqueArray(fc.string({ minLength: 1, maxLength: 12 }), { minLength: 0, maxLength: 4 }),
    flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
    cut: fc.nat(),
  })
  .map(({ names, flips, cut }) => {
    const bytes = Buffer.concat(
      layOutZip(
        names.map((name) => {
          const data = Buffer.from(`content of ${name}`);
          return { name, method: 0 as const, crc32: crc32(data), uncompressedSize: data.length, data };
        }),
      ),
    );
    for (const [at, v] of flips) {
      bytes[at % bytes.length] = v;
    }
    return cut % 3 === 0 ? bytes.subarray(0, bytes.length - (cut % bytes.length)) : bytes;
  });

describe('readZipDirectory (properties)', () => {
  it('any damaged archive gives entries inside the input or a coded error, never a crash', () => {
    fc.assert(
      fc.property(damagedZip, (bytes) => {
        try {
          for (const e of readZipDirectory(bytes, { maxEntries: 100 })) {
            expect(e.dataOffset + e.compressedSize).toBeLessThanOrEqual(bytes.length);
          }
        } catch (err) {
          expect(err).toBeInstanceOf(HavenError);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('random bytes give a coded error, never a crash', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        expect(() => readZipDirectory(bytes, { maxEntries: 100 })).toThrow(HavenError);
      }),
    );
  });
});
