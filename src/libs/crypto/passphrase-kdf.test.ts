import { createDecipheriv, scryptSync } from 'node:crypto';
import { describe, it, expect } from 'vitest';
import { HavenError } from '../../errors/haven-error.js';
import { canonicalEncode } from './aead-core.js';
import {
  DEFAULT_SCRYPT_PARAMS, PRODUCTION_MIN_N, sealRootKey, sealRootKeyAsync, unsealRootKey, unsealRootKeyAsync,
} from './passphrase-kdf.js';

const ROOT = Buffer.alloc(32, 0x42);
const FAST = { N: 2 ** 10, r: 8, p: 1 };
const PASS = 'correct horse battery staple';

function caught(fn: () => unknown): HavenError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(HavenError);
    return err as HavenError;
  }
  throw new Error('expected a HavenError');
}

async function caughtAsync(p: Promise<unknown>): Promise<HavenError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(HavenError);
  return err as HavenError;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const nonCanonical = (text: string): string => text.slice(0, -1) + B64[B64.indexOf(text.at(-1)!) ^ 1];
const sealFast = (pass = PASS, extra: Record<string, unknown> = {}): string => sealRootKey(pass, ROOT, { params: FAST, testing: true, ...extra });
const edit = (sealed: string, fn: (b: Record<string, unknown>) => void): string => {
  const b = JSON.parse(sealed) as Record<string, unknown>;
  fn(b);
  return JSON.stringify(b);
};

