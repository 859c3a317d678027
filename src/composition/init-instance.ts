import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { CONFIG_FILE_NAME } from '../config/load.js';
import { createDataDir, DATA_DIR_LAYOUT, generateAuditKeys, writePrivateFile } from '../adapters/datadir/data-dir.js';
import { generateTls } from '../adapters/datadir/tls-certificate.js';
import { HavenError } from '../errors/haven-error.js';
import { HAVEN_VERSION } from '../version.js';
import { openInstance, systemClock } from './open-instance.js';
import type { Clock } from '../services/ports.js';

/** What `haven init` produced; the bootstrap token is shown once and never stored in clear. */
export interface InitResult {
  readonly dataDir: string;
  readonly instanceId: string;
  readonly bootstrapToken: string;
  readonly caFile: string;
}

/**
 * Initialise a data directory: layout with owner-only permissions, config file, TLS certificate,
 * ledger keys, database with migrations, and a bootstrap admin token (stored hashed).
 * @param dataDir - directory to create
 * @param opts - `force` to replace an existing directory; `config` values for haven.json; env for the database URL
 */
export async function initInstance(
  dataDir: string,
  opts: { force?: boolean; config?: Record<string, unknown>; env?: Readonly<Record<string, string | undefined>>; clock?: Clock } = {},
): Promise<InitResult> {
  const clock = opts.clock ?? systemClock;
  createDataDir(dataDir, opts.force ?? false);
  const instanceId = randomUUID();
  writePrivateFile(join(dataDir, CONFIG_FILE_NAME), `${JSON.stringify(opts.config ?? {}, null, 2)}\n`);
  writePrivateFile(join(dataDir, DATA_DIR_LAYOUT.instance), `${JSON.stringify({ instanceId, createdAt: clock.now().toISOString(), version: HAVEN_VERSION }, null, 2)}\n`);
  const tls = await generateTls({ dns: ['localhost'], ips: ['127.0.0.1', '::1'] }, clock.now());
  writePrivateFile(join(dataDir, DATA_DIR_LAYOUT.tlsCa), tls.caPem);
  writePrivateFile(join(dataDir, DATA_DIR_LAYOUT.tlsCert), tls.certPem);
  writePrivateFile(join(dataDir, DATA_DIR_LAYOUT.tlsKey), tls.keyPem);
  generateAuditKeys(dataDir);
  const instance = await openInstance(dataDir, { clock, ...(opts.env ? { env: opts.env } : {}) });
  try {
    if ((await instance.storage.read.audit.head()).seq > 0) {
      throw new HavenError('HAVEN_STORE_NOT_EMPTY');
    }
    const event = { actor: 'haven-init', action: 'instance.init', resource: `instance:${instanceId}`, requestId: 'init' };
    const issued = await instance.audit.withAudit(instance.storage, event, (repos) =>
      instance.tokens.issue(repos, { name: 'bootstrap', subject: 'bootstrap-admin', roles: ['site_admin', 'auditor'], workspace: null, ttlDays: 7 }),
    );
    await instance.audit.checkpointNow(instance.storage);
    return { dataDir, instanceId, bootstrapToken: issued.token, caFile: join(dataDir, DATA_DIR_LAYOUT.tlsCa) };
  } finally {
    await instance.close();
  }
}
