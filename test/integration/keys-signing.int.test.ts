import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openKeys } from '../../src/composition/keys-setup.js';
import { signMessage, verifySignature } from '../../src/libs/crypto/signing.js';
import { SigningKeys } from '../../src/services/keys/signing-keys.js';
import { testStores } from '../helpers/stores.js';
import { createKeysInstance, type KeysTestInstance } from './keys-helpers.js';

for (const store of testStores()) {
  describe(`signing keys in the hierarchy [${store.name}]`, () => {
    let t: KeysTestInstance;
    beforeEach(async () => {
      t = await createKeysInstance(store);
    });
    afterEach(() => t.cleanup());
    afterAll(() => store.cleanup());

    it('keeps one key per purpose, rotates it and keeps old public keys for verification', async () => {
      const signing = new SigningKeys(t.rt.keys);
      const first = await signing.current(t.instance.storage, 'audit');
      const msg = Buffer.from('checkpoint 1');
      const sig = signMessage(first.privateKey, msg);
      // A fresh process derives the same key from the wrapped seed.
      const fresh = await openKeys(t.dataDir, t.instance.storage, t.instance.clock, t.env);
      try {
        expect((await new SigningKeys(fresh.keys).current(t.instance.storage, 'audit')).keyId).toBe(first.keyId);
      } finally {
        await fresh.close();
      }
      expect((await signing.current(t.instance.storage, 'model')).keyId).not.toBe(first.keyId);

      const second = await signing.rotate(t.instance.storage, t.instance.audit, 'audit');
      expect(second.keyId).not.toBe(first.keyId);
      expect((await signing.current(t.instance.storage, 'audit')).keyId).toBe(second.keyId);
      const pubs = await signing.publicKeys(t.instance.storage, 'audit');
      expect([...pubs.keys()].sort()).toEqual([first.keyId, second.keyId].sort());
      expect(verifySignature(pubs.get(first.keyId)!, msg, sig)).toBe(true);
      expect(verifySignature(pubs.get(second.keyId)!, msg, sig)).toBe(false);
      const records = await t.instance.storage.read.keys.signingKeys('audit');
      expect(records.map((r) => r.state)).toEqual(['retired', 'active']);
      const seeds = await t.instance.storage.read.keys.versions(':system', 'art.sig-audit');
      expect(seeds.map((s) => s.state)).toEqual(['destroyed', 'active']);
      const entries = await t.instance.storage.read.audit.page(0, 1000);
      expect(entries.some((e) => e.action === 'keys.rotate-signing' && e.outcome === 'success')).toBe(true);
    });
  });
}