describe('sealRootKey / unsealRootKey', () => {
  it('writes versioned JSON whose ciphertext is AES-256-GCM under scrypt(passphrase) with the params bound as AAD', () => {
    const sealed = sealFast(PASS, { random: (n: number) => Buffer.alloc(n, 5) });
    const b = JSON.parse(sealed) as { format: string; version: number; kdf: Record<string, unknown>; salt: string; nonce: string; ciphertext: string; tag: string };
    expect(b.format).toBe('haven-sealed-key');
    expect(b.version).toBe(1);
    expect(b.kdf).toEqual({ name: 'scrypt', N: 1024, r: 8, p: 1 });
    expect(Buffer.from(b.salt, 'base64url').length).toBe(16);
    const kek = scryptSync(Buffer.from(PASS), Buffer.from(b.salt, 'base64url'), 32, { N: 1024, r: 8, p: 1 });
    const d = createDecipheriv('aes-256-gcm', kek, Buffer.from(b.nonce, 'base64url'));
    d.setAAD(canonicalEncode(['haven.sealed-key.v1', 'scrypt', 1024, 8, 1, Buffer.from(b.salt, 'base64url')]));
    d.setAuthTag(Buffer.from(b.tag, 'base64url'));
    expect(Buffer.concat([d.update(Buffer.from(b.ciphertext, 'base64url')), d.final()]).equals(ROOT)).toBe(true);
    expect(unsealRootKey(PASS, sealed, { testing: true }).equals(ROOT)).toBe(true);
  });

  it('uses a fresh salt and nonce each time, and NFC-normalises the passphrase', () => {
    expect(sealFast()).not.toBe(sealFast());
    const sealed = sealFast('caf\u00e9 au lait');
    expect(unsealRootKey('cafe\u0301 au lait', sealed, { testing: true }).equals(ROOT)).toBe(true);
  });

  it('a wrong passphrase gives HAVEN_CRYPTO_WRONG_PASSPHRASE', () => {
    const err = caught(() => unsealRootKey('Correct horse battery staple', sealFast(), { testing: true }));
    expect(err.code).toBe('HAVEN_CRYPTO_WRONG_PASSPHRASE');
    expect(err.message).toBe('wrong passphrase, or the sealed key is damaged');
  });

  it('tampered parameters, salt, nonce, ciphertext or tag fail authentication', () => {
    const sealed = sealFast();
    const flip = (s: string): string => {
      const b = Buffer.from(s, 'base64url');
      b[0]! ^= 1;
      return b.toString('base64url');
    };
    for (const change of [
      (b: Record<string, unknown>) => { b['kdf'] = { name: 'scrypt', N: 2048, r: 8, p: 1 }; },
      (b: Record<string, unknown>) => { b['salt'] = flip(b['salt'] as string); },
      (b: Record<string, unknown>) => { b['nonce'] = flip(b['nonce'] as string); },
      (b: Record<string, unknown>) => { b['ciphertext'] = flip(b['ciphertext'] as string); },
      (b: Record<string, unknown>) => { b['tag'] = flip(b['tag'] as string); },
    ]) {
      expect(caught(() => unsealRootKey(PASS, edit(sealed, change), { testing: true })).code).toBe('HAVEN_CRYPTO_WRONG_PASSPHRASE');
    }
  });

  it('malformed blobs give HAVEN_CRYPTO_SEALED_KEY_INVALID', () => {
    const sealed = sealFast();
    const bad = [
      'not json', 'null', '[]',
      edit(sealed, (b) => { b['format'] = 'other'; }),
      edit(sealed, (b) => { b['version'] = 2; }),
      edit(sealed, (b) => { delete b['kdf']; }),
      edit(sealed, (b) => { b['kdf'] = null; }),
      edit(sealed, (b) => { b['kdf'] = { name: 'argon2', N: 1024, r: 8, p: 1 }; }),
      edit(sealed, (b) => { b['kdf'] = { name: 'scrypt', N: 1000, r: 8, p: 1 }; }),
      edit(sealed, (b) => { b['kdf'] = { name: 'scrypt', N: 2 ** 21, r: 8, p: 1 }; }),
      edit(sealed, (b) => { b['kdf'] = { name: 'scrypt', N: 1024, r: 33, p: 1 }; }),
      edit(sealed, (b) => { b['kdf'] = { name: 'scrypt', N: 1024, r: 8, p: 17 }; }),
      edit(sealed, (b) => { b['kdf'] = { name: 'scrypt', N: '1024', r: 8, p: 1 }; }),
      edit(sealed, (b) => { b['salt'] = 'c2hvcnQ'; }),
      edit(sealed, (b) => { b['nonce'] = `${b['nonce'] as string}AA`; }),
      edit(sealed, (b) => { b['ciphertext'] = 'a+b/'; }),
      edit(sealed, (b) => { b['tag'] = 17; }),
      // Same bytes, second spelling: the last char of a 16-byte value carries 4 unused bits.
      edit(sealed, (b) => { b['tag'] = nonCanonical(b['tag'] as string); }),
    ];
    for (const blob of bad) {
      expect(caught(() => unsealRootKey(PASS, blob, { testing: true })).code).toBe('HAVEN_CRYPTO_SEALED_KEY_INVALID');
    }
  });

  it('enforces the production floor unless testing is set, on seal and on unseal', () => {
    const weak = caught(() => sealRootKey(PASS, ROOT, { params: FAST }));
    expect(weak.code).toBe('HAVEN_CRYPTO_KDF_TOO_WEAK');
    expect(weak.detail).toEqual({ N: 1024, r: 8, p: 1 });
    expect(caught(() => unsealRootKey(PASS, sealFast())).code).toBe('HAVEN_CRYPTO_KDF_TOO_WEAK');
    expect(caught(() => sealRootKey(PASS, ROOT, { params: { N: 512, r: 8, p: 1 }, testing: true })).code).toBe('HAVEN_CRYPTO_KDF_TOO_WEAK');
    expect(caught(() => sealRootKey(PASS, ROOT, { params: { N: 1024, r: 4, p: 1 }, testing: true })).code).toBe('HAVEN_CRYPTO_KDF_TOO_WEAK');
    expect(caught(() => sealRootKey(PASS, ROOT, { params: { N: 1024, r: 8, p: 0 }, testing: true })).code).toBe('HAVEN_CRYPTO_KDF_TOO_WEAK');
    expect(caught(() => sealRootKey(PASS, ROOT, { params: { N: 3000, r: 8, p: 1 }, testing: true })).code).toBe('HAVEN_CRYPTO_INVALID_ARGUMENT');
    const floor = sealRootKey(PASS, ROOT, { params: { N: PRODUCTION_MIN_N, r: 8, p: 1 } });
    expect(unsealRootKey(PASS, floor).equals(ROOT)).toBe(true);
  });

  it('refuses an empty passphrase, a short root key and a short random source', () => {
    expect(caught(() => sealFast('')).code).toBe('HAVEN_CRYPTO_INVALID_ARGUMENT');
    expect(caught(() => sealFast(null as unknown as string)).code).toBe('HAVEN_CRYPTO_INVALID_ARGUMENT');
    expect(caught(() => unsealRootKey('', sealFast(), { testing: true })).code).toBe('HAVEN_CRYPTO_INVALID_ARGUMENT');
    expect(caught(() => sealRootKey(PASS, Buffer.alloc(16), { params: FAST, testing: true })).code).toBe('HAVEN_CRYPTO_KEY_INVALID');
    expect(caught(() => sealFast(PASS, { random: () => Buffer.alloc(8) })).code).toBe('HAVEN_CRYPTO_INVALID_ARGUMENT');
  });
});

describe('async forms', () => {
  it('round-trip with the default (production) parameters; a wrong passphrase is reported', async () => {
    const sealed = await sealRootKeyAsync(PASS, ROOT);
    expect((JSON.parse(sealed) as { kdf: unknown }).kdf).toEqual({ name: 'scrypt', ...DEFAULT_SCRYPT_PARAMS });
    expect((await unsealRootKeyAsync(PASS, sealed)).equals(ROOT)).toBe(true);
    expect((await caughtAsync(unsealRootKeyAsync('nope', sealFast(), { testing: true }))).code).toBe('HAVEN_CRYPTO_WRONG_PASSPHRASE');
  });

  it('async and sync forms interoperate', async () => {
    const sealed = await sealRootKeyAsync(PASS, ROOT, { params: FAST, testing: true });
    expect(unsealRootKey(PASS, sealed, { testing: true }).equals(ROOT)).toBe(true);
    expect((await unsealRootKeyAsync(PASS, sealFast(), { testing: true })).equals(ROOT)).toBe(true);
    expect((await caughtAsync(sealRootKeyAsync(PASS, ROOT, { params: FAST }))).code).toBe('HAVEN_CRYPTO_KDF_TOO_WEAK');
  });
});
