import { HavenError, isHavenError } from '../../errors/haven-error.js';
import { buildFeatureMatrix, type RawCell } from '../../libs/ml/feature-matrix.js';
import { predictGbdt } from '../../libs/ml/predict.js';
import { defaultQueryBudget } from '../../libs/ml-defence/extraction.js';
import { scoreOod, type OodReason } from '../../libs/ml-defence/ood.js';
import type { Principal } from '../access/policy.js';
import type { AuditService } from '../audit/audit-service.js';
import type { AlertSink, Clock, Storage } from '../ports.js';
import { artifactKind } from './model-artifact.js';
import type { ModelRecord } from './model-ports.js';
import type { ModelRegistry, VerifiedModel } from './model-registry.js';

/** Settings of scoring, from configuration. */
export interface ScoringSettings {
  /** Records per principal, model version and window; 0 = the model class default (below its extraction cost). */
  readonly queryBudget: number;
  readonly budgetEnabled: boolean;
  readonly windowHours: number;
  readonly maxBatch: number;
  readonly refuseOod: boolean;
  /** Records per principal and model version per minute (0: no rate limit). */
  readonly ratePerMinute?: number | undefined;
}

/** One scored record. */
export interface Prediction {
  readonly prediction: number;
  /** 80 % empirical interval, rounded like the prediction. */
  readonly interval: readonly [number, number];
  readonly ood: { readonly flagged: boolean; readonly reasons: readonly OodReason[] };
}

/** The answer to a scoring request. */
export interface ScoringResult {
  readonly model: { readonly name: string; readonly version: number };
  readonly predictions: readonly Prediction[];
  readonly budget: { readonly used: number; readonly limit: number | null; readonly windowStart: string };
}

/** Records to score: plain objects of column → value. */
export type ScoreRecord = Readonly<Record<string, RawCell>>;

/** The limit used when budgets are off: usage is still counted (a 32-bit column), never refused in practice. */
const UNLIMITED = 2_147_483_647;

function round(v: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(v * f) / f;
}

/**
 * Serving predictions: only approved, signature-verified models; every request spends the caller's query budget for
 * that model version (refused, audited and alerted when exhausted), is checked against the training distribution
 * (flagged, or refused by policy) and recorded in the ledger; outputs are rounded.
 */
export class ScoringService {
  private readonly verified = new Map<string, VerifiedModel>();

  constructor(
    private readonly storage: Storage,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly registry: ModelRegistry,
    private readonly settings: ScoringSettings,
    private readonly alerts: AlertSink | undefined = undefined,
  ) {}

  private async servable(workspaceId: string, name: string, version: number | undefined): Promise<VerifiedModel> {
    const heads = await this.storage.read.models.modelHeads(workspaceId, name, version);
    const head = heads.at(-1);
    if (!head) {
      throw new HavenError(version === undefined ? 'HAVEN_MODEL_NO_APPROVED' : 'HAVEN_MODEL_NOT_FOUND');
    }
    if (head.stage !== 'approved') {
      throw new HavenError('HAVEN_MODEL_NOT_SERVABLE', undefined, { detail: { stage: head.stage } });
    }
    const key = `${head.id}:${head.artifactSha256}:${head.signature}:${head.signKeyId}`;
    let v = this.verified.get(key);
    if (!v) {
      const full = await this.storage.read.models.model(workspaceId, head.name, head.version);
      v = await this.registry.load(full!);
      this.verified.set(key, v);
    }
    return { record: head, artifact: v.artifact };
  }

  /** The budget window a time falls in (windows start at multiples of the window length since the epoch). */
  private windowStart(): string {
    const ms = this.settings.windowHours * 3_600_000;
    return new Date(Math.floor(this.clock.now().getTime() / ms) * ms).toISOString();
  }

  /**
   * Score records with an approved model.
   * @param principal - the caller (budgets are per principal)
   * @param workspaceId - workspace id
   * @param name - model name
   * @param version - a version (must be approved), or undefined for the approved one
   * @param records - the records
   * @param requestId - for the ledger
   */
  async predict(
    principal: Principal,
    workspaceId: string,
    name: string,
    version: number | undefined,
    records: readonly ScoreRecord[],
    requestId: string,
  ): Promise<ScoringResult> {
    const event = { actor: principal.subject, action: 'model.predict', resource: `model:${name}@${version ?? 'approved'}`, requestId };
    try {
      return await this.score(principal, workspaceId, name, version, records, event);
    } catch (err) {
      const code = isHavenError(err) ? err.code : 'HAVEN_INTERNAL';
      await this.audit.record(this.storage, { ...event, outcome: 'failure', detail: { workspace: workspaceId, records: records.length, code } });
      throw err;
    }
  }

