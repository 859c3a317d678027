import type { Kysely } from 'kysely';
import type {
  EncounterPredictionRecord,
  ModelRecord,
  ModelRepository,
  ModelStage,
  RunStatus,
  TrainingRunRecord,
} from '../../../services/models/model-ports.js';
import type { EncounterPredictionTable, HavenDatabase, ModelTable, TrainingRunTable } from '../database.js';

const num = (v: number | string | null): number | null => (v === null ? null : Number(v));

function toRun(r: TrainingRunTable): TrainingRunRecord {
  return {
    id: r.id,
    workspaceId: r.workspace_id,
    runNo: Number(r.run_no),
    datasetName: r.dataset_name,
    datasetVersion: Number(r.dataset_version),
    datasetSha256: r.dataset_sha256,
    target: r.target,
    kind: r.kind,
    params: r.params,
    seed: Number(r.seed),
    threads: Number(r.threads),
    havenVersion: r.haven_version,
    status: r.status as RunStatus,
    progress: r.progress,
    results: r.results,
    errorCode: r.error_code,
    cancelRequested: Number(r.cancel_requested) === 1,
    modelName: r.model_name,
    modelVersion: num(r.model_version),
    createdBy: r.created_by,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
  };
}

function toModel(r: ModelTable): ModelRecord {
  return {
    id: r.id,
    workspaceId: r.workspace_id,
    name: r.name,
    version: Number(r.version),
    runId: r.run_id,
    format: r.format,
    stage: r.stage as ModelStage,
    artifact: r.artifact,
    artifactSha256: r.artifact_sha256,
    signature: r.signature,
    signKeyId: r.sign_key_id,
    card: r.card,
    createdBy: r.created_by,
    createdAt: r.created_at,
    approvedBy: r.approved_by,
    approvedAt: r.approved_at,
    overrideReason: r.override_reason,
    retiredBy: r.retired_by,
    retiredAt: r.retired_at,
  };
}

function toPrediction(r: EncounterPredictionTable): EncounterPredictionRecord {
  return {
    encounterId: r.encounter_id,
    workspaceId: r.workspace_id,
    status: r.status as 'scored' | 'failed',
    modelName: r.model_name,
    modelVersion: num(r.model_version),
    predicted: num(r.predicted),
    intervalLow: num(r.interval_low),
    intervalHigh: num(r.interval_high),
    ood: Number(r.ood) === 1,
    oodReasons: r.ood_reasons,
    errorCode: r.error_code,
    scoredAt: r.scored_at,
  };
}

const RUN_COLUMNS = {
  status: 'status',
  progress: 'progress',
  results: 'results',
  errorCode: 'error_code',
  modelVersion: 'model_version',
  startedAt: 'started_at',
  finishedAt: 'finished_at',
} as const;

const MODEL_COLUMNS = {
  stage: 'stage',
  approvedBy: 'approved_by',
  approvedAt: 'approved_at',
  overrideReason: 'override_reason',
  retiredBy: 'retired_by',
  retiredAt: 'retired_at',
} as const;

/**
 * Runs, models, query budgets and encounter predictions. Budget spending is one conditional UPDATE, so concurrent
 * requests (on one server or several sharing PostgreSQL) cannot overspend.
 * @param db - a Kysely handle (transaction or root)
 */
