import { hasKeystore, readKeystore, writeKeystore } from '../adapters/keys/keystore-file.js';
import { restoreBackup, writeBackup } from '../adapters/blobs/backup-archive.js';
import type { RestoreOptions } from '../adapters/blobs/backup-archive.js';
import { assertDataDir } from '../adapters/datadir/data-dir.js';
import { loadConfig } from '../config/load.js';
import type { Pkcs11Location } from '../adapters/keys/keystore-file.js';
import { createLocalRoot } from '../adapters/keys/local-root-provider.js';
import { openRootProvider, pkcs11Pin } from '../adapters/keys/open-root-provider.js';
import { MIN_PASSPHRASE_LENGTH, findPassphrase, generatePassphrase } from '../adapters/keys/passphrase-source.js';
import type { PassphraseOrigin, PassphrasePrompt } from '../adapters/keys/passphrase-source.js';
import { createPkcs11Root } from '../adapters/keys/pkcs11-root-provider.js';
import { EncryptedBlobStore } from '../adapters/blobs/encrypted-blob-store.js';
import { HavenError } from '../errors/haven-error.js';
import type { ScryptParams } from '../libs/crypto/passphrase-kdf.js';
import type { AuditService } from '../services/audit/audit-service.js';
import { FieldVault } from '../services/keys/field-vault.js';
import { SYSTEM_WORKSPACE } from '../services/keys/key-ids.js';
import { KeyService } from '../services/keys/key-service.js';
import type { KeyServiceOptions } from '../services/keys/key-service.js';
import type { RootKeyProvider } from '../services/keys/root-key-provider.js';
import type { Clock, Storage } from '../services/ports.js';

// The composition root is where the real time enters.
const wallClock: Clock = { now: () => new Date() };

/** The environment as the composition root sees it. */
export type Env = Readonly<Record<string, string | undefined>>;

/** Options of setUpKeysAtInit. */
export interface KeysInitOptions {
  /** Root key provider (default local). */
  readonly provider?: 'local' | 'pkcs11';
  /** scrypt parameters for the local keystore (default N = 2^17; tests pass N = 2^15). */
  readonly scryptParams?: ScryptParams;
  /** Token and key for the pkcs11 provider (PIN from HAVEN_PKCS11_PIN / HAVEN_PKCS11_PIN_FILE). */
  readonly pkcs11?: Pkcs11Location;
  /** Terminal prompt for a passphrase (only when stdin is a terminal). */
  readonly prompt?: PassphrasePrompt;
  /** Ledger, to record the key setup. */
  readonly audit?: AuditService;
  /** Time source (default: the wall clock). */
  readonly clock?: Clock;
}

/** What key setup produced. `generatedPassphrase` must be shown once and never stored. */
export interface KeysInitResult {
  readonly provider: 'local' | 'pkcs11';
  readonly generatedPassphrase: string | undefined;
  readonly passphraseOrigin: PassphraseOrigin | undefined;
}

/**
 * Create the root key (local keystore sealed by a passphrase, or a non-extractable key in a PKCS#11 token), write
 * the keystore file (0600) and create the system workspace KEK. With no passphrase given (env, file, terminal), a
 * strong one is generated and returned to print once.
 * @param dataDir - the data directory (already created by init)
 * @param storage - the migrated database
 * @param env - environment (HAVEN_ROOT_PASSPHRASE, HAVEN_ROOT_PASSPHRASE_FILE, HAVEN_PKCS11_PIN…)
 * @param opts - provider choice, scrypt parameters, prompt, ledger
 */
