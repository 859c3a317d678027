import { createCipheriv } from 'node:crypto';
import { describe, it, expect } from 'vitest';
import { HavenError } from '../../errors/haven-error.js';
import { canonicalEncode } from './aead-core.js';
import {
  decodeFieldCiphertext, decryptField, decryptFieldFromString, encodeFieldCiphertext, encryptField, encryptFieldToString, fieldAad,
} from './field-cipher.js';
import type { CellRef, FieldKey } from './field-cipher.js';

function caught(fn: () => unknown): HavenError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(HavenError);
    return err as HavenError;
  }
  throw new Error('expected a HavenError');
}

function expectDecryptFailed(fn: () => unknown): void {
  const err = caught(fn);
  expect(err.code).toBe('HAVEN_CRYPTO_DECRYPT_FAILED');
  expect(err.message).toBe('decryption failed');
  expect(err.detail).toBeUndefined();
}

const KEY: FieldKey = { id: 'ds.visits', version: 3, key: Buffer.alloc(32, 0x11) };
const OTHER: FieldKey = { id: 'ds.other', version: 3, key: Buffer.alloc(32, 0x22) };
const CELL: CellRef = { workspace: 'ws1', dataset: 'visits', column: 'Last', recordId: '101000' };
const fixedNonce = (byte: number) => () => Buffer.alloc(12, byte);

describe('encryptField: format and known answer', () => {
  it('lays out version, key id, key version, nonce, ciphertext, tag; ciphertext matches raw AES-256-GCM with the canonical AAD', () => {
    const out = encryptField(KEY, CELL, 'LASTCEVUDKM', { nonce: fixedNonce(0xab) });
    const idLen = KEY.id.length;
    expect(out[0]).toBe(1);
    expect(out[1]).toBe(idLen);
    expect(out.toString('latin1', 2, 2 + idLen)).toBe('ds.visits');
    expect(out.readUInt32BE(2 + idLen)).toBe(3);
    expect(out.subarray(6 + idLen, 18 + idLen).toString('hex')).toBe('ab'.repeat(12));
    // Independent oracle: node:crypto directly, with the AAD spelled out byte by byte.
    const u32 = (n: number) => { const b = Buffer.alloc(4); b.writeUInt32BE(n); return b; };
    const field = (s: string) => Buffer.concat([u32(Buffer.byteLength(s)), Buffer.from(s)]);
    const aad = Buffer.concat([field('haven.field.v1'), u32(4), u32(1), field('ds.visits'), u32(4), u32(3), field('ws1'), field('visits'), field('Last'), field('101000')]);
    expect(fieldAad(CELL, KEY.id, KEY.version).equals(aad)).toBe(true);
    const c = createCipheriv('aes-256-gcm', KEY.key, Buffer.alloc(12, 0xab));
    c.setAAD(aad);
    const expected = Buffer.concat([c.update('LASTCEVUDKM'), c.final(), c.getAuthTag()]);
    expect(out.subarray(18 + idLen).equals(expected)).toBe(true);
    expect(out.length).toBe(18 + idLen + 11 + 16);
  });

  it('round-trips strings, bytes and the empty value, and uses a fresh nonce each time', () => {
    const a = encryptField(KEY, CELL, 'Ünïcødé ✓');
    const b = encryptField(KEY, CELL, 'Ünïcødé ✓');
    expect(a.equals(b)).toBe(false);
    expect(decryptField(KEY, CELL, a).toString('utf8')).toBe('Ünïcødé ✓');
    expect(decryptField(KEY, CELL, encryptField(KEY, CELL, Buffer.from([0, 255, 7]))).toString('hex')).toBe('00ff07');
    expect(decryptField(KEY, CELL, encryptField(KEY, CELL, '')).length).toBe(0);
  });

  it('round-trips through base64url text and through a key resolver', () => {
    const text = encryptFieldToString(KEY, CELL, '9.6');
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    const resolver = (id: string, version: number) => [KEY, OTHER].find((k) => k.id === id && k.version === version);
    expect(decryptFieldFromString(resolver, CELL, text).toString()).toBe('9.6');
  });

  it('refuses bad keys, cells and nonce sources before encrypting', () => {
    expect(caught(() => encryptField({ ...KEY, key: Buffer.alloc(16) }, CELL, 'x')).code).toBe('HAVEN_CRYPTO_KEY_INVALID');
    expect(caught(() => encryptField({ ...KEY, id: 'bad id' }, CELL, 'x')).code).toBe('HAVEN_CRYPTO_KEY_INVALID');
    expect(caught(() => encryptField({ ...KEY, version: -1 }, CELL, 'x')).code).toBe('HAVEN_CRYPTO_INVALID_ARGUMENT');
    for (const name of ['workspace', 'dataset', 'column', 'recordId'] as const) {
      const err = caught(() => encryptField(KEY, { ...CELL, [name]: '' }, 'x'));
      expect(err.code).toBe('HAVEN_CRYPTO_INVALID_ARGUMENT');
      expect(err.detail).toEqual({ argument: name });
    }
    expect(caught(() => encryptField(KEY, CELL, 'x', { nonce: () => Buffer.alloc(11) })).code).toBe('HAVEN_CRYPTO_INVALID_ARGUMENT');
    expect(caught(() => decryptField(KEY, { ...CELL, recordId: '' }, Buffer.alloc(40))).code).toBe('HAVEN_CRYPTO_INVALID_ARGUMENT');
  });
});

