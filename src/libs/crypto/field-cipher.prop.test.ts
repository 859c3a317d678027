import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { HavenError } from '../../errors/haven-error.js';
import { decryptField, encryptField } from './field-cipher.js';
import type { FieldKey } from './field-cipher.js';

const KEY: FieldKey = { id: 'ds.p', version: 1, key: Buffer.alloc(32, 0x5a) };
const part = fc.string({ minLength: 1, maxLength: 12 });
const cell = fc.record({ workspace: part, dataset: part, column: part, recordId: part });

describe('field cipher properties', () => {
  it('decrypt(encrypt(x)) = x for any value and cell', () => {
    fc.assert(
      fc.property(cell, fc.uint8Array({ maxLength: 200 }), (c, value) => {
        expect(Buffer.from(decryptField(KEY, c, encryptField(KEY, c, value))).equals(Buffer.from(value))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('any single bit flip or any other cell fails with HAVEN_CRYPTO_DECRYPT_FAILED', () => {
    fc.assert(
      fc.property(cell, cell, fc.uint8Array({ maxLength: 64 }), fc.nat(), fc.integer({ min: 0, max: 7 }), (c, other, value, pos, bit) => {
        const ct = encryptField(KEY, c, value);
        const bad = Buffer.from(ct);
        bad[pos % bad.length]! ^= 1 << bit;
        const tries = [() => decryptField(KEY, c, bad)];
        const same = c.workspace === other.workspace && c.dataset === other.dataset && c.column === other.column && c.recordId === other.recordId;
        if (!same) {
          tries.push(() => decryptField(KEY, other, ct));
        }
        for (const t of tries) {
          expect(t).toThrow(HavenError);
          expect(t).toThrow('decryption failed');
        }
      }),
      { numRuns: 200 },
    );
  });
});