  private async score(
    principal: Principal,
    workspaceId: string,
    name: string,
    version: number | undefined,
    records: readonly ScoreRecord[],
    event: { actor: string; action: string; resource: string; requestId: string },
  ): Promise<ScoringResult> {
    if (records.length === 0) {
      throw new HavenError('HAVEN_PREDICT_BAD_RECORD', undefined, { detail: { reason: 'empty' } });
    }
    if (records.length > this.settings.maxBatch) {
      throw new HavenError('HAVEN_PREDICT_BATCH_TOO_LARGE', undefined, { detail: { records: records.length, limit: this.settings.maxBatch } });
    }
    const { record: model, artifact } = await this.servable(workspaceId, name, version);
    const columns: Record<string, RawCell[]> = {};
    for (const cs of artifact.spec.columns) {
      columns[cs.name] = records.map((r) => (Object.hasOwn(r, cs.name) ? r[cs.name] : undefined));
    }
    let matrix;
    try {
      matrix = buildFeatureMatrix(artifact.spec, columns);
    } catch (err) {
      const detail = isHavenError(err) && err.detail ? err.detail : {};
      throw new HavenError('HAVEN_PREDICT_BAD_RECORD', undefined, { detail: { ...detail } });
    }
    const windowStart = this.windowStart();
    const limit = this.settings.budgetEnabled
      ? this.settings.queryBudget || defaultQueryBudget(artifactKind(artifact) === 'dp-linear' ? 'linear' : 'gbdt', matrix.nCols)
      : null;
    const row = new Array<number>(matrix.nCols);
    const oods = records.map((_, r) => {
      for (let c = 0; c < matrix.nCols; c++) {
        row[c] = matrix.data[c * matrix.nRows + r]!;
      }
      const o = scoreOod(artifact.ood, row);
      return { flagged: o.ood, reasons: o.reasons };
    });
    const flagged = oods.filter((o) => o.flagged).length;
    // Every model kind (gbdt, dp-gbdt, dp-linear) is carried in the tree format: one predictor serves them all.
    const raw = predictGbdt(artifact.model, matrix);
    const d = artifact.outputDecimals;
    const predictions = Array.from(raw, (p, i) => ({
      prediction: round(p, d),
      interval: [round(p + artifact.residuals.q10, d), round(p + artifact.residuals.q90, d)] as const,
      ood: oods[i]!,
    }));
    // The budget is spent and the answer recorded in one transaction: a refused request spends nothing, and an
    // answer is never returned without its ledger entry. OOD refusal comes after spending (probing is not free).
    const refuse = flagged > 0 && this.settings.refuseOod;
    const rate = this.settings.ratePerMinute ?? 0;
    const minute = new Date(Math.floor(this.clock.now().getTime() / 60_000) * 60_000).toISOString();
    let used: number;
    try {
      // A refusal throws inside the transaction, so a refused request spends nothing (rate or budget).
      used = await this.storage.transaction(async (repos) => {
        // The rate limit is kept like a budget with a one-minute window in the same shared table (replicas share it).
        if (rate > 0 && (await repos.models.spendQueries(`rate:${model.id}`, principal.subject, minute, records.length, rate)) === undefined) {
          throw new HavenError('HAVEN_PREDICT_RATE_LIMITED', undefined, { detail: { limit: rate } });
        }
        const spent = await repos.models.spendQueries(model.id, principal.subject, windowStart, records.length, limit ?? UNLIMITED);
        if (spent === undefined) {
          throw new HavenError('HAVEN_PREDICT_BUDGET_EXHAUSTED', undefined, { detail: { limit: limit ?? 0, windowHours: this.settings.windowHours } });
        }
        if (!refuse) {
          await this.audit.append(repos, {
            ...event,
            resource: `model:${model.name}@${model.version}`,
            outcome: 'success',
            detail: { workspace: workspaceId, records: records.length, outOfDistribution: flagged, budgetUsed: spent },
          });
        }
        return spent;
      });
    } catch (err) {
      if (isHavenError(err) && err.code === 'HAVEN_PREDICT_BUDGET_EXHAUSTED') {
        this.alerts?.send({
          reason: 'query_budget_exhausted',
          subjectKind: 'account',
          at: this.clock.now().toISOString(),
          detail: { limit: limit ?? 0, model: model.version },
        });
      }
      throw err;
    }
    if (refuse) {
      throw new HavenError('HAVEN_PREDICT_OOD_REFUSED', undefined, { detail: { records: flagged } });
    }
    return { model: { name: model.name, version: model.version }, predictions, budget: { used, limit, windowStart } };
  }

  /**
   * The workspace's approved model for a target (latest approval), or undefined.
   * @param workspaceId - workspace id
   * @param target - e.g. lengthofstay
   */
  async approvedFor(workspaceId: string, target: string): Promise<ModelRecord | undefined> {
    const approved = (await this.storage.read.models.models(workspaceId)).filter(
      (m) => m.stage === 'approved' && (JSON.parse(m.card) as { model: { target: string } }).model.target === target,
    );
    return approved.sort((a, b) => (a.approvedAt ?? '').localeCompare(b.approvedAt ?? '')).at(-1);
  }
}
