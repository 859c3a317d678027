import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backupInstance, openKeys, restoreInstance } from '../../src/composition/keys-setup.js';
import { openInstance } from '../../src/composition/open-instance.js';
import { rawSql } from '../helpers/raw-sql.js';
import { TEST_POSTGRES_URL, testStores } from '../helpers/stores.js';
import { createKeysInstance, type KeysTestInstance } from './keys-helpers.js';

for (const store of testStores()) {
  describe(`encrypted backup and restore [${store.name}]`, () => {
    let t: KeysTestInstance;
    let work: string;
    const schemas: string[] = [];
    beforeEach(async () => {
      t = await createKeysInstance(store);
      work = mkdtempSync(join(tmpdir(), 'haven-backup-'));
    });
    afterEach(async () => {
      await t.cleanup();
      rmSync(work, { recursive: true, force: true });
    });
    afterAll(async () => {
      for (const s of schemas.splice(0)) {
        await rawSql({ dataDir: work, database: { url: TEST_POSTGRES_URL } }, [`drop schema if exists "${s}" cascade`]);
      }
      await store.cleanup();
    });

    const canaries = Array.from({ length: 10 }, (_, i) => `BKCANARY${i}${randomBytes(4).toString('hex')}`);
    const restoreOpts = (target: string, env: Record<string, string>) => {
      if (store.name === 'postgres') {
        const schema = `haven_r_${randomBytes(5).toString('hex')}`;
        schemas.push(schema);
        return { inFile: join(work, 'b.hvnb'), targetDir: target, env, databaseSchema: schema };
      }
      return { inFile: join(work, 'b.hvnb'), targetDir: target, env };
    };

    it('backs up everything encrypted and restores it with the right passphrase', async () => {
      await t.rt.vault.protect(t.instance.storage, 'ws1', 'visits', canaries.map((value, i) => ({ column: 'Last', recordId: String(i), value })));
      const blob = await t.rt.blobs.put('ws1', 'upload', Buffer.from(canaries.join(',')));
      const out = join(work, 'b.hvnb');
      const r = await backupInstance(t.dataDir, out, t.env);
      expect(r.files).toBeGreaterThan(5);
      expect(statSync(out).mode & 0o777).toBe(0o600);
      const raw = readFileSync(out);
      const text = execFileSync('strings', ['-n', '6', out]).toString();
      for (const c of canaries) {
        expect(raw.includes(Buffer.from(c))).toBe(false);
        expect(text).not.toContain(c);
      }
      expect(raw.includes(Buffer.from('BEGIN PRIVATE KEY'))).toBe(false);
      await expect(backupInstance(t.dataDir, out, t.env)).rejects.toMatchObject({ code: 'HAVEN_USAGE' });

      const target = join(work, 'restored');
      const restored = await restoreInstance(restoreOpts(target, t.env));
      expect(restored.store).toBe(store.name);
      expect(statSync(target).mode & 0o777).toBe(0o700);
      const inst = await openInstance(target, { env: {} });
      try {
        const rt = await openKeys(target, inst.storage, inst.clock, t.env);
        try {
          for (const [i, c] of canaries.entries()) {
            expect((await rt.vault.reveal(inst.storage, 'ws1', 'visits', 'Last', String(i)))?.toString()).toBe(c);
          }
          expect((await rt.blobs.read(blob.id)).toString()).toBe(canaries.join(','));
        } finally {
          await rt.close();
        }
        const verify = await inst.audit.verify(inst.storage);
        expect(verify.ok).toBe(true);
        expect(verify.entries).toBe((await t.instance.audit.verify(t.instance.storage)).entries);
      } finally {
        await inst.close();
      }
    });

    it('fails cleanly with a wrong passphrase, a damaged file or a non-empty target, writing nothing', async () => {
      await t.rt.vault.protect(t.instance.storage, 'ws1', 'visits', [{ column: 'Last', recordId: '1', value: canaries[0]! }]);
      const out = join(work, 'b.hvnb');
      await backupInstance(t.dataDir, out, t.env);
      const target = join(work, 'restored');
      await expect(restoreInstance(restoreOpts(target, { HAVEN_ROOT_PASSPHRASE: 'not the passphrase at all' }))).rejects.toMatchObject({
        code: 'HAVEN_CRYPTO_WRONG_PASSPHRASE',
      });
      expect(readdirSync(work)).toEqual(['b.hvnb']);

      const good = readFileSync(out);
      for (const at of [good.length - 5, Math.floor(good.length / 2), 20]) {
        const bad = Buffer.from(good);
        bad[at] = bad[at]! ^ 0x40;
        writeFileSync(out, bad);
        await expect(restoreInstance(restoreOpts(target, t.env))).rejects.toMatchObject({ code: expect.stringMatching(/^HAVEN_(KEYS_BACKUP_INVALID|KEYS_KEYSTORE_INVALID|CRYPTO_)/) });
        expect(readdirSync(work)).toEqual(['b.hvnb']);
      }
      writeFileSync(out, good.subarray(0, good.length - 100));
      await expect(restoreInstance(restoreOpts(target, t.env))).rejects.toMatchObject({ code: 'HAVEN_KEYS_BACKUP_INVALID' });
      expect(readdirSync(work)).toEqual(['b.hvnb']);

      writeFileSync(out, good);
      mkdirSync(target);
      writeFileSync(join(target, 'x'), 'x');
      await expect(restoreInstance(restoreOpts(target, t.env))).rejects.toMatchObject({ code: 'HAVEN_KEYS_RESTORE_TARGET_NOT_EMPTY' });
      expect(readdirSync(target)).toEqual(['x']);
      expect(existsSync(join(work, 'b.hvnb'))).toBe(true);
    });
  });
}
