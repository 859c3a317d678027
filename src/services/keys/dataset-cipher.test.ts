import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DatasetCipher, fieldKeyVersion } from './dataset-cipher.js';

const v1 = { id: 'ds.visits', version: 1, key: randomBytes(32) };
const v2 = { id: 'ds.visits', version: 2, key: randomBytes(32) };

describe('DatasetCipher', () => {
  it('encrypts under the current version within its reservation and reads every live version', () => {
    const old = new DatasetCipher('ws1', 'visits', v1, 1, new Map([[1, v1]]));
    const a = old.encrypt('Last', '1', 'Doe');
    expect(() => old.encrypt('Last', '2', 'Roe')).toThrow(expect.objectContaining({ code: 'HAVEN_CRYPTO_KEY_EXHAUSTED' }));
    const cur = new DatasetCipher('ws1', 'visits', v2, 5, new Map([[1, v1], [2, v2]]));
    const b = cur.encrypt('Last', '2', 'Roe');
    expect(fieldKeyVersion(a)).toBe(1);
    expect(fieldKeyVersion(b)).toBe(2);
    expect(cur.decrypt('Last', '1', a).toString()).toBe('Doe');
    expect(cur.decrypt('Last', '2', b).toString()).toBe('Roe');
    expect(cur.remainingInvocations).toBe(4);
  });

  it('fails closed on a destroyed version, another cell or a read-only cipher', () => {
    const cur = new DatasetCipher('ws1', 'visits', v2, 5, new Map([[1, v1], [2, v2]]));
    const a = cur.encrypt('Last', '1', 'Doe');
    const shredded = new DatasetCipher('ws1', 'visits', undefined, 0, new Map([[1, v1]]));
    expect(() => shredded.decrypt('Last', '1', a)).toThrow(expect.objectContaining({ code: 'HAVEN_CRYPTO_DECRYPT_FAILED' }));
    expect(() => cur.decrypt('Last', '2', a)).toThrow(expect.objectContaining({ code: 'HAVEN_CRYPTO_DECRYPT_FAILED' }));
    expect(() => shredded.encrypt('Last', '1', 'x')).toThrow(expect.objectContaining({ code: 'HAVEN_CRYPTO_KEY_EXHAUSTED' }));
    expect(fieldKeyVersion('not a ciphertext')).toBeUndefined();
  });
});
