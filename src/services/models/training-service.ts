import { randomBytes, randomUUID } from 'node:crypto';
import { HavenError, isHavenError } from '../../errors/haven-error.js';
import { estimateGbdtBytes } from '../../libs/ml/gbdt.js';
import { DP_GBDT_DEFAULTS } from '../../libs/ml-pipeline/dp-gbdt.js';
import { planDpGbdt, planDpLinear, type DpPlan } from '../../libs/ml-pipeline/dp-plan.js';
import type { DpTrainSpec } from '../../libs/ml-pipeline/train-and-audit.js';
import { createAccountant, spend, spentEpsilon, type AccountantState } from '../../libs/privacy/dp/privacy-accountant.js';
import { HAVEN_VERSION } from '../../version.js';
import type { Principal } from '../access/policy.js';
import type { AuditService } from '../audit/audit-service.js';
import type { DatasetCatalog } from '../ingest/dataset-catalog.js';
import type { PoisoningScreen } from '../ingest/poisoning-screen.js';
import type { DatasetVersionRecord } from '../ingest/ingest-ports.js';
import type { Clock, Repositories, Storage } from '../ports.js';
import { buildModelCard, type DifferentialPrivacyCard } from './model-card.js';
import type { ModelRegistry } from './model-registry.js';
import type { RunStatus, TrainingRunRecord } from './model-ports.js';
import { SPLIT_RULE, featureColumns, loadTrainingData } from './training-data.js';
import type { RoundProgress, TrainingExecution, TrainingExecutor } from './training-executor.js';
import { gbdtOptionsOf, parseDpParams, parsePrivacy, parseTrainParams, resolveDelta, type PrivacyChoice, type PrivacyRequest } from './training-params.js';

/** A training request. */
export interface TrainRequest {
  readonly dataset: string;
  /** Dataset version (default: the latest published one). */
  readonly version?: number | undefined;
  readonly target: string;
  readonly params?: Readonly<Record<string, unknown>> | undefined;
  readonly seed?: number | undefined;
  /** Registry name of the resulting model (default: the target). */
  readonly name?: string | undefined;
  /** Train with differential privacy: ε, optional δ and mechanism (see training-params.ts `parsePrivacy`). */
  readonly privacy?: PrivacyRequest | undefined;
}

/** Live progress of a run. */
export interface RunProgress {
  readonly round: number;
  readonly rounds: number;
  /** Null for DP runs: the training loss is a statistic of the training records and is never computed. */
  readonly trainLoss: number | null;
  readonly validLoss: number | null;
  readonly etaSeconds: number | null;
}

/** A run as the API shows it. */
export interface RunView {
  readonly run: number;
  readonly status: RunStatus;
  readonly dataset: string;
  readonly datasetVersion: number;
  readonly datasetSha256: string;
  readonly target: string;
  readonly kind: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly seed: number;
  readonly threads: number;
  readonly havenVersion: string;
  readonly progress: RunProgress | null;
  readonly results: unknown;
  readonly errorCode: string | null;
  readonly model: { readonly name: string; readonly version: number | null };
  readonly createdBy: string;
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
}

/** Settings of the service, from configuration. */
export interface TrainingSettings {
  readonly memoryLimitBytes: number;
  readonly gateMaxAuc: number;
  readonly minLeafSamples: number;
  /** Total ε DP runs may spend on one dataset version (config `models.dpEpsilonBudget`; default 10). */
  readonly dpEpsilonBudget?: number | undefined;
  /** Threads one run trains with (config `models.trainThreads`); the model is the same for any count. */
  readonly threads?: number | undefined;
}

/** What a run will do, fixed when it is started. */
interface RunSetup {
  readonly params: Record<string, number | string>;
  privacy: (PrivacyChoice & { readonly delta: number; readonly plan: DpPlan; readonly dpParams: Record<string, number> }) | undefined;
  /** The dataset version's ledger after the run was charged (DP runs only). */
  ledger: DifferentialPrivacyCard['datasetVersionBudget'];
}

const DEFAULT_DP_EPSILON_BUDGET = 10;

const MODEL_NAME = /^[a-z][a-z0-9-]{0,62}$/;
const PROGRESS_WRITE_MS = 1000;
const AUDIT_SAMPLE = 1000;
const AUDIT_SHADOWS = 4;