export function modelRepository(db: Kysely<HavenDatabase>): ModelRepository {
  return {
    async insertRun(r) {
      await db
        .insertInto('training_run')
        .values({
          id: r.id,
          workspace_id: r.workspaceId,
          run_no: r.runNo,
          dataset_name: r.datasetName,
          dataset_version: r.datasetVersion,
          dataset_sha256: r.datasetSha256,
          target: r.target,
          kind: r.kind,
          params: r.params,
          seed: r.seed,
          threads: r.threads,
          haven_version: r.havenVersion,
          status: r.status,
          progress: r.progress,
          results: r.results,
          error_code: r.errorCode,
          cancel_requested: r.cancelRequested ? 1 : 0,
          model_name: r.modelName,
          model_version: r.modelVersion,
          created_by: r.createdBy,
          created_at: r.createdAt,
          started_at: r.startedAt,
          finished_at: r.finishedAt,
        })
        .execute();
    },
    async updateRun(id, changes) {
      const set: Partial<TrainingRunTable> = {};
      for (const [k, col] of Object.entries(RUN_COLUMNS)) {
        const v = changes[k as keyof typeof RUN_COLUMNS];
        if (v !== undefined) {
          (set as Record<string, unknown>)[col] = v;
        }
      }
      if (changes.cancelRequested !== undefined) {
        set.cancel_requested = changes.cancelRequested ? 1 : 0;
      }
      await db.updateTable('training_run').set(set).where('id', '=', id).execute();
    },
    async run(workspaceId, runNo) {
      const r = await db.selectFrom('training_run').selectAll().where('workspace_id', '=', workspaceId).where('run_no', '=', runNo).executeTakeFirst();
      return r ? toRun(r) : undefined;
    },
    async runById(id) {
      const r = await db.selectFrom('training_run').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? toRun(r) : undefined;
    },
    async runs(workspaceId) {
      return (await db.selectFrom('training_run').selectAll().where('workspace_id', '=', workspaceId).orderBy('run_no').execute()).map(toRun);
    },
    async runsWithStatus(statuses) {
      return (
        await db
          .selectFrom('training_run')
          .selectAll()
          .where('status', 'in', [...statuses])
          .orderBy('created_at')
          .execute()
      ).map(toRun);
    },
    async lastRunNo(workspaceId) {
      const r = await db
        .selectFrom('training_run')
        .select((eb) => eb.fn.max('run_no').as('n'))
        .where('workspace_id', '=', workspaceId)
        .executeTakeFirst();
      return Number(r?.n ?? 0);
    },
    async insertModel(m) {
      await db
        .insertInto('model')
        .values({
          id: m.id,
          workspace_id: m.workspaceId,
          name: m.name,
          version: m.version,
          run_id: m.runId,
          format: m.format,
          stage: m.stage,
          artifact: m.artifact,
          artifact_sha256: m.artifactSha256,
          signature: m.signature,
          sign_key_id: m.signKeyId,
          card: m.card,
          created_by: m.createdBy,
          created_at: m.createdAt,
          approved_by: m.approvedBy,
          approved_at: m.approvedAt,
          override_reason: m.overrideReason,
          retired_by: m.retiredBy,
          retired_at: m.retiredAt,
        })
        .execute();
    },
    async updateModel(id, changes) {
      const set: Partial<ModelTable> = {};
      for (const [k, col] of Object.entries(MODEL_COLUMNS)) {
        const v = changes[k as keyof typeof MODEL_COLUMNS];
        if (v !== undefined) {
          (set as Record<string, unknown>)[col] = v;
        }
      }
      await db.updateTable('model').set(set).where('id', '=', id).execute();
    },
    async model(workspaceId, name, version) {
      const r = await db
        .selectFrom('model')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where('name', '=', name)
        .where('version', '=', version)
        .executeTakeFirst();
      return r ? toModel(r) : undefined;
    },
    async modelHeads(workspaceId, name, version) {
      let q = db
        .selectFrom('model')
        .select([
          'id',
          'workspace_id',
          'name',
          'version',
          'run_id',
          'format',
          'stage',
          'artifact_sha256',
          'signature',
          'sign_key_id',
          'card',
          'created_by',
          'created_at',
          'approved_by',
          'approved_at',
          'override_reason',
          'retired_by',
          'retired_at',
        ])
        .where('workspace_id', '=', workspaceId)
        .where('name', '=', name);
      q = version === undefined ? q.where('stage', '=', 'approved') : q.where('version', '=', version);
      return (await q.orderBy('version').execute()).map((r) => toModel({ ...r, artifact: '' }));
    },
    async models(workspaceId) {
      return (await db.selectFrom('model').selectAll().where('workspace_id', '=', workspaceId).orderBy('name').orderBy('version').execute()).map(toModel);
    },
    async lastModelVersion(workspaceId, name) {
      const r = await db
        .selectFrom('model')
        .select((eb) => eb.fn.max('version').as('v'))
        .where('workspace_id', '=', workspaceId)
        .where('name', '=', name)
        .executeTakeFirst();
      return Number(r?.v ?? 0);
    },
    async spendQueries(modelId, subject, window, count, limit) {
      await db
        .insertInto('model_query_use')
        .values({ model_id: modelId, subject, window_start: window, used: 0 })
        .onConflict((oc) => oc.columns(['model_id', 'subject', 'window_start']).doNothing())
        .execute();
      const r = await db
        .updateTable('model_query_use')
        .set((eb) => ({ used: eb('used', '+', count) }))
        .where('model_id', '=', modelId)
        .where('subject', '=', subject)
        .where('window_start', '=', window)
        .where((eb) => eb(eb('used', '+', count), '<=', limit))
        .returning('used')
        .executeTakeFirst();
      return r ? Number(r.used) : undefined;
    },
    async queriesUsed(modelId, subject, window) {
      const r = await db
        .selectFrom('model_query_use')
        .select('used')
        .where('model_id', '=', modelId)
        .where('subject', '=', subject)
        .where('window_start', '=', window)
        .executeTakeFirst();
      return Number(r?.used ?? 0);
    },
    async artifactsAfter(workspaceId, after, limit) {
      let q = db.selectFrom('model').select(['id', 'artifact']).where('workspace_id', '=', workspaceId);
      if (after !== undefined) {
        q = q.where('id', '>', after);
      }
      return q.orderBy('id').limit(limit).execute();
    },
    async updateArtifact(id, artifact) {
      await db.updateTable('model').set({ artifact }).where('id', '=', id).execute();
    },
    async upsertPrediction(p) {
      const rest = {
        workspace_id: p.workspaceId,
        status: p.status,
        model_name: p.modelName,
        model_version: p.modelVersion,
        predicted: p.predicted,
        interval_low: p.intervalLow,
        interval_high: p.intervalHigh,
        ood: p.ood ? 1 : 0,
        ood_reasons: p.oodReasons,
        error_code: p.errorCode,
        scored_at: p.scoredAt,
      };
      await db
        .insertInto('encounter_prediction')
        .values({ encounter_id: p.encounterId, ...rest })
        .onConflict((oc) => oc.column('encounter_id').doUpdateSet(rest))
        .execute();
    },
    async prediction(encounterId) {
      const r = await db.selectFrom('encounter_prediction').selectAll().where('encounter_id', '=', encounterId).executeTakeFirst();
      return r ? toPrediction(r) : undefined;
    },
  };
}
