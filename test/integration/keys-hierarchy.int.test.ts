import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openKeys } from '../../src/composition/keys-setup.js';
import { rotationPolicy } from '../../src/libs/crypto/usage-counter.js';
import { shredDataset } from '../../src/services/keys/crypto-shredding.js';
import { rawSql } from '../helpers/raw-sql.js';
import { testStores } from '../helpers/stores.js';
import { createKeysInstance, type KeysTestInstance } from './keys-helpers.js';

const CANARY = 'CANARYzqxj7SURNAME';

for (const store of testStores()) {
  describe(`keys hierarchy and field encryption [${store.name}]`, () => {
    let t: KeysTestInstance;
    beforeEach(async () => {
      t = await createKeysInstance(store);
    });
    afterEach(() => t.cleanup());
    afterAll(() => store.cleanup());

    it('keeps the keystore owner-only and the root key out of the database', async () => {
      expect(statSync(join(t.dataDir, 'keys/root-keystore.json')).mode & 0o777).toBe(0o600);
      const keystore = JSON.parse(readFileSync(join(t.dataDir, 'keys/root-keystore.json'), 'utf8')) as { provider: string; sealed: string };
      expect(keystore.provider).toBe('local');
      const rows = await t.instance.storage.read.keys.list();
      expect(rows.some((r) => r.keyId === 'wsk.:system' && r.parentId === 'root')).toBe(true);
    });

    it('round-trips vault cells and binds each to its cell', async () => {
      const n = await t.rt.vault.protect(t.instance.storage, 'ws1', 'visits', [
        { column: 'Last', recordId: '1', value: CANARY },
        { column: 'Last', recordId: '2', value: 'Smith' },
      ]);
      expect(n).toBe(2);
      expect((await t.rt.vault.reveal(t.instance.storage, 'ws1', 'visits', 'Last', '1'))?.toString()).toBe(CANARY);
      // An attacker with database access swaps two cells: both now fail to decrypt.
      await rawSql(t, [
        "update protected_field set record_id = 'x' where record_id = '1'",
        "update protected_field set record_id = '1' where record_id = '2'",
      ]);
      await expect(t.rt.vault.reveal(t.instance.storage, 'ws1', 'visits', 'Last', '1')).rejects.toMatchObject({ code: 'HAVEN_CRYPTO_DECRYPT_FAILED' });
    });

    it('encrypts fields for other services and refuses another cell, dataset or workspace', async () => {
      const cell = { workspace: 'ws1', dataset: 'visits', column: 'First', recordId: '7' };
      const text = await t.rt.keys.encryptField(t.instance.storage, cell, 'Ada');
      expect(text).not.toContain('Ada');
      expect((await t.rt.keys.decryptField(t.instance.storage, cell, text)).toString()).toBe('Ada');
      for (const other of [{ ...cell, recordId: '8' }, { ...cell, column: 'Last' }, { ...cell, dataset: 'labs' }, { ...cell, workspace: 'ws2' }]) {
        await expect(t.rt.keys.decryptField(t.instance.storage, other, text)).rejects.toMatchObject({ code: 'HAVEN_CRYPTO_DECRYPT_FAILED' });
      }
    });

    it('pseudonymises join keys per workspace', async () => {
      const p1 = await t.rt.keys.pseudonymiser(t.instance.storage, 'ws1');
      const p1again = await t.rt.keys.pseudonymiser(t.instance.storage, 'ws1');
      const p2 = await t.rt.keys.pseudonymiser(t.instance.storage, 'ws2');
      expect(p1('101000')).toBe(p1again('101000'));
      expect(p1('101000')).not.toBe(p1('101001'));
      expect(p1('101000')).not.toBe(p2('101000'));
    });

    it('refuses a wrong passphrase clearly and writes nothing', async () => {
      const before = await t.instance.storage.read.keys.list();
      const keystore = readFileSync(join(t.dataDir, 'keys/root-keystore.json'));
      await expect(openKeys(t.dataDir, t.instance.storage, t.instance.clock, { HAVEN_ROOT_PASSPHRASE: 'wrong passphrase, long enough' })).rejects.toMatchObject({
        code: 'HAVEN_CRYPTO_WRONG_PASSPHRASE',
      });
      await expect(openKeys(t.dataDir, t.instance.storage, t.instance.clock, {})).rejects.toMatchObject({ code: 'HAVEN_KEYS_PASSPHRASE_MISSING' });
      expect(await t.instance.storage.read.keys.list()).toEqual(before);
      expect(readFileSync(join(t.dataDir, 'keys/root-keystore.json'))).toEqual(keystore);
    });

    it('rotates a key version before its invocation limit', async () => {
      const rt = await openKeys(t.dataDir, t.instance.storage, t.instance.clock, t.env, {
        keyOptions: { policy: rotationPolicy({ maxInvocations: 10 }), reserveBlock: 4 },
      });
      try {
        const texts: string[] = [];
        for (let i = 0; i < 25; i++) {
          texts.push(await rt.keys.encryptField(t.instance.storage, { workspace: 'ws1', dataset: 'd1', column: 'c', recordId: String(i) }, `v${i}`));
        }
        const versions = await t.instance.storage.read.keys.versions('ws1', 'ds.d1');
        expect(versions.length).toBeGreaterThanOrEqual(3);
        expect(versions.every((v) => v.invocations <= 10)).toBe(true);
        for (let i = 0; i < 25; i++) {
          expect((await rt.keys.decryptField(t.instance.storage, { workspace: 'ws1', dataset: 'd1', column: 'c', recordId: String(i) }, texts[i]!)).toString()).toBe(`v${i}`);
        }
      } finally {
        await rt.close();
      }
    });

    it('crypto-shreds a dataset and records it in the ledger', async () => {
      await t.rt.vault.protect(t.instance.storage, 'ws1', 'visits', [{ column: 'Last', recordId: '1', value: 'Doe' }]);
      const text = await t.rt.keys.encryptField(t.instance.storage, { workspace: 'ws1', dataset: 'visits', column: 'x', recordId: '1' }, 'kept elsewhere');
      const r = await shredDataset(t.rt.keys, t.instance.storage, t.instance.audit, { actor: 'tester', requestId: 'r1' }, 'ws1', 'visits');
      expect(r).toMatchObject({ versions: 1, cells: 1 });
      const versions = await t.instance.storage.read.keys.versions('ws1', 'ds.visits');
      expect(versions.every((v) => v.state === 'destroyed' && v.wrapped === null)).toBe(true);
      // A fresh process (no cache) cannot decrypt a copy of the ciphertext kept elsewhere.
      const fresh = await openKeys(t.dataDir, t.instance.storage, t.instance.clock, t.env);
      try {
        await expect(fresh.keys.decryptField(t.instance.storage, { workspace: 'ws1', dataset: 'visits', column: 'x', recordId: '1' }, text)).rejects.toMatchObject({
          code: 'HAVEN_CRYPTO_DECRYPT_FAILED',
        });
        await expect(fresh.keys.encryptField(t.instance.storage, { workspace: 'ws1', dataset: 'visits', column: 'x', recordId: '1' }, 'new')).rejects.toMatchObject({
          code: 'HAVEN_KEYS_KEY_DESTROYED',
        });
      } finally {
        await fresh.close();
      }
      const entries = await t.instance.storage.read.audit.page(0, 1000);
      expect(entries.some((e) => e.action === 'keys.shred-dataset' && e.outcome === 'success' && e.resource === 'dataset:ws1/visits')).toBe(true);
    });

    it('never stores seeded canaries in plaintext', async () => {
      const canaries = Array.from({ length: 20 }, (_, i) => `CANARY${i}xq${store.name}PLAINTEXT`);
      await t.rt.vault.protect(
        t.instance.storage,
        'ws1',
        'patients',
        canaries.map((value, i) => ({ column: 'Last', recordId: String(i), value })),
      );
      await t.rt.blobs.put('ws1', 'upload', Buffer.from(canaries.join('\n')));
      if (store.name === 'sqlite') {
        await rawSql(t, ['pragma wal_checkpoint(TRUNCATE)']);
        const files = ['haven.db', 'haven.db-wal'].map((f) => join(t.dataDir, f));
        const text = execFileSync('strings', ['-n', '6', ...files.filter((f) => { try { return statSync(f).size >= 0; } catch { return false; } })]).toString();
        expect(text.length).toBeGreaterThan(0);
        for (const c of canaries) {
          expect(text).not.toContain(c);
        }
        for (const f of files) {
          try {
            expect(readFileSync(f).includes(Buffer.from('CANARY'))).toBe(false);
          } catch (err) {
            if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
              throw err;
            }
          }
        }
      } else {
        const { url, schema } = t.instance.config.database;
        const dump = execFileSync('pg_dump', ['-h', '127.0.0.1', '-U', 'postgres', '-n', schema!, new URL(url!).pathname.slice(1)]).toString();
        expect(dump).toContain('protected_field');
        expect(dump).not.toContain('CANARY');
      }
      const blobDir = join(t.dataDir, 'blobs');
      const blobText = execFileSync('sh', ['-c', `cat "${blobDir}"/* | strings -n 6`]).toString();
      expect(blobText).not.toContain('CANARY');
    });
  });
}
