import { loadConfig } from '../config/load.js';
import type { HavenConfig } from '../config/schema.js';
import { assertDataDir, fileCheckpointMirror, instanceIdOf, loadAuditKeys, loadIdentityKey } from '../adapters/datadir/data-dir.js';
import { kyselyStorage } from '../adapters/store/kysely-storage.js';
import { openStore } from '../adapters/store/open-store.js';
import { AuditService } from '../services/audit/audit-service.js';
import type { Clock, Storage } from '../services/ports.js';
import { TokenService } from '../services/tokens/token-service.js';
import { IdentityService } from '../services/identity/identity-service.js';
import { LoginThrottle } from '../services/identity/login-throttle.js';
import { PasswordHasher } from '../services/identity/password-hasher.js';
import { SecretSealer } from '../services/identity/secret-sealer.js';
import { SessionService } from '../services/identity/session-service.js';
import { UserAdminService } from '../services/identity/user-admin-service.js';
import { WorkspaceService } from '../services/identity/workspace-service.js';
import { DatasetCatalog } from '../services/ingest/dataset-catalog.js';
import { IngestService } from '../services/ingest/ingest-service.js';
import { PoisoningScreen } from '../services/ingest/poisoning-screen.js';
import { openKeys, type KeysRuntime } from './keys-setup.js';
import { withAuditSigner } from './audit-signer.js';
import { webhookAlertSink } from '../adapters/alerts/webhook-alert-sink.js';
import { threadTrainingExecutor } from '../adapters/threads/training-thread.js';
import { AdmissionScoring } from '../services/models/admission-scoring.js';
import { ModelRegistry } from '../services/models/model-registry.js';
import { ScoringService } from '../services/models/scoring-service.js';
import { TrainingService } from '../services/models/training-service.js';

/** The model services of an instance (one each: training keeps its runs, scoring its verified models). */
export interface ModelServices {
  readonly registry: ModelRegistry;
  readonly training: TrainingService;
  readonly scoring: ScoringService;
  readonly admissions: AdmissionScoring;
}

/** Everything a face needs from one Haven instance: configuration, storage and the services. */
export interface Instance {
  readonly dataDir: string;
  readonly config: HavenConfig;
  readonly clock: Clock;
  readonly storage: Storage;
  readonly audit: AuditService;
  readonly tokens: TokenService;
  readonly identity: IdentityService;
  readonly sessions: SessionService;
  readonly users: UserAdminService;
  readonly workspaces: WorkspaceService;
  readonly ingest: IngestService;
  readonly catalog: DatasetCatalog;
  readonly screens: PoisoningScreen;
  readonly models: ModelServices;
  /** The key hierarchy, opened on first use (it needs the root passphrase or HSM PIN). */
  keys(): Promise<KeysRuntime>;
  close(): Promise<void>;
}

/** The wall clock (the only place the real time enters). */
export const systemClock: Clock = { now: () => new Date() };

/**
 * The composition root: load and validate configuration, open the store (migrating it), load keys, build services.
 * @param dataDir - the data directory
 * @param opts - environment and clock overrides (tests)
 */
export async function openInstance(
  dataDir: string,
  opts: { env?: Readonly<Record<string, string | undefined>>; clock?: Clock; config?: HavenConfig } = {},
): Promise<Instance> {
  assertDataDir(dataDir);
  const config = opts.config ?? loadConfig(dataDir, opts.env ?? process.env);
  const keys = loadAuditKeys(dataDir);
  const storage = kyselyStorage(await openStore(config, dataDir));
  const clock = opts.clock ?? systemClock;
  const audit = new AuditService(keys, clock, config.audit.checkpointInterval, fileCheckpointMirror(dataDir));
  const id = config.identity;
  const hasher = new PasswordHasher({ memoryKiB: id.passwordHashMemoryKiB, iterations: id.passwordHashIterations });
  const env = opts.env ?? process.env;
  let keysRuntime: Promise<KeysRuntime> | undefined;
  const openKeysOnce = (): Promise<KeysRuntime> =>
    (keysRuntime ??= openKeys(dataDir, storage, clock, env).then((rt) => withAuditSigner(rt, dataDir, storage, audit)));
  const alerts = config.alerts.webhookUrl ? webhookAlertSink(config.alerts.webhookUrl, instanceIdOf(dataDir)) : undefined;
  const catalog = new DatasetCatalog(storage, audit, clock);
  const screens = new PoisoningScreen(storage, audit, clock);
  const m = config.models;
  const registry = new ModelRegistry(storage, audit, clock, async () => (await openKeysOnce()).keys);
  const training = new TrainingService(
    storage,
    audit,
    clock,
    catalog,
    registry,
    threadTrainingExecutor,
    {
      memoryLimitBytes: m.trainMemoryLimitMiB * 2 ** 20,
      gateMaxAuc: m.gateMaxAucPercent / 100,
      minLeafSamples: m.minLeafSamples,
      dpEpsilonBudget: m.dpEpsilonBudget,
    threads: m.trainThreads,
    },
    screens,
  );
  const scoring = new ScoringService(
    storage,
    audit,
    clock,
    registry,
    {
      queryBudget: m.queryBudget,
      budgetEnabled: m.queryBudgetEnabled,
      windowHours: m.budgetWindowHours,
      maxBatch: m.maxBatchRecords,
      refuseOod: m.refuseOutOfDistribution,
      ratePerMinute: m.predictRatePerMinute,
    },
    alerts,
  );
  const throttle = new LoginThrottle(
    storage,
    audit,
    clock,
    { accountThreshold: id.lockoutThreshold, ipThreshold: id.ipLockoutThreshold, windowMinutes: id.lockoutMinutes },
    alerts,
  );
  return {
    dataDir,
    config,
    clock,
    storage,
    audit,
    tokens: new TokenService(clock, { defaultDays: id.tokenDefaultDays, maxDays: id.tokenMaxDays }),
    identity: new IdentityService(storage, audit, clock, hasher, throttle, new SecretSealer(loadIdentityKey(dataDir))),
    sessions: new SessionService(storage, clock, { idleMinutes: id.sessionIdleMinutes, absoluteHours: id.sessionAbsoluteHours }),
    users: new UserAdminService(storage, audit, clock, hasher),
    workspaces: new WorkspaceService(storage, audit, clock),
    ingest: new IngestService(
      storage,
      audit,
      clock,
      async () => (await openKeysOnce()).keys,
      (actor, ws, dataset, v, requestId) => screens.screen(actor, ws, dataset, v, requestId),
    ),
    catalog,
    screens,
    models: { registry, training, scoring, admissions: new AdmissionScoring(storage, clock, scoring) },
    keys: openKeysOnce,
    async close() {
      await training.cancelAll();
      if (keysRuntime) {
        await (await keysRuntime.catch(() => undefined))?.close();
      }
      await storage.close();
    },
  };
}