describe('decryptField: negative vectors all fail with the fixed error', () => {
  const good = encryptField(KEY, CELL, 'secret value', { nonce: fixedNonce(1) });
  const idLen = KEY.id.length;

  it('a bit flip anywhere (version, key id, key version, nonce, ciphertext, tag)', () => {
    for (let i = 0; i < good.length; i++) {
      const bad = Buffer.from(good);
      bad[i]! ^= 0x01;
      expectDecryptFailed(() => decryptField(KEY, CELL, bad));
    }
  });

  it('truncation at every length, and trailing garbage', () => {
    for (let n = 0; n < good.length; n++) {
      expectDecryptFailed(() => decryptField(KEY, CELL, good.subarray(0, n)));
    }
    expectDecryptFailed(() => decryptField(KEY, CELL, Buffer.concat([good, Buffer.from([0])])));
  });

  it('a nonce swapped in from another ciphertext of the same key and cell', () => {
    const other = encryptField(KEY, CELL, 'secret value', { nonce: fixedNonce(2) });
    const bad = Buffer.from(good);
    other.copy(bad, 6 + idLen, 6 + idLen, 18 + idLen);
    expectDecryptFailed(() => decryptField(KEY, CELL, bad));
  });

  it('a swapped key id (same length, resolving to a key with the same bytes) is caught by the AAD', () => {
    const twin: FieldKey = { id: 'ds.visitZ', version: 3, key: KEY.key };
    const bad = Buffer.from(good);
    bad.write('ds.visitZ', 2, 'latin1');
    expectDecryptFailed(() => decryptField(() => twin, CELL, bad));
    expectDecryptFailed(() => decryptField(KEY, CELL, bad)); // header no longer names KEY
  });

  it('moved to another cell: other workspace, dataset, column or row', () => {
    expectDecryptFailed(() => decryptField(KEY, { ...CELL, workspace: 'ws2' }, good));
    expectDecryptFailed(() => decryptField(KEY, { ...CELL, dataset: 'visits2' }, good));
    expectDecryptFailed(() => decryptField(KEY, { ...CELL, column: 'First' }, good));
    expectDecryptFailed(() => decryptField(KEY, { ...CELL, recordId: '101001' }, good));
  });

  it('wrong key, wrong key version, unknown key, unknown format version', () => {
    expectDecryptFailed(() => decryptField({ ...KEY, key: OTHER.key }, CELL, good));
    expectDecryptFailed(() => decryptField({ ...KEY, version: 4 }, CELL, good));
    expectDecryptFailed(() => decryptField(() => undefined, CELL, good));
    const v2 = Buffer.from(good);
    v2[0] = 2;
    expectDecryptFailed(() => decryptField(KEY, CELL, v2));
  });

  it('header with a zero-length or non-id key id', () => {
    const zero = Buffer.from(good);
    zero[1] = 0;
    expectDecryptFailed(() => decodeFieldCiphertext(zero));
    const long = Buffer.from(good);
    long[1] = 200;
    expectDecryptFailed(() => decodeFieldCiphertext(long));
    const space = Buffer.from(good);
    space[3] = 0x20;
    expectDecryptFailed(() => decodeFieldCiphertext(space));
  });

  it('text form: foreign characters, padding and non-canonical spellings', () => {
    const text = good.toString('base64url');
    expectDecryptFailed(() => decryptFieldFromString(KEY, CELL, `${text}=`));
    expectDecryptFailed(() => decryptFieldFromString(KEY, CELL, `${text.slice(0, 10)}+${text.slice(11)}`));
    expectDecryptFailed(() => decryptFieldFromString(KEY, CELL, 5 as unknown as string));
    // Last char of a length ≡ 2 (mod 3) payload carries 2 unused bits; setting them is a second spelling.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(text.at(-1)!);
    const alt = text.slice(0, -1) + alphabet[last ^ 1];
    expect(Buffer.from(alt, 'base64url').equals(good)).toBe(good.length % 3 !== 0);
    expectDecryptFailed(() => decryptFieldFromString(KEY, CELL, alt));
    expect(decryptFieldFromString(KEY, CELL, text).toString()).toBe('secret value');
  });
});

describe('fieldAad', () => {
  it('equals the canonical encoding of the eight fields, for many keys (past the prefix cache bound) and any text', () => {
    for (let i = 0; i < 300; i++) {
      const cell = { workspace: `w${i}`, dataset: 'dé', column: '✓', recordId: String(i) };
      const expected = canonicalEncode(['haven.field.v1', 1, `k${i}`, i, cell.workspace, cell.dataset, cell.column, cell.recordId]);
      expect(fieldAad(cell, `k${i}`, i).equals(expected)).toBe(true);
    }
    expect(fieldAad(CELL, 'k0', 0).equals(canonicalEncode(['haven.field.v1', 1, 'k0', 0, 'ws1', 'visits', 'Last', '101000']))).toBe(true);
  });
});

describe('encode/decodeFieldCiphertext', () => {
  it('round-trips parts and refuses impossible parts', () => {
    const parts = decodeFieldCiphertext(encryptField(KEY, CELL, 'abc'));
    expect(parts.keyId).toBe('ds.visits');
    expect(parts.keyVersion).toBe(3);
    expect(parts.ciphertext.length).toBe(3);
    expect(encodeFieldCiphertext(parts).equals(Buffer.from(encodeFieldCiphertext(parts)))).toBe(true);
    expect(decryptField(KEY, CELL, encodeFieldCiphertext(parts)).toString()).toBe('abc');
    expect(caught(() => encodeFieldCiphertext({ ...parts, formatVersion: 2 })).code).toBe('HAVEN_CRYPTO_INVALID_ARGUMENT');
    expect(caught(() => encodeFieldCiphertext({ ...parts, nonce: Buffer.alloc(8) })).code).toBe('HAVEN_CRYPTO_INVALID_ARGUMENT');
    expect(caught(() => encodeFieldCiphertext({ ...parts, tag: Buffer.alloc(8) })).code).toBe('HAVEN_CRYPTO_INVALID_ARGUMENT');
  });
});