const view = (r: TrainingRunRecord, live?: RunProgress): RunView => ({
  run: r.runNo,
  status: r.status,
  dataset: r.datasetName,
  datasetVersion: r.datasetVersion,
  datasetSha256: r.datasetSha256,
  target: r.target,
  kind: r.kind,
  params: JSON.parse(r.params) as Record<string, unknown>,
  seed: r.seed,
  threads: r.threads,
  havenVersion: r.havenVersion,
  progress: live ?? (r.progress === null ? null : (JSON.parse(r.progress) as RunProgress)),
  results: r.results === null ? null : (JSON.parse(r.results) as unknown),
  errorCode: r.errorCode,
  model: { name: r.modelName, version: r.modelVersion },
  createdBy: r.createdBy,
  createdAt: r.createdAt,
  startedAt: r.startedAt,
  finishedAt: r.finishedAt,
});

interface ActiveRun {
  execution?: TrainingExecution;
  cancelled: boolean;
  progress?: RunProgress;
  done: Promise<void>;
}

/**
 * Training runs (experiments) in the background: a run is recorded (queued), its data read from the pseudonymised
 * view of a published version, trained and audited by the executor (a worker thread), and its model registered as a
 * candidate. Progress is kept live and written to the database every second; a run can be cancelled; runs left
 * queued or running by a stopped process are marked failed at the next start (never left hanging).
 */
export class TrainingService {
  private readonly active = new Map<string, ActiveRun>();

  constructor(
    private readonly storage: Storage,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly catalog: DatasetCatalog,
    private readonly registry: ModelRegistry,
    private readonly executor: TrainingExecutor,
    private readonly settings: TrainingSettings,
    private readonly screens: Pick<PoisoningScreen, 'requireClear'> | undefined = undefined,
  ) {}

  private async publishedVersion(workspaceId: string, dataset: string, version: number | undefined): Promise<DatasetVersionRecord> {
    if (version !== undefined) {
      const v = await this.catalog.version(workspaceId, dataset, version);
      if (v.status !== 'published') {
        throw new HavenError('HAVEN_TRAIN_DATASET_NOT_PUBLISHED', undefined, { detail: { status: v.status } });
      }
      return v;
    }
    const d = await this.catalog.dataset(workspaceId, dataset);
    const latest = (await this.storage.read.datasets.versions(d.id)).filter((v) => v.status === 'published').at(-1);
    if (!latest) {
      throw new HavenError('HAVEN_TRAIN_DATASET_NOT_PUBLISHED', undefined, { detail: { status: 'none' } });
    }
    return latest;
  }

