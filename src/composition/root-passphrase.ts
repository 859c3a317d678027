import { rmSync } from 'node:fs';
import { timingSafeEqual } from 'node:crypto';
import { readKeystore } from '../adapters/keys/keystore-file.js';
import { commitKeystore, discardStagedKeystores, keystoreBytes, stageKeystore } from '../adapters/keys/keystore-reseal.js';
import { requireNewPassphrase } from '../adapters/keys/new-passphrase-source.js';
import { requirePassphrase } from '../adapters/keys/passphrase-source.js';
import type { PassphraseOrigin, PassphrasePrompt } from '../adapters/keys/passphrase-source.js';
import { HavenError } from '../errors/haven-error.js';
import { sealRootKeyAsync, unsealRootKeyAsync } from '../libs/crypto/passphrase-kdf.js';
import type { ScryptParams } from '../libs/crypto/passphrase-kdf.js';
import type { AuditService } from '../services/audit/audit-service.js';
import type { Storage } from '../services/ports.js';

/** Options of changeRootPassphrase. */
export interface PassphraseChangeOptions {
  /** Terminal prompt (current passphrase, then the new one twice), when there is a terminal. */
  readonly prompt?: PassphrasePrompt;
  /** Who asks (ledger). */
  readonly actor?: string;
}

/** What a passphrase change did (never the passphrases). */
export interface PassphraseChangeReport {
  /** Where the new passphrase came from. */
  readonly origin: PassphraseOrigin;
  /** Staged keystores of earlier interrupted changes that were removed. */
  readonly discardedStaged: number;
}

function kdfParamsOf(sealed: string): ScryptParams {
  // unsealRootKeyAsync has already parsed and checked this blob; only the parameters are read here.
  const kdf = (JSON.parse(sealed) as { kdf: ScryptParams }).kdf;
  return { N: kdf.N, r: kdf.r, p: kdf.p };
}

/**
 * Change the root key passphrase of the local keystore: unseal the root key with the current passphrase (env /
 * file / fd / prompt, as always), seal the same root key under the new one (HAVEN_NEW_ROOT_PASSPHRASE /
 * HAVEN_NEW_ROOT_PASSPHRASE_FILE / prompt twice; never config or argv), check the new seal opens, then replace the
 * keystore crash-safely (staged 0600 file, fsync, rename, directory fsync) inside an audited transaction. A wrong
 * current passphrase, a missing, weak or unchanged new one, or a keystore changed meanwhile write nothing; if the
 * ledger entry cannot be committed after the rename, the old keystore is put back. Data keys are untouched: the
 * root key itself does not change, so every value keeps decrypting.
 * @param dataDir - the data directory
 * @param storage - the database (ledger)
 * @param audit - the ledger
 * @param env - environment (current and new passphrase)
 * @param opts - terminal prompt, actor
 */
export async function changeRootPassphrase(
  dataDir: string,
  storage: Storage,
  audit: AuditService,
  env: Readonly<Record<string, string | undefined>>,
  opts: PassphraseChangeOptions = {},
): Promise<PassphraseChangeReport> {
  const event = { actor: opts.actor ?? 'haven-cli', action: 'keys.passphrase-change', resource: 'keys:root', requestId: 'keys-passphrase' };
  let prepared: { staged: string; before: Buffer; origin: PassphraseOrigin; discarded: number };
  try {
    prepared = await prepare(dataDir, env, opts.prompt);
  } catch (err) {
    const code = err instanceof HavenError ? err.code : 'HAVEN_INTERNAL';
    await audit.record(storage, { ...event, outcome: 'failure', detail: { code } });
    throw err;
  }
  const { staged, before, origin, discarded } = prepared;
  let committed = false;
  try {
    await audit.withAudit(storage, { ...event, detail: { provider: 'local', origin } }, async () => {
      if (!keystoreBytes(dataDir).equals(before)) {
        throw new HavenError('HAVEN_KEYS_KEYSTORE_CHANGED');
      }
      commitKeystore(dataDir, staged);
      committed = true;
    });
  } catch (err) {
    if (committed) {
      // The ledger did not take the change: put the old keystore back (crash-safely too).
      commitKeystore(dataDir, stageKeystore(dataDir, before));
    }
    throw err;
  } finally {
    if (!committed) {
      rmSync(staged, { force: true });
    }
  }
  return { origin, discardedStaged: discarded };
}

async function prepare(
  dataDir: string,
  env: Readonly<Record<string, string | undefined>>,
  prompt: PassphrasePrompt | undefined,
): Promise<{ staged: string; before: Buffer; origin: PassphraseOrigin; discarded: number }> {
  const keystore = readKeystore(dataDir);
  if (keystore.provider !== 'local') {
    throw new HavenError('HAVEN_KEYS_PASSPHRASE_NOT_APPLICABLE');
  }
  const before = keystoreBytes(dataDir);
  const current = await requirePassphrase(env, prompt);
  const root = await unsealRootKeyAsync(current.value, keystore.sealed);
  try {
    const next = await requireNewPassphrase(env, prompt);
    if (next.value.normalize('NFC') === current.value.normalize('NFC')) {
      throw new HavenError('HAVEN_KEYS_PASSPHRASE_UNCHANGED');
    }
    const sealed = await sealRootKeyAsync(next.value, root, { params: kdfParamsOf(keystore.sealed) });
    const check = await unsealRootKeyAsync(next.value, sealed);
    try {
      if (!timingSafeEqual(check, root)) {
        throw new HavenError('HAVEN_KEYS_KEYSTORE_INVALID', undefined, { detail: { reason: 'reseal' } });
      }
    } finally {
      check.fill(0);
    }
    const discarded = discardStagedKeystores(dataDir);
    return { staged: stageKeystore(dataDir, { ...keystore, sealed }), before, origin: next.origin, discarded };
  } finally {
    root.fill(0);
  }
}
