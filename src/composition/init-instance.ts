import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { CONFIG_FILE_NAME } from '../config/load.js';
import { createDataDir, DATA_DIR_LAYOUT, generateInstanceKeys, writePrivateFile } from '../adapters/datadir/data-dir.js';
import { generateTls } from '../adapters/datadir/tls-certificate.js';
import { HavenError } from '../errors/haven-error.js';
import { HAVEN_VERSION } from '../version.js';
import { setUpKeysAtInit, type KeysInitOptions } from './keys-setup.js';
import { openInstance, systemClock } from './open-instance.js';
import type { Clock } from '../services/ports.js';

/** The first site admin's user name. */
export const FIRST_ADMIN = 'admin';

/** What `haven init` produced; the first admin's generated password is shown once and never stored in clear. */
export interface InitResult {
  readonly dataDir: string;
  readonly instanceId: string;
  readonly adminUsername: string;
  readonly adminPassword: string;
  /** A root-key passphrase generated because none was given (show once, never store), or undefined. */
  readonly generatedPassphrase: string | undefined;
  readonly caFile: string;
}

/**
 * Initialise a data directory: layout with owner-only permissions, config file, TLS certificate,
 * ledger and identity keys, database with migrations, and the first site admin with a generated password that must be
 * changed, with MFA enrolment, at first login.
 * @param dataDir - directory to create
 * @param opts - `force` to replace an existing directory; `config` values for haven.json; env for the database URL
 */
export async function initInstance(
  dataDir: string,
  opts: { force?: boolean; config?: Record<string, unknown>; env?: Readonly<Record<string, string | undefined>>; clock?: Clock; keys?: boolean | KeysInitOptions } = {},
): Promise<InitResult> {
  const clock = opts.clock ?? systemClock;
  createDataDir(dataDir, opts.force ?? false);
  const instanceId = randomUUID();
  writePrivateFile(join(dataDir, CONFIG_FILE_NAME), `${JSON.stringify(opts.config ?? {}, null, 2)}\n`);
  writePrivateFile(
    join(dataDir, DATA_DIR_LAYOUT.instance),
    `${JSON.stringify({ instanceId, createdAt: clock.now().toISOString(), version: HAVEN_VERSION }, null, 2)}\n`,
  );
  const tls = await generateTls({ dns: ['localhost'], ips: ['127.0.0.1', '::1'] }, clock.now());
  writePrivateFile(join(dataDir, DATA_DIR_LAYOUT.tlsCa), tls.caPem);
  writePrivateFile(join(dataDir, DATA_DIR_LAYOUT.tlsCert), tls.certPem);
  writePrivateFile(join(dataDir, DATA_DIR_LAYOUT.tlsKey), tls.keyPem);
  generateInstanceKeys(dataDir);
  const instance = await openInstance(dataDir, { clock, ...(opts.env ? { env: opts.env } : {}) });
  try {
    if ((await instance.storage.read.audit.head()).seq > 0) {
      throw new HavenError('HAVEN_STORE_NOT_EMPTY');
    }
    const event = { actor: 'haven-init', action: 'instance.init', resource: `instance:${instanceId}`, requestId: 'init' };
    const admin = await instance.audit.withAudit(instance.storage, event, (repos) => instance.users.createIn(repos, FIRST_ADMIN, ['site_admin']));
    let generatedPassphrase: string | undefined;
    if (opts.keys !== false) {
      const keyOpts = typeof opts.keys === 'object' ? opts.keys : {};
      generatedPassphrase = (await setUpKeysAtInit(dataDir, instance.storage, opts.env ?? process.env, { ...keyOpts, audit: instance.audit })).generatedPassphrase;
    }
    await instance.audit.checkpointNow(instance.storage);
    return { dataDir, instanceId, adminUsername: FIRST_ADMIN, adminPassword: admin.password, caFile: join(dataDir, DATA_DIR_LAYOUT.tlsCa), generatedPassphrase };
  } finally {
    await instance.close();
  }
}