  /**
   * Record a run and start it in the background. Bad requests fail here, before anything is recorded.
   * @param principal - the data scientist
   * @param workspaceId - workspace id
   * @param req - dataset, version, target, parameters, seed, model name
   * @param requestId - for the ledger
   */
  async start(principal: Principal, workspaceId: string, req: TrainRequest, requestId: string): Promise<RunView> {
    const choice = req.privacy === undefined ? undefined : parsePrivacy(req.privacy);
    const dpParams = choice ? parseDpParams(req.params ?? {}, choice.mechanism) : undefined;
    const params = choice ? { ...dpParams } : parseTrainParams(req.params ?? {});
    const seed = req.seed ?? 1;
    if (!Number.isSafeInteger(seed) || seed < 0 || seed > 2 ** 31 - 1) {
      throw new HavenError('HAVEN_TRAIN_BAD_PARAM', undefined, { detail: { param: 'seed', reason: 'out_of_range' } });
    }
    const name = req.name ?? req.target.toLowerCase().replace(/[^a-z0-9-]/g, '-');
    if (!MODEL_NAME.test(name)) {
      throw new HavenError('HAVEN_TRAIN_BAD_PARAM', undefined, { detail: { param: 'name', reason: 'pattern' } });
    }
    const version = await this.publishedVersion(workspaceId, req.dataset, req.version);
    // A version flagged by the poisoning screen waits for a steward's acknowledgement.
    await this.screens?.requireClear(version);
    const { features } = featureColumns((version.policy ?? []) as never);
    if (!features.includes(req.target)) {
      throw new HavenError('HAVEN_ML_TARGET_MISSING', undefined, { detail: { column: req.target.slice(0, 64) } });
    }
    const bytes = estimateGbdtBytes(version.rowsStored, features.length * 4);
    if (bytes > this.settings.memoryLimitBytes) {
      throw new HavenError('HAVEN_ML_MEMORY_LIMIT', undefined, {
        detail: { estimatedMiB: Math.ceil(bytes / 2 ** 20), limitMiB: Math.floor(this.settings.memoryLimitBytes / 2 ** 20) },
      });
    }
    const setup: RunSetup = { params, privacy: undefined, ledger: null };
    if (choice && dpParams) {
      const delta = resolveDelta(choice.delta, version.rowsStored);
      const plan =
        choice.mechanism === 'linear'
          ? planDpLinear(choice.epsilon, delta)
          : planDpGbdt(choice.epsilon, delta, dpParams['nRounds'] ?? DP_GBDT_DEFAULTS.nRounds);
      setup.privacy = { ...choice, delta, plan, dpParams };
    }
    const event = {
      actor: principal.subject,
      action: 'model.train.start',
      resource: `dataset:${req.dataset}@${version.version}`,
      requestId,
      detail: { workspace: workspaceId, ...(setup.privacy ? { epsilon: setup.privacy.epsilon } : {}) },
    };
    const run = await this.audit.withAudit(this.storage, event, async (repos) => {
      const runNo = (await repos.models.lastRunNo(workspaceId)) + 1;
      if (setup.privacy) {
        // Charge the version's ledger in the same transaction that records the run: refused → nothing recorded.
        setup.ledger = await this.charge(repos, workspaceId, version, runNo, setup.privacy.plan);
      }
      const record: TrainingRunRecord = {
        id: randomUUID(),
        workspaceId,
        runNo,
        datasetName: req.dataset,
        datasetVersion: version.version,
        datasetSha256: version.sha256 ?? '',
        target: req.target,
        kind: setup.privacy ? (setup.privacy.mechanism === 'linear' ? 'dp-linear' : 'dp-gbdt') : 'gbdt',
        params: JSON.stringify(
          setup.privacy ? { ...params, privacy: { epsilon: setup.privacy.epsilon, delta: setup.privacy.delta, mechanism: setup.privacy.mechanism } } : params,
        ),
        seed,
        threads: this.settings.threads ?? 1,
        havenVersion: HAVEN_VERSION,
        status: 'queued',
        progress: null,
        results: null,
        errorCode: null,
        cancelRequested: false,
        modelName: name,
        modelVersion: null,
        createdBy: principal.subject,
        createdAt: this.clock.now().toISOString(),
        startedAt: null,
        finishedAt: null,
      };
      await repos.models.insertRun(record);
      return record;
    });
    const active: ActiveRun = { cancelled: false, done: Promise.resolve() };
    this.active.set(run.id, active);
    active.done = this.execute(run, version, setup, active, requestId).finally(() => this.active.delete(run.id));
    return view(run);
  }

  /**
   * Spend a DP run's planned costs in the dataset version's ledger (throws HAVEN_PRIVACY_BUDGET_EXHAUSTED when the
   * configured budget would be exceeded, HAVEN_TRAIN_PRIVACY_CONFLICT when another run updated it concurrently).
   * The budget's δ is fixed when the ledger is created: the default δ for the version's size.
   */
  private async charge(
    repos: Repositories,
    workspaceId: string,
    version: DatasetVersionRecord,
    runNo: number,
    plan: DpPlan,
  ): Promise<DifferentialPrivacyCard['datasetVersionBudget']> {
    const budgetEpsilon = this.settings.dpEpsilonBudget ?? DEFAULT_DP_EPSILON_BUDGET;
    const stored = await repos.privacyLedgers.get(version.id);
    const previous = stored
      ? (JSON.parse(stored.state) as AccountantState)
      : createAccountant({ epsilon: budgetEpsilon, delta: resolveDelta(undefined, version.rowsStored) });
    // The configured budget applies now, even if it changed since the ledger was created.
    let state: AccountantState = { ...previous, budget: { epsilon: budgetEpsilon, delta: previous.budget.delta } };
    for (const c of plan.costs) {
      state = spend(state, c.cost, `run:${runNo}:${c.label}`);
    }
    const revision = (stored?.revision ?? 0) + 1;
    const saved = await repos.privacyLedgers.save(
      { versionId: version.id, workspaceId, state: JSON.stringify(state), revision, updatedAt: this.clock.now().toISOString() },
      stored?.revision ?? 0,
    );
    if (!saved) {
      throw new HavenError('HAVEN_TRAIN_PRIVACY_CONFLICT');
    }
    return { budgetEpsilon, spentEpsilon: Math.round(spentEpsilon(state) * 1e6) / 1e6, delta: state.budget.delta };
  }

