import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { registerBackupCommand } from '../../src/faces/cli/commands/backup-command.js';
import { registerKeysCommand } from '../../src/faces/cli/commands/keys-command.js';
import type { CliIo } from '../../src/faces/cli/cli-context.js';
import { testStores } from '../helpers/stores.js';
import { createKeysInstance } from './keys-helpers.js';

async function run(args: string[], env: Record<string, string>): Promise<string[]> {
  const lines: string[] = [];
  const io: CliIo = { out: (l) => lines.push(l), err: (l) => lines.push(l), env };
  const program = new Command('haven').exitOverride();
  registerKeysCommand(program, io);
  registerBackupCommand(program, io);
  await program.parseAsync(args, { from: 'user' });
  return lines;
}

for (const store of testStores()) {
  describe(`haven keys / backup commands [${store.name}]`, () => {
    afterAll(() => store.cleanup());

    it('shows status, rotates, re-encrypts and backs up through the CLI, printing no key material', async () => {
      const t = await createKeysInstance(store);
      const work = mkdtempSync(join(tmpdir(), 'haven-keys-cli-'));
      try {
        await t.rt.vault.protect(t.instance.storage, 'ws1', 'visits', [{ column: 'Last', recordId: '1', value: 'Hopper' }]);
        const env = { ...t.env };
        const status = await run(['keys', 'status', '--data-dir', t.dataDir], env);
        expect(status[0]).toBe('root key provider: local (root version 1)');
        expect(status.some((l) => l.startsWith('ws1\tds.visits\tv1\tactive\tused 1\t'))).toBe(true);
        const rotated = await run(['keys', 'rotate', '--data-dir', t.dataDir, '--all'], env);
        // pseudonym key v1 and the retired dataset DEK v1 move to the new KEK; DEK v2 is born under it
        expect(rotated).toEqual(['ws1: KEK v2, 1 data keys rotated, 2 re-wrapped, 1 old KEK versions destroyed']);
        const re = await run(['keys', 'reencrypt', '--data-dir', t.dataDir, '--workspace', 'ws1'], env);
        expect(re).toEqual(['ws1: re-encrypted 1 values and 0 blobs, destroyed 0 retired key versions']);
        const destroy = await run(['keys', 'reencrypt', '--data-dir', t.dataDir, '--workspace', 'ws1', '--destroy-unused'], env);
        expect(destroy).toEqual(['ws1: re-encrypted 0 values and 0 blobs, destroyed 1 retired key versions']);
        const after = await run(['keys', 'status', '--data-dir', t.dataDir, '--workspace', 'ws1'], env);
        expect(after.filter((l) => l.includes('ds.visits')).map((l) => l.split('\t').slice(2, 4).join(' '))).toEqual(['v1 destroyed', 'v2 active']);
        await expect(run(['keys', 'rotate', '--data-dir', t.dataDir], env)).rejects.toMatchObject({ code: 'HAVEN_USAGE' });
        await expect(run(['keys', 'status', '--data-dir', t.dataDir], { HAVEN_ROOT_PASSPHRASE: 'a wrong passphrase here' })).rejects.toMatchObject({
          code: 'HAVEN_CRYPTO_WRONG_PASSPHRASE',
        });
        const out = join(work, 'b.hvnb');
        const b = await run(['backup', '--data-dir', t.dataDir, '--out', out], env);
        expect(b[0]).toMatch(/^backup written: .* \(\d+ files, \d+ bytes\)$/);
        const all = [...status, ...rotated, ...re, ...after, ...b].join('\n');
        expect(all).not.toContain('Hopper');
        expect(all).not.toContain(t.env.HAVEN_ROOT_PASSPHRASE);
      } finally {
        rmSync(work, { recursive: true, force: true });
        await t.cleanup();
      }
    });
  });
}
