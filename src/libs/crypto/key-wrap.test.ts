import { createCipheriv } from 'node:crypto';
import { describe, it, expect } from 'vitest';
import { HavenError } from '../../errors/haven-error.js';
import { canonicalEncode } from './aead-core.js';
import {
  createChildKey, dataKeyLabel, generateKey, mayWrap, rewrapKey, unwrapKey, workspaceKekLabel, wrapKey, wrappedKeyHeader,
} from './key-wrap.js';
import type { KeyLabel, ManagedKey } from './key-wrap.js';

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
}

// Deterministic "random" source for known answers: counts up from a seed byte.
function counting(seed: number): (n: number) => Buffer {
  let next = seed;
  return (n) => Buffer.from(Array.from({ length: n }, () => next++ & 0xff));
}

const ROOT: ManagedKey = { id: 'root', purpose: 'root', version: 1, key: Buffer.alloc(32, 1) };
const WSK: ManagedKey = { id: 'wsk.ws1', purpose: 'workspace-kek', version: 2, key: Buffer.alloc(32, 2) };
const DEK: ManagedKey = { id: 'ds.visits', purpose: 'dataset-dek', version: 5, key: Buffer.alloc(32, 3) };
const label = (k: ManagedKey): KeyLabel => ({ id: k.id, purpose: k.purpose, version: k.version });

describe('wrapKey / unwrapKey', () => {
  it('known answer: layout and ciphertext equal raw AES-256-GCM over the canonical label AAD', () => {
    const wrapped = wrapKey(WSK, DEK, { nonce: () => Buffer.alloc(12, 9) });
    expect(wrapped[0]).toBe(1);
    expect(wrapped[1]).toBe(7);
    expect(wrapped.toString('latin1', 2, 9)).toBe('wsk.ws1');
    expect(wrapped.readUInt32BE(9)).toBe(2);
    expect(wrapped.subarray(13, 25).toString('hex')).toBe('09'.repeat(12));
    expect(wrapped.length).toBe(13 + 12 + 32 + 16);
    const c = createCipheriv('aes-256-gcm', WSK.key, Buffer.alloc(12, 9));
    c.setAAD(canonicalEncode(['haven.keywrap.v1', 1, 'wsk.ws1', 'workspace-kek', 2, 'ds.visits', 'dataset-dek', 5]));
    expect(wrapped.subarray(25).equals(Buffer.concat([c.update(DEK.key), c.final(), c.getAuthTag()]))).toBe(true);
    const back = unwrapKey(WSK, wrapped, label(DEK));
    expect(Buffer.from(back.key).equals(Buffer.from(DEK.key))).toBe(true);
    expect(label(back)).toEqual(label(DEK));
    expect(wrappedKeyHeader(wrapped)).toEqual({ kekId: 'wsk.ws1', kekVersion: 2 });
  });

  it('fails with the fixed error for another label, KEK, KEK version, bit flip or truncation', () => {
    const wrapped = wrapKey(WSK, DEK);
    expectDecryptFailed(() => unwrapKey(WSK, wrapped, { ...label(DEK), version: 6 }));
    expectDecryptFailed(() => unwrapKey(WSK, wrapped, { ...label(DEK), id: 'ds.other' }));
    expectDecryptFailed(() => unwrapKey(WSK, wrapped, { ...label(DEK), purpose: 'artifact-dek' }));
    expectDecryptFailed(() => unwrapKey({ ...WSK, key: Buffer.alloc(32, 7) }, wrapped, label(DEK)));
    expectDecryptFailed(() => unwrapKey({ ...WSK, version: 3 }, wrapped, label(DEK)));
    expectDecryptFailed(() => unwrapKey({ ...WSK, id: 'wsk.ws2' }, wrapped, label(DEK)));
    for (let i = 0; i < wrapped.length; i++) {
      const bad = Buffer.from(wrapped);
      bad[i]! ^= 0x40;
      expectDecryptFailed(() => unwrapKey(WSK, bad, label(DEK)));
    }
    for (const n of [0, 1, 2, 20, wrapped.length - 1]) {
      expectDecryptFailed(() => unwrapKey(WSK, wrapped.subarray(0, n), label(DEK)));
    }
    const zeroId = Buffer.from(wrapped);
    zeroId[1] = 0;
    expectDecryptFailed(() => wrappedKeyHeader(zeroId));
  });

  it('enforces the hierarchy and the 32-byte floor', () => {
    expect(caught(() => wrapKey(DEK, WSK)).code).toBe('HAVEN_CRYPTO_KEY_HIERARCHY');
    expect(caught(() => wrapKey(ROOT, DEK)).code).toBe('HAVEN_CRYPTO_KEY_HIERARCHY');
    expect(caught(() => unwrapKey(ROOT, Buffer.alloc(61), label(DEK))).code).toBe('HAVEN_CRYPTO_KEY_HIERARCHY');
    expect(caught(() => wrapKey(WSK, { ...DEK, key: Buffer.alloc(16) })).code).toBe('HAVEN_CRYPTO_KEY_INVALID');
    expect(caught(() => wrapKey({ ...WSK, key: Buffer.alloc(33) }, DEK)).code).toBe('HAVEN_CRYPTO_KEY_INVALID');
    expect(caught(() => wrapKey(WSK, { ...DEK, purpose: 'nope' as 'root' })).code).toBe('HAVEN_CRYPTO_KEY_INVALID');
    expect(caught(() => wrapKey(WSK, { ...DEK, id: '' })).code).toBe('HAVEN_CRYPTO_KEY_INVALID');
    expect(mayWrap('root', 'workspace-kek')).toBe(true);
    expect(mayWrap('workspace-kek', 'pseudonym-key')).toBe(true);
    expect(mayWrap('workspace-kek', 'workspace-kek')).toBe(false);
    expect(mayWrap('toString' as 'root', 'root')).toBe(false);
  });
});

