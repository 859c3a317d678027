import type * as NodeCrypto from 'node:crypto';
import { describe, it, expect, vi } from 'vitest';

// scrypt failing at run time (e.g. the thread pool cannot allocate its memory) must reject the
// promise, not hang or resolve. Module-level mock, so it lives in its own file.
vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof NodeCrypto>();
  return {
    ...real,
    scrypt: (_p: unknown, _s: unknown, _l: unknown, _o: unknown, cb: (err: Error | null, key: Buffer) => void) => cb(new Error('scrypt out of memory'), Buffer.alloc(0)),
  };
});

describe('passphrase KDF: scrypt failure', () => {
  it('sealRootKeyAsync and unsealRootKeyAsync reject with the scrypt error', async () => {
    const { sealRootKey, sealRootKeyAsync, unsealRootKeyAsync } = await import('./passphrase-kdf.js');
    const params = { N: 1024, r: 8, p: 1 };
    await expect(sealRootKeyAsync('pass', Buffer.alloc(32), { params, testing: true })).rejects.toThrow('scrypt out of memory');
    const sealed = sealRootKey('pass', Buffer.alloc(32), { params, testing: true }); // sync scrypt is not mocked
    await expect(unsealRootKeyAsync('pass', sealed, { testing: true })).rejects.toThrow('scrypt out of memory');
  });
});
