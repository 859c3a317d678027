import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stageKeystore } from '../../src/adapters/keys/keystore-reseal.js';
import { readKeystore, writeKeystore } from '../../src/adapters/keys/keystore-file.js';
import { openKeys } from '../../src/composition/keys-setup.js';
import { changeRootPassphrase } from '../../src/composition/root-passphrase.js';
import { registerKeysCommand } from '../../src/faces/cli/commands/keys-command.js';
import type { CliIo } from '../../src/faces/cli/cli-context.js';
import { sealRootKeyAsync, unsealRootKeyAsync } from '../../src/libs/crypto/passphrase-kdf.js';
import { CLI } from '../helpers/cli.js';
import { rawSql } from '../helpers/raw-sql.js';
import { testStores } from '../helpers/stores.js';
import { TEST_PASSPHRASE, TEST_SCRYPT, createKeysInstance, type KeysTestInstance } from './keys-helpers.js';

const NEW_PASSPHRASE = 'a brand new root passphrase 2024';
const KEYSTORE = 'keys/root-keystore.json';

async function run(args: string[], env: Record<string, string>): Promise<string[]> {
  const lines: string[] = [];
  const io: CliIo = { out: (l) => lines.push(l), err: (l) => lines.push(l), env };
  const program = new Command('haven').exitOverride();
  registerKeysCommand(program, io);
  program.commands.forEach((c) => c.exitOverride().commands.forEach((s) => s.exitOverride()));
  await program.parseAsync(args, { from: 'user' });
  return lines;
}

const staged = (t: KeysTestInstance) => readdirSync(join(t.dataDir, 'keys')).filter((f) => f.startsWith('root-keystore.json.tmp-'));