export async function setUpKeysAtInit(dataDir: string, storage: Storage, env: Env, opts: KeysInitOptions = {}): Promise<KeysInitResult> {
  if (hasKeystore(dataDir)) {
    throw new HavenError('HAVEN_KEYS_ALREADY_INITIALISED');
  }
  const provider = opts.provider ?? 'local';
  let root: RootKeyProvider;
  let generatedPassphrase: string | undefined;
  let passphraseOrigin: PassphraseOrigin | undefined;
  if (provider === 'pkcs11') {
    if (opts.pkcs11 === undefined) {
      throw new HavenError('HAVEN_USAGE', 'the pkcs11 provider needs a module, token label and key label');
    }
    const created = createPkcs11Root(opts.pkcs11, pkcs11Pin(env));
    writeKeystore(dataDir, created.keystore);
    root = created.provider;
  } else {
    const found = await findPassphrase(env, opts.prompt);
    if (found !== undefined && found.value.length < MIN_PASSPHRASE_LENGTH) {
      throw new HavenError('HAVEN_KEYS_PASSPHRASE_WEAK');
    }
    generatedPassphrase = found === undefined ? generatePassphrase() : undefined;
    passphraseOrigin = found?.origin ?? 'generated';
    const created = await createLocalRoot(found?.value ?? generatedPassphrase!, opts.scryptParams);
    writeKeystore(dataDir, created.keystore);
    root = created.provider;
  }
  const keys = new KeyService(root, opts.clock ?? wallClock);
  try {
    const event = { actor: 'haven-init', action: 'keys.init', resource: 'keys:root', requestId: 'init', detail: { provider } };
    const change = async (repos: Parameters<Parameters<Storage['transaction']>[0]>[0]): Promise<void> => {
      await keys.ensureWorkspace(repos, SYSTEM_WORKSPACE);
    };
    await (opts.audit ? opts.audit.withAudit(storage, event, change) : storage.transaction(change));
  } finally {
    await keys.close();
  }
  return { provider, generatedPassphrase, passphraseOrigin };
}

/** Key management wired for one open instance. */
export interface KeysRuntime {
  readonly keys: KeyService;
  readonly vault: FieldVault;
  readonly blobs: EncryptedBlobStore;
  close(): Promise<void>;
}

/**
 * Open the key hierarchy of an instance: read the keystore, open the root provider (passphrase or PIN from the
 * environment or a terminal prompt), and build the key service, the identifier vault and the blob store.
 * @param dataDir - the data directory
 * @param storage - the database
 * @param clock - time source
 * @param env - environment
 * @param opts - terminal prompt, key-service options
 */
export async function openKeys(
  dataDir: string,
  storage: Storage,
  clock: Clock,
  env: Env,
  opts: { prompt?: PassphrasePrompt; keyOptions?: KeyServiceOptions } = {},
): Promise<KeysRuntime> {
  const root = await openRootProvider(dataDir, env, opts.prompt);
  const keys = new KeyService(root, clock, opts.keyOptions);
  return { keys, vault: new FieldVault(keys), blobs: new EncryptedBlobStore(dataDir, keys, storage), close: () => keys.close() };
}

/**
 * Open only the key service (for callers that need field encryption).
 * @param dataDir - the data directory
 * @param storage - the database
 * @param clock - time source
 * @param env - environment
 */
export async function openKeyService(dataDir: string, storage: Storage, clock: Clock, env: Env): Promise<KeyService> {
  return (await openKeys(dataDir, storage, clock, env)).keys;
}

/**
 * `haven backup`: write an encrypted backup of a data directory and its database.
 * @param dataDir - the data directory
 * @param outFile - the backup file to create (must not exist)
 * @param env - environment (root passphrase or PIN, database settings)
 * @param opts - terminal prompt, clock
 */
export async function backupInstance(
  dataDir: string,
  outFile: string,
  env: Env,
  opts: { prompt?: PassphrasePrompt; clock?: Clock } = {},
): Promise<{ files: number; bytes: number }> {
  assertDataDir(dataDir);
  const config = loadConfig(dataDir, env);
  const keystore = readKeystore(dataDir);
  const root = await openRootProvider(dataDir, env, opts.prompt);
  try {
    return await writeBackup({ dataDir, outFile, config, keystore, root, nowIso: (opts.clock ?? wallClock).now().toISOString() });
  } finally {
    await root.close();
  }
}

/**
 * `haven restore`: recover a data directory (and, for PostgreSQL, the schema) from a backup into an empty place.
 * @param opts - backup file, target directory, environment, prompt, schema override
 */
export function restoreInstance(opts: RestoreOptions): Promise<{ files: number; store: 'sqlite' | 'postgres' }> {
  return restoreBackup(opts);
}
