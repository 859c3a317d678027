import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { shredWorkspace } from '../../src/services/keys/crypto-shredding.js';
import { rotateWorkspace } from '../../src/services/keys/key-rotation.js';
import { testStores } from '../helpers/stores.js';
import { createKeysInstance, type KeysTestInstance } from './keys-helpers.js';

for (const store of testStores()) {
  describe(`encrypted blobs [${store.name}]`, () => {
    let t: KeysTestInstance;
    beforeEach(async () => {
      t = await createKeysInstance(store);
    });
    afterEach(() => t.cleanup());
    afterAll(() => store.cleanup());

    it('stores each blob under its own DEK, owner-only, and reads it back verified', async () => {
      const big = randomBytes(300_000);
      const a = await t.rt.blobs.put('ws1', 'upload', big);
      const b = await t.rt.blobs.put('ws1', 'model', Readable.from([Buffer.from('model bytes')]));
      expect(a.size).toBe(big.length);
      expect(await t.rt.blobs.read(a.id)).toEqual(big);
      expect((await t.rt.blobs.read(b.id)).toString()).toBe('model bytes');
      const keys = (await t.instance.storage.read.keys.list('ws1')).filter((k) => k.purpose === 'artifact-dek');
      expect(keys.map((k) => k.keyId).sort()).toEqual([`art.${a.id}`, `art.${b.id}`].sort());
      const dir = join(t.dataDir, 'blobs');
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      for (const f of readdirSync(dir)) {
        expect(statSync(join(dir, f)).mode & 0o777).toBe(0o600);
        expect(f.startsWith('.tmp-')).toBe(false);
      }
    });

    it('refuses a tampered, truncated or swapped blob file', async () => {
      const a = await t.rt.blobs.put('ws1', 'upload', randomBytes(200_000));
      const b = await t.rt.blobs.put('ws1', 'upload', randomBytes(1000));
      const pathA = join(t.dataDir, 'blobs', a.fileName);
      const original = readFileSync(pathA);
      const flipped = Buffer.from(original);
      flipped[100_000] = flipped[100_000]! ^ 1;
      writeFileSync(pathA, flipped);
      await expect(t.rt.blobs.read(a.id)).rejects.toMatchObject({ code: 'HAVEN_CRYPTO_DECRYPT_FAILED' });
      writeFileSync(pathA, original.subarray(0, original.length - 20));
      await expect(t.rt.blobs.read(a.id)).rejects.toMatchObject({ code: 'HAVEN_CRYPTO_DECRYPT_FAILED' });
      writeFileSync(pathA, readFileSync(join(t.dataDir, 'blobs', b.fileName)));
      await expect(t.rt.blobs.read(a.id)).rejects.toMatchObject({ code: 'HAVEN_CRYPTO_DECRYPT_FAILED' });
    });

    it('deletes a blob by destroying its DEK', async () => {
      const a = await t.rt.blobs.put('ws1', 'upload', Buffer.from('secret'));
      await t.rt.blobs.delete(a.id);
      await expect(t.rt.blobs.read(a.id)).rejects.toMatchObject({ code: 'HAVEN_KEYS_BLOB_NOT_FOUND' });
      const versions = await t.instance.storage.read.keys.versions('ws1', `art.${a.id}`);
      expect(versions.every((v) => v.state === 'destroyed' && v.wrapped === null)).toBe(true);
      expect(readdirSync(join(t.dataDir, 'blobs'))).toEqual([]);
    });

    it('re-encrypts blobs after a rotation of artifact keys and destroys the old DEK versions', async () => {
      const contents = [randomBytes(70_000), Buffer.from('small')];
      const blobs = [];
      for (const c of contents) {
        blobs.push(await t.rt.blobs.put('ws1', 'upload', c));
      }
      await rotateWorkspace(t.rt.keys, t.instance.storage, t.instance.audit, 'ws1', { purposes: ['artifact-dek'] });
      for (const [i, b] of blobs.entries()) {
        expect(await t.rt.blobs.read(b.id)).toEqual(contents[i]);
      }
      expect(await t.rt.blobs.reencrypt('ws1')).toBe(2);
      for (const [i, b] of blobs.entries()) {
        expect(await t.rt.blobs.read(b.id)).toEqual(contents[i]);
        const versions = await t.instance.storage.read.keys.versions('ws1', `art.${b.id}`);
        expect(versions.map((v) => v.state)).toEqual(['destroyed', 'active']);
      }
      expect(readdirSync(join(t.dataDir, 'blobs')).sort()).toEqual(blobs.map((b) => `${b.id}.v2.hvb`).sort());
    });

    it('crypto-shreds a workspace: keys destroyed, files removed, ledger entry written', async () => {
      const a = await t.rt.blobs.put('ws1', 'upload', Buffer.from('x'));
      await t.rt.vault.protect(t.instance.storage, 'ws1', 'd', [{ column: 'c', recordId: '1', value: 'v' }]);
      const kept = await t.rt.blobs.put('ws2', 'upload', Buffer.from('other workspace'));
      const r = await shredWorkspace(t.rt.keys, t.instance.storage, t.instance.audit, { actor: 'tester', requestId: 'r' }, 'ws1', (b) => t.rt.blobs.removeFiles(b));
      expect(r.blobs).toBe(1);
      expect(r.cells).toBe(1);
      expect(r.versions).toBeGreaterThanOrEqual(4); // KEK, pseudonym key, dataset DEK, blob DEK
      const left = await t.instance.storage.read.keys.list('ws1');
      expect(left.every((k) => k.state === 'destroyed' && k.wrapped === null)).toBe(true);
      await expect(t.rt.blobs.read(a.id)).rejects.toMatchObject({ code: 'HAVEN_KEYS_BLOB_NOT_FOUND' });
      expect((await t.rt.blobs.read(kept.id)).toString()).toBe('other workspace');
      expect(readdirSync(join(t.dataDir, 'blobs'))).toEqual([kept.fileName]);
      const entries = await t.instance.storage.read.audit.page(0, 1000);
      expect(entries.some((e) => e.action === 'keys.shred-workspace' && e.outcome === 'success')).toBe(true);
      await expect(t.rt.vault.protect(t.instance.storage, 'ws1', 'd', [{ column: 'c', recordId: '2', value: 'v' }])).rejects.toMatchObject({
        code: 'HAVEN_KEYS_KEY_DESTROYED',
      });
    });
  });
}