  private async execute(run: TrainingRunRecord, version: DatasetVersionRecord, setup: RunSetup, active: ActiveRun, requestId: string): Promise<void> {
    const { params, privacy } = setup;
    const t0 = performance.now();
    try {
      await this.storage.transaction((repos) => repos.models.updateRun(run.id, { status: 'running', startedAt: this.clock.now().toISOString() }));
      const data = await loadTrainingData(this.storage, version, run.target, { validation: params['earlyStoppingRounds'] !== undefined });
      const tLoaded = performance.now();
      if (active.cancelled) {
        throw new HavenError('HAVEN_ML_TRAIN_CANCELLED');
      }
      const rounds = Number(params['nRounds'] ?? (privacy ? (privacy.mechanism === 'linear' ? 1 : DP_GBDT_DEFAULTS.nRounds) : 100));
      // DP noise comes from a fresh CSPRNG key per run, never stored: a stored key would let anyone remove the noise.
      const dpSpec: DpTrainSpec | undefined = privacy
        ? { epsilon: privacy.epsilon, delta: privacy.delta, mechanism: privacy.mechanism, noiseKey: new Uint8Array(randomBytes(32)), ...privacy.dpParams }
        : undefined;
      let lastWrite = 0;
      const execution = this.executor.start(
        {
          matrix: data.matrix,
          target: data.target,
          isTest: data.isTest,
          isValid: data.isValid,
          options: { ...gbdtOptionsOf(privacy ? {} : params, run.seed, this.settings.memoryLimitBytes), threads: run.threads },
          privacy: dpSpec,
          audit: { sampleSize: AUDIT_SAMPLE, shadows: AUDIT_SHADOWS, maxAuc: this.settings.gateMaxAuc, minLeafSamples: this.settings.minLeafSamples },
        },
        (p: RoundProgress) => {
          const elapsed = (performance.now() - tLoaded) / 1000;
          const trainLoss = Number.isFinite(p.trainLoss) ? p.trainLoss : null;
          active.progress = {
            round: p.round + 1,
            rounds,
            trainLoss,
            validLoss: p.validLoss,
            etaSeconds: Math.round((elapsed / (p.round + 1)) * (rounds - p.round - 1)),
          };
          if (performance.now() - lastWrite > PROGRESS_WRITE_MS) {
            lastWrite = performance.now();
            const progress = JSON.stringify(active.progress);
            void this.storage.transaction((repos) => repos.models.updateRun(run.id, { progress })).catch(() => undefined);
          }
        },
      );
      active.execution = execution;
      const out = await execution.result;
      const tTrained = performance.now();
      const metrics = out.metrics;
      const trainedAt = this.clock.now().toISOString();
      const model = await this.registry.register(
        run.createdBy,
        run.workspaceId,
        run.modelName,
        (modelVersion) => ({
          artifact: {
            format: 'haven-model',
            formatVersion: 1,
            workspace: run.workspaceId,
            name: run.modelName,
            version: modelVersion,
            target: run.target,
            kind: out.trained.kind,
            spec: data.spec,
            model: out.trained.model,
            ood: out.ood,
            residuals: out.residuals,
            outputDecimals: 0,
          },
          card: buildModelCard({
            name: run.modelName,
            version: modelVersion,
            kind: out.trained.kind,
            objective: out.trained.model.objective,
            target: run.target,
            trees: out.trained.model.trees.length,
            lineage: {
              dataset: run.datasetName,
              datasetVersion: run.datasetVersion,
              datasetSha256: run.datasetSha256,
              run: run.runNo,
              trainedBy: run.createdBy,
              trainedAt,
              havenVersion: run.havenVersion,
              seed: run.seed,
              threads: run.threads,
              params,
              rows: out.rows,
              split: SPLIT_RULE,
              excludedColumns: data.excluded,
            },
            metrics,
            importance: out.importance,
            privacy: out.privacy,
            differentialPrivacy: out.differentialPrivacy ? { report: out.differentialPrivacy, ledger: setup.ledger } : undefined,
          }),
        }),
        { runId: run.id, format: 'haven-gbdt', requestId },
      );
      const results = {
        metrics,
        rows: out.rows,
        importance: out.importance.slice(0, 20),
        privacyGate: { release: out.privacy.gate.release, reasons: out.privacy.gate.reasons.map((r) => r.code) },
        ...(out.differentialPrivacy
          ? {
              differentialPrivacy: {
                epsilon: out.differentialPrivacy.epsilon,
                delta: out.differentialPrivacy.delta,
                spentEpsilon: out.differentialPrivacy.plan.spentEpsilon,
              },
            }
          : {}),
        timings: { loadSeconds: (tLoaded - t0) / 1000, trainAndAuditSeconds: (tTrained - tLoaded) / 1000, totalSeconds: (performance.now() - t0) / 1000 },
      };
      const finish = {
        status: 'succeeded' as const,
        results: JSON.stringify(results),
        modelVersion: model.version,
        finishedAt: this.clock.now().toISOString(),
        progress: JSON.stringify(active.progress ?? null),
      };
      const event = {
        actor: run.createdBy,
        action: 'model.train.finish',
        resource: `run:${run.runNo}`,
        requestId,
        detail: { workspace: run.workspaceId, modelVersion: model.version },
      };
      await this.audit.withAudit(this.storage, event, (repos) => repos.models.updateRun(run.id, finish));
    } catch (err) {
      const code = active.cancelled ? 'HAVEN_ML_TRAIN_CANCELLED' : isHavenError(err) ? err.code : 'HAVEN_TRAIN_FAILED';
      const status: RunStatus = active.cancelled ? 'cancelled' : 'failed';
      await this.storage
        .transaction((repos) => repos.models.updateRun(run.id, { status, errorCode: code, finishedAt: this.clock.now().toISOString() }))
        .then(() =>
          this.audit.record(this.storage, {
            actor: run.createdBy,
            action: 'model.train.finish',
            resource: `run:${run.runNo}`,
            requestId,
            outcome: 'failure',
            detail: { workspace: run.workspaceId, code },
          }),
        )
        .catch(() => undefined);
    }
  }