describe('rewrapKey', () => {
  it('moves a key to a new KEK version: old KEK no longer opens it, new one does', () => {
    const wsk3: ManagedKey = { ...WSK, version: 3, key: Buffer.alloc(32, 4) };
    const wrapped = wrapKey(WSK, DEK);
    const moved = rewrapKey(WSK, wsk3, wrapped, label(DEK));
    expect(wrappedKeyHeader(moved)).toEqual({ kekId: 'wsk.ws1', kekVersion: 3 });
    expect(Buffer.from(unwrapKey(wsk3, moved, label(DEK)).key).equals(Buffer.from(DEK.key))).toBe(true);
    expectDecryptFailed(() => unwrapKey(WSK, moved, label(DEK)));
    expectDecryptFailed(() => rewrapKey(wsk3, WSK, wrapped, label(DEK)));
  });
});

describe('key hierarchy helpers', () => {
  it('root → workspace KEK → dataset DEK round-trips through the wrapped forms', () => {
    const random = counting(0);
    const ws = createChildKey(ROOT, workspaceKekLabel('ws1', 1), random);
    const ds = createChildKey(ws.key, dataKeyLabel('dataset-dek', 'visits', 1), random);
    expect(ws.key.id).toBe('wsk.ws1');
    expect(ds.key.id).toBe('ds.visits');
    expect(Buffer.from(ws.key.key).toString('hex')).toBe(Buffer.from(Array.from({ length: 32 }, (_, i) => i)).toString('hex'));
    const wsOpened = unwrapKey(ROOT, ws.wrapped, workspaceKekLabel('ws1', 1));
    const dsOpened = unwrapKey(wsOpened, ds.wrapped, dataKeyLabel('dataset-dek', 'visits', 1));
    expect(Buffer.from(dsOpened.key).equals(Buffer.from(ds.key.key))).toBe(true);
    const art = createChildKey(ws.key, dataKeyLabel('artifact-dek', 'm1', 2));
    expect(Buffer.from(unwrapKey(wsOpened, art.wrapped, dataKeyLabel('artifact-dek', 'm1', 2)).key).equals(Buffer.from(art.key.key))).toBe(true);
    expect(dataKeyLabel('artifact-dek', 'm1', 2)).toEqual({ id: 'art.m1', purpose: 'artifact-dek', version: 2 });
    expect(dataKeyLabel('pseudonym-key', 'ws1', 1).id).toBe('pn.ws1');
    expect(caught(() => createChildKey(ws.key, workspaceKekLabel('ws2', 1))).code).toBe('HAVEN_CRYPTO_KEY_HIERARCHY');
    expect(caught(() => workspaceKekLabel('a'.repeat(61), 1)).code).toBe('HAVEN_CRYPTO_KEY_INVALID');
    expect(caught(() => dataKeyLabel('dataset-dek', 'x y', 1)).code).toBe('HAVEN_CRYPTO_KEY_INVALID');
  });

  it('generateKey draws 32 fresh bytes and refuses a short random source', () => {
    const a = generateKey(label(DEK));
    const b = generateKey(label(DEK));
    expect(a.key.length).toBe(32);
    expect(Buffer.from(a.key).equals(Buffer.from(b.key))).toBe(false);
    expect(caught(() => generateKey(label(DEK), () => Buffer.alloc(16))).code).toBe('HAVEN_CRYPTO_KEY_INVALID');
  });
});