for (const store of testStores()) {
  describe(`root passphrase change [${store.name}]`, () => {
    let t: KeysTestInstance;
    let cellText: string;
    const cell = { workspace: 'ws1', dataset: 'visits', column: 'Last', recordId: '9' };
    beforeEach(async () => {
      t = await createKeysInstance(store);
      await t.rt.vault.protect(t.instance.storage, 'ws1', 'visits', [{ column: 'Last', recordId: '1', value: 'Lovelace' }]);
      cellText = await t.rt.keys.encryptField(t.instance.storage, cell, 'Hopper');
    });
    afterEach(() => t.cleanup());
    afterAll(() => store.cleanup());

    /** Whether a passphrase opens the keystore, and if so, that every value still decrypts (fresh key service). */
    async function opensWith(passphrase: string): Promise<boolean> {
      let rt;
      try {
        rt = await openKeys(t.dataDir, t.instance.storage, t.instance.clock, { HAVEN_ROOT_PASSPHRASE: passphrase });
      } catch (err) {
        expect(err).toMatchObject({ code: 'HAVEN_CRYPTO_WRONG_PASSPHRASE' });
        return false;
      }
      try {
        expect((await rt.vault.reveal(t.instance.storage, 'ws1', 'visits', 'Last', '1'))?.toString()).toBe('Lovelace');
        expect((await rt.keys.decryptField(t.instance.storage, cell, cellText)).toString()).toBe('Hopper');
        return true;
      } finally {
        await rt.close();
      }
    }

    it('re-seals the keystore: the old passphrase no longer opens it, every value decrypts with the new one, and the ledger records it', async () => {
      const before = readFileSync(join(t.dataDir, KEYSTORE));
      const r = await changeRootPassphrase(t.dataDir, t.instance.storage, t.instance.audit, {
        HAVEN_ROOT_PASSPHRASE: TEST_PASSPHRASE,
        HAVEN_NEW_ROOT_PASSPHRASE: NEW_PASSPHRASE,
      });
      expect(r).toEqual({ origin: 'env', discardedStaged: 0 });
      const after = readFileSync(join(t.dataDir, KEYSTORE));
      expect(after.equals(before)).toBe(false);
      expect(statSync(join(t.dataDir, KEYSTORE)).mode & 0o777).toBe(0o600);
      const resealed = readKeystore(t.dataDir);
      expect(resealed).toMatchObject({ provider: 'local', rootVersion: 1 });
      // The same scrypt cost as before (never weaker), a fresh salt.
      expect(resealed.provider === 'local' && (JSON.parse(resealed.sealed) as { kdf: { N: number } }).kdf.N).toBe(TEST_SCRYPT.N);
      expect(staged(t)).toEqual([]);
      expect(await opensWith(TEST_PASSPHRASE)).toBe(false);
      expect(await opensWith(NEW_PASSPHRASE)).toBe(true);
      // Key rows are untouched: the root key itself did not change.
      const entries = await t.instance.storage.read.audit.page(0, 100_000);
      expect(entries.filter((e) => e.action === 'keys.passphrase-change')).toMatchObject([
        { outcome: 'success', resource: 'keys:root', detail: { provider: 'local', origin: 'env' } },
      ]);
      const ledger = JSON.stringify(entries);
      expect(ledger).not.toContain(NEW_PASSPHRASE);
      expect(ledger).not.toContain(TEST_PASSPHRASE);

      // Through the CLI, the new passphrase from a file, back to the first one; no passphrase in the output.
      const work = mkdtempSync(join(tmpdir(), 'haven-pass-'));
      try {
        writeFileSync(join(work, 'new'), `${TEST_PASSPHRASE}\n`, { mode: 0o600 });
        const out = await run(['keys', 'passphrase', '--data-dir', t.dataDir], {
          HAVEN_ROOT_PASSPHRASE: NEW_PASSPHRASE,
          HAVEN_NEW_ROOT_PASSPHRASE_FILE: join(work, 'new'),
        });
        expect(out).toEqual(['root key passphrase changed (new passphrase from file); backups made before now still open with the old passphrase']);
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
      expect(await opensWith(NEW_PASSPHRASE)).toBe(false);
      expect(await opensWith(TEST_PASSPHRASE)).toBe(true);
    });

    it('refuses a wrong current passphrase and a missing, short, unchanged or mistyped new one, writing nothing but a failure record', async () => {
      const before = readFileSync(join(t.dataDir, KEYSTORE));
      const change = (env: Record<string, string>, prompt?: (q: string) => Promise<string | undefined>) =>
        changeRootPassphrase(t.dataDir, t.instance.storage, t.instance.audit, env, prompt ? { prompt } : {});
      const cases: [Record<string, string>, string][] = [
        [{ HAVEN_ROOT_PASSPHRASE: 'not the right passphrase', HAVEN_NEW_ROOT_PASSPHRASE: NEW_PASSPHRASE }, 'HAVEN_CRYPTO_WRONG_PASSPHRASE'],
        [{ HAVEN_NEW_ROOT_PASSPHRASE: NEW_PASSPHRASE }, 'HAVEN_KEYS_PASSPHRASE_MISSING'],
        [{ HAVEN_ROOT_PASSPHRASE: TEST_PASSPHRASE }, 'HAVEN_KEYS_NEW_PASSPHRASE_MISSING'],
        [{ HAVEN_ROOT_PASSPHRASE: TEST_PASSPHRASE, HAVEN_NEW_ROOT_PASSPHRASE_FILE: '/nonexistent/new-passphrase' }, 'HAVEN_KEYS_NEW_PASSPHRASE_MISSING'],
        [{ HAVEN_ROOT_PASSPHRASE: TEST_PASSPHRASE, HAVEN_NEW_ROOT_PASSPHRASE: 'too short' }, 'HAVEN_KEYS_PASSPHRASE_WEAK'],
        [{ HAVEN_ROOT_PASSPHRASE: TEST_PASSPHRASE, HAVEN_NEW_ROOT_PASSPHRASE: TEST_PASSPHRASE }, 'HAVEN_KEYS_PASSPHRASE_UNCHANGED'],
      ];
      for (const [env, code] of cases) {
        await expect(change(env), code).rejects.toMatchObject({ code });
      }
      // On a terminal the new passphrase is asked twice; a mistyped confirmation changes nothing.
      const answers = ['the first new passphrase typed', 'the second one differs entirely'];
      await expect(change({ HAVEN_ROOT_PASSPHRASE: TEST_PASSPHRASE }, () => Promise.resolve(answers.shift()))).rejects.toMatchObject({
        code: 'HAVEN_KEYS_PASSPHRASE_MISMATCH',
      });
      // The new passphrase is never taken from the command line.
      await expect(
        run(['keys', 'passphrase', '--data-dir', t.dataDir, '--new-passphrase', NEW_PASSPHRASE], { HAVEN_ROOT_PASSPHRASE: TEST_PASSPHRASE }),
      ).rejects.toMatchObject({
        code: 'commander.unknownOption',
      });
      expect(readFileSync(join(t.dataDir, KEYSTORE)).equals(before)).toBe(true);
      expect(staged(t)).toEqual([]);
      expect(await opensWith(TEST_PASSPHRASE)).toBe(true);
      const failures = (await t.instance.storage.read.audit.page(0, 100_000)).filter((e) => e.action === 'keys.passphrase-change');
      expect(failures.map((e) => [e.outcome, e.detail.code])).toEqual([
        ...cases.map(([, code]) => ['failure', code]),
        ['failure', 'HAVEN_KEYS_PASSPHRASE_MISMATCH'],
      ]);
      expect(JSON.stringify(failures)).not.toContain(NEW_PASSPHRASE);

      // An HSM-held root key has no passphrase to change.
      const local = readKeystore(t.dataDir);
      writeKeystore(t.dataDir, {
        format: 'haven-keystore',
        version: 1,
        provider: 'pkcs11',
        rootVersion: 1,
        pkcs11: { library: '/nonexistent.so', tokenLabel: 't', keyLabel: 'k' },
      });
      await expect(change({ HAVEN_ROOT_PASSPHRASE: TEST_PASSPHRASE, HAVEN_NEW_ROOT_PASSPHRASE: NEW_PASSPHRASE })).rejects.toMatchObject({
        code: 'HAVEN_KEYS_PASSPHRASE_NOT_APPLICABLE',
      });
      writeKeystore(t.dataDir, local);
    });

    it('a crash before the rename leaves the old keystore usable; the next change discards the staged file', async () => {
      // What a change leaves behind when the process dies after staging, before the rename: the same root key
      // sealed under the new passphrase in a temporary file beside the keystore.
      const ks = readKeystore(t.dataDir);
      if (ks.provider !== 'local') {
        throw new Error('local keystore expected');
      }
      const root = await unsealRootKeyAsync(TEST_PASSPHRASE, ks.sealed);
      const leftover = stageKeystore(t.dataDir, { ...ks, sealed: await sealRootKeyAsync(NEW_PASSPHRASE, root, { params: TEST_SCRYPT }) });
      root.fill(0);
      expect(staged(t)).toHaveLength(1);
      expect(statSync(leftover).mode & 0o777).toBe(0o600);
      expect(await opensWith(TEST_PASSPHRASE)).toBe(true);
      expect(await opensWith(NEW_PASSPHRASE)).toBe(false);

      const r = await changeRootPassphrase(t.dataDir, t.instance.storage, t.instance.audit, {
        HAVEN_ROOT_PASSPHRASE: TEST_PASSPHRASE,
        HAVEN_NEW_ROOT_PASSPHRASE: NEW_PASSPHRASE,
      });
      expect(r.discardedStaged).toBe(1);
      expect(existsSync(leftover)).toBe(false);
      expect(staged(t)).toEqual([]);
      expect(await opensWith(NEW_PASSPHRASE)).toBe(true);
    });

    it('puts the old keystore back when the ledger cannot record the change', async () => {
      const before = readFileSync(join(t.dataDir, KEYSTORE));
      // A database that refuses the success entry (a trigger), as a full disk or a lost connection would.
      const refuse =
        store.name === 'sqlite'
          ? [
              "create trigger refuse_pass after insert on audit_log when new.action = 'keys.passphrase-change' and new.outcome = 'success' begin select raise(abort, 'refused'); end",
            ]
          : [
              "create function refuse_pass() returns trigger language plpgsql as $$ begin if new.action = 'keys.passphrase-change' and new.outcome = 'success' then raise exception 'refused'; end if; return new; end $$",
              'create trigger refuse_pass before insert on audit_log for each row execute function refuse_pass()',
            ];
      await rawSql(t, refuse);
      await expect(
        changeRootPassphrase(t.dataDir, t.instance.storage, t.instance.audit, {
          HAVEN_ROOT_PASSPHRASE: TEST_PASSPHRASE,
          HAVEN_NEW_ROOT_PASSPHRASE: NEW_PASSPHRASE,
        }),
      ).rejects.toMatchObject({ code: 'HAVEN_AUDIT_WRITE_FAILED' });
      expect(readFileSync(join(t.dataDir, KEYSTORE)).equals(before)).toBe(true);
      expect(staged(t)).toEqual([]);
      expect(await opensWith(TEST_PASSPHRASE)).toBe(true);
      expect(await opensWith(NEW_PASSPHRASE)).toBe(false);
    });

    it('kill -9 at random points of `haven keys passphrase` always leaves exactly one of the two passphrases working', { timeout: 300_000 }, async () => {
      expect(existsSync(CLI), 'build first: npx tsc -p tsconfig.json (npm test does)').toBe(true);
      const passphrases = [TEST_PASSPHRASE, NEW_PASSPHRASE];
      let current = 0;
      const change = (delayMs: number | undefined) =>
        new Promise<{ code: number | null; signal: string | null; ms: number }>((resolve, reject) => {
          const started = Date.now();
          const env = { PATH: process.env.PATH ?? '', HAVEN_ROOT_PASSPHRASE: passphrases[current]!, HAVEN_NEW_ROOT_PASSPHRASE: passphrases[1 - current]! };
          const child = spawn(process.execPath, [CLI, 'keys', 'passphrase', '--data-dir', t.dataDir], { env, stdio: 'ignore' });
          const timer = delayMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), delayMs);
          child.on('error', reject);
          child.on('close', (code, signal) => {
            clearTimeout(timer);
            resolve({ code, signal, ms: Date.now() - started });
          });
        });
      const full = await change(undefined);
      expect(full.code).toBe(0);
      current = 1;
      let killed = 0;
      for (let i = 0; i < 10; i++) {
        const r = await change(Math.floor(Math.random() * full.ms * 0.95));
        killed += r.signal === 'SIGKILL' ? 1 : 0;
        const oldWorks = await opensWith(passphrases[current]!);
        const newWorks = await opensWith(passphrases[1 - current]!);
        expect(oldWorks !== newWorks, `run ${i}: exactly one passphrase opens the keystore`).toBe(true);
        if (newWorks) {
          current = 1 - current;
        }
      }
      expect(killed).toBeGreaterThanOrEqual(3);
      // Whatever was left staged, the next change discards it and succeeds.
      expect((await change(undefined)).code).toBe(0);
      expect(staged(t)).toEqual([]);
      expect(await opensWith(passphrases[1 - current]!)).toBe(true);
    });
  });
}