  private async runOf(workspaceId: string, runNo: number): Promise<TrainingRunRecord> {
    const r = await this.storage.read.models.run(workspaceId, runNo);
    if (!r) {
      throw new HavenError('HAVEN_HTTP_NOT_FOUND');
    }
    return r;
  }

  /** One run with its live progress. */
  async get(workspaceId: string, runNo: number): Promise<RunView> {
    const r = await this.runOf(workspaceId, runNo);
    return view(r, this.active.get(r.id)?.progress);
  }

  /** Every run of a workspace (experiments, for side-by-side comparison). */
  async list(workspaceId: string): Promise<RunView[]> {
    return (await this.storage.read.models.runs(workspaceId)).map((r) => view(r, this.active.get(r.id)?.progress));
  }

  /**
   * Cancel a queued or running run. The worker thread is stopped; the run ends `cancelled`.
   * @param principal - who asks
   * @param workspaceId - workspace id
   * @param runNo - run number
   * @param requestId - for the ledger
   */
  async cancel(principal: Principal, workspaceId: string, runNo: number, requestId: string): Promise<RunView> {
    const r = await this.runOf(workspaceId, runNo);
    const active = this.active.get(r.id);
    const event = { actor: principal.subject, action: 'model.train.cancel', resource: `run:${runNo}`, requestId, detail: { workspace: workspaceId } };
    await this.audit.withAudit(this.storage, event, async (repos) => {
      if (r.status !== 'queued' && r.status !== 'running') {
        throw new HavenError('HAVEN_TRAIN_NOT_RUNNING', undefined, { detail: { status: r.status } });
      }
      await repos.models.updateRun(r.id, { cancelRequested: true });
    });
    if (active) {
      active.cancelled = true;
      active.execution?.cancel();
      await active.done;
    } else {
      // Not running in this process: it was orphaned by a stopped process.
      await this.storage.transaction((repos) =>
        repos.models.updateRun(r.id, { status: 'cancelled', errorCode: 'HAVEN_ML_TRAIN_CANCELLED', finishedAt: this.clock.now().toISOString() }),
      );
    }
    return this.get(workspaceId, runNo);
  }

  /**
   * Mark runs a stopped process left queued or running as failed (HAVEN_TRAIN_INTERRUPTED). Call at server start,
   * before accepting requests. Returns how many were marked.
   */
  async recoverInterrupted(): Promise<number> {
    const stale = (await this.storage.read.models.runsWithStatus(['queued', 'running'])).filter((r) => !this.active.has(r.id));
    for (const r of stale) {
      const event = {
        actor: 'haven-server',
        action: 'model.train.interrupted',
        resource: `run:${r.runNo}`,
        requestId: 'startup',
        detail: { workspace: r.workspaceId },
      };
      await this.audit.withAudit(this.storage, event, (repos) =>
        repos.models.updateRun(r.id, { status: 'failed', errorCode: 'HAVEN_TRAIN_INTERRUPTED', finishedAt: this.clock.now().toISOString() }),
      );
    }
    return stale.length;
  }

  /** Wait for every run started by this process to finish (shutdown, tests). */
  async settle(): Promise<void> {
    await Promise.all([...this.active.values()].map((a) => a.done));
  }

  /** Cancel every active run (shutdown). */
  async cancelAll(): Promise<void> {
    for (const a of this.active.values()) {
      a.cancelled = true;
      a.execution?.cancel();
    }
    await this.settle();
  }
}
