import type { Command } from 'commander';
import { openKeys } from '../../../composition/keys-setup.js';
import { openInstance } from '../../../composition/open-instance.js';
import { changeRootPassphrase } from '../../../composition/root-passphrase.js';
import { ttyPrompt } from '../../../adapters/keys/tty-prompt.js';
import { HavenError } from '../../../errors/haven-error.js';
import { rotationDecision } from '../../../libs/crypto/usage-counter.js';
import { SYSTEM_WORKSPACE } from '../../../services/keys/key-ids.js';
import { completeRotation, rotateWorkspace } from '../../../services/keys/key-rotation.js';
import { reencryptWorkspace } from '../../../services/keys/reencrypt-job.js';
import type { Storage } from '../../../services/ports.js';
import { dataDirFrom, type CliIo } from '../cli-context.js';

interface KeysOpts {
  dataDir?: string;
  workspace?: string;
  all?: boolean;
  includeBlobs?: boolean;
  resume?: boolean;
  destroyUnused?: boolean;
}

async function workspacesOf(storage: Storage, opts: KeysOpts): Promise<string[]> {
  if (opts.workspace) {
    return [opts.workspace];
  }
  if (!opts.all) {
    throw new HavenError('HAVEN_USAGE', 'name a workspace with --workspace W, or use --all');
  }
  const live = (await storage.read.keys.list()).filter((k) => k.purpose === 'workspace-kek' && k.state !== 'destroyed');
  return [...new Set(live.map((k) => k.workspace))].filter((w) => w !== SYSTEM_WORKSPACE);
}

async function withKeys<T>(io: CliIo, opts: KeysOpts, fn: (ctx: Awaited<ReturnType<typeof open>>) => Promise<T>): Promise<T> {
  const ctx = await open(io, opts);
  try {
    return await fn(ctx);
  } finally {
    await ctx.rt.close();
    await ctx.instance.close();
  }
}

async function open(io: CliIo, opts: KeysOpts) {
  const dataDir = dataDirFrom(opts.dataDir, io.env);
  const instance = await openInstance(dataDir, { env: io.env });
  try {
    const prompt = ttyPrompt();
    const rt = await openKeys(dataDir, instance.storage, instance.clock, io.env, prompt ? { prompt } : {});
    return { instance, rt };
  } catch (err) {
    await instance.close();
    throw err;
  }
}

/**
 * `haven keys status|rotate|reencrypt|passphrase`: inspect the key hierarchy, rotate KEKs and DEKs (re-wrapping
 * without downtime), re-encrypt values under the new versions in the background (resumable) and change the root
 * key passphrase.
 * @param program - the CLI program
 * @param io - output and environment
 */
export function registerKeysCommand(program: Command, io: CliIo): void {
  const keys = program.command('keys').description('key hierarchy: status, rotation, re-encryption, root passphrase');
  keys
    .command('status')
    .description('list key versions with their state, usage and rotation advice (never key material)')
    .option('--data-dir <dir>', 'data directory (or HAVEN_DATA_DIR)')
    .option('--workspace <id>', 'only this workspace')
    .action((opts: KeysOpts) =>
      withKeys(io, opts, async ({ instance, rt }) => {
        io.out(`root key provider: ${rt.keys.root.kind} (root version ${rt.keys.root.rootVersion})`);
        const now = instance.clock.now().getTime();
        for (const k of await instance.storage.read.keys.list(opts.workspace)) {
          const created = Date.parse(k.createdAt);
          const advice = k.state === 'active' && now >= created ? rotationDecision({ invocations: k.invocations, createdAtMs: created }, now, rt.keys.policy).status : '-';
          const days = Math.floor((now - created) / 86_400_000);
          io.out(`${k.workspace}\t${k.keyId}\tv${k.version}\t${k.state}\tused ${k.invocations}\tage ${days}d\t${advice}`);
        }
      }),
    );
  keys
    .command('rotate')
    .description('new KEK and dataset DEK versions; re-wraps every key under the new KEK; destroys the old KEK')
    .option('--data-dir <dir>', 'data directory (or HAVEN_DATA_DIR)')
    .option('--workspace <id>', 'the workspace to rotate')
    .option('--all', 'every workspace')
    .option('--include-blobs', 'also give blob DEKs new versions (then run keys reencrypt)')
    .option('--resume', 'only finish an interrupted rotation (re-wrap and destroy), no new versions')
    .action((opts: KeysOpts) =>
      withKeys(io, opts, async ({ instance, rt }) => {
        for (const ws of await workspacesOf(instance.storage, opts)) {
          if (opts.resume) {
            const r = await completeRotation(rt.keys, instance.storage, ws);
            io.out(`${ws}: re-wrapped ${r.rewrapped} keys, destroyed ${r.destroyed} old KEK versions`);
            continue;
          }
          const r = await rotateWorkspace(rt.keys, instance.storage, instance.audit, ws, {
            purposes: opts.includeBlobs ? ['dataset-dek', 'artifact-dek'] : ['dataset-dek'],
            actor: 'haven-cli',
          });
          io.out(`${ws}: KEK v${r.kekVersion}, ${r.rotatedKeys} data keys rotated, ${r.rewrapped} re-wrapped, ${r.destroyedKekVersions} old KEK versions destroyed`);
        }
      }),
    );
  keys
    .command('reencrypt')
    .description('re-encrypt every stored value (vault, dataset rows, quarantined rows, encounter names) and blobs under the current key versions (resumable)')
    .option('--data-dir <dir>', 'data directory (or HAVEN_DATA_DIR)')
    .option('--workspace <id>', 'the workspace')
    .option('--all', 'every workspace')
    .option('--destroy-unused', 'destroy retired dataset key versions that no stored value uses any more (vault, rows, quarantine, encounters)')
    .action((opts: KeysOpts) =>
      withKeys(io, opts, async ({ instance, rt }) => {
        for (const ws of await workspacesOf(instance.storage, opts)) {
          const r = await reencryptWorkspace(rt.keys, instance.storage, instance.audit, ws, {
            actor: 'haven-cli',
            ...(opts.destroyUnused ? { usageCounters: [] } : {}),
          });
          const blobs = await rt.blobs.reencrypt(ws);
          io.out(`${ws}: re-encrypted ${r.reencrypted} values and ${blobs} blobs, destroyed ${r.destroyedVersions} retired key versions`);
        }
      }),
    );
  keys
    .command('passphrase')
    .description(
      'change the root key passphrase (local keystore): the current one as usual, the new one from HAVEN_NEW_ROOT_PASSPHRASE, HAVEN_NEW_ROOT_PASSPHRASE_FILE (path or fd) or the terminal',
    )
    .option('--data-dir <dir>', 'data directory (or HAVEN_DATA_DIR)')
    .action(async (opts: KeysOpts) => {
      const dataDir = dataDirFrom(opts.dataDir, io.env);
      const instance = await openInstance(dataDir, { env: io.env });
      try {
        const prompt = ttyPrompt();
        const r = await changeRootPassphrase(dataDir, instance.storage, instance.audit, io.env, prompt ? { prompt } : {});
        io.out(`root key passphrase changed (new passphrase from ${r.origin}); backups made before now still open with the old passphrase`);
      } finally {
        await instance.close();
      }
    });
}
