import { loadConfig } from '../config/load.js';
import type { HavenConfig } from '../config/schema.js';
import { assertDataDir, fileCheckpointMirror, loadAuditKeys } from '../adapters/datadir/data-dir.js';
import { kyselyStorage } from '../adapters/store/kysely-storage.js';
import { openStore } from '../adapters/store/open-store.js';
import { AuditService } from '../services/audit/audit-service.js';
import type { Clock, Storage } from '../services/ports.js';
import { TokenService } from '../services/tokens/token-service.js';

/** Everything a face needs from one Haven instance: configuration, storage and the services. */
export interface Instance {
  readonly dataDir: string;
  readonly config: HavenConfig;
  readonly clock: Clock;
  readonly storage: Storage;
  readonly audit: AuditService;
  readonly tokens: TokenService;
  close(): Promise<void>;
}

/** The wall clock (the only place the real time enters). */
export const systemClock: Clock = { now: () => new Date() };

/**
 * The composition root: load and validate configuration, open the store (migrating it), load keys, build services.
 * @param dataDir - the data directory
 * @param opts - environment and clock overrides (tests)
 */
export async function openInstance(dataDir: string, opts: { env?: Readonly<Record<string, string | undefined>>; clock?: Clock; config?: HavenConfig } = {}): Promise<Instance> {
  assertDataDir(dataDir);
  const config = opts.config ?? loadConfig(dataDir, opts.env ?? process.env);
  const keys = loadAuditKeys(dataDir);
  const storage = kyselyStorage(await openStore(config, dataDir));
  const clock = opts.clock ?? systemClock;
  const audit = new AuditService(keys, clock, config.audit.checkpointInterval, fileCheckpointMirror(dataDir));
  return {
    dataDir,
    config,
    clock,
    storage,
    audit,
    tokens: new TokenService(clock),
    close: () => storage.close(),
  };
}
