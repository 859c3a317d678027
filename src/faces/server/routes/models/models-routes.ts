import type { FastifyInstance } from 'fastify';
import type { Instance } from '../../../../composition/open-instance.js';
import { HavenError } from '../../../../errors/haven-error.js';
import { parseCsv } from '../../../../libs/formats/csv/index.js';
import type { ScoreRecord } from '../../../../services/models/scoring-service.js';
import { WORKSPACE_PARAMS as WS_PARAMS } from '../workspace-params.js';
import { MODEL_PARAMS, MODEL_VERSION_PARAMS, MODEL_VIEW, RUN_PARAMS, RUN_VIEW, SCORING_RESULT } from './model-schemas.js';

const CELL = { anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }, { type: 'null' }] } as const;
const STRING_OR_NUMBER = { anyOf: [{ type: 'string' }, { type: 'number' }] } as const;
const RECORD = { type: 'object', maxProperties: 1000, additionalProperties: CELL } as const;
const TRAIN_BODY = {
  type: 'object',
  additionalProperties: false,
  required: ['dataset', 'target'],
  properties: {
    dataset: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]{0,63}$' },
    version: { type: 'integer', minimum: 1 },
    target: { type: 'string', minLength: 1, maxLength: 128 },
    params: { type: 'object', maxProperties: 32, additionalProperties: STRING_OR_NUMBER },
    seed: { type: 'integer', minimum: 0, maximum: 2147483647 },
    name: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,62}$' },
    privacy: {
      type: 'object',
      additionalProperties: false,
      required: ['epsilon'],
      properties: { epsilon: STRING_OR_NUMBER, delta: STRING_OR_NUMBER, mechanism: { type: 'string', maxLength: 16 } },
    },
  },
} as const;

interface TrainBody {
  dataset: string;
  version?: number;
  target: string;
  params?: Record<string, string | number>;
  seed?: number;
  name?: string;
  privacy?: { epsilon: number | string; delta?: number | string; mechanism?: string };
}

/** CSV bodies become records keyed by the header (a rejected row is a 400: scoring must not skip records silently). */
function recordsFromCsv(text: string): ScoreRecord[] {
  const parsed = parseCsv(Buffer.from(text, 'utf8'));
  if (parsed.rejected.length > 0) {
    throw new HavenError('HAVEN_PREDICT_BAD_RECORD', undefined, { detail: { row: parsed.rejected[0]!.row, reason: 'csv' } });
  }
  const header = parsed.summary.header;
  return parsed.records.map((r) => Object.fromEntries(header.map((h, i) => [h, r.fields[i] ?? null])));
}

function recordsOf(body: unknown): ScoreRecord[] {
  if (typeof body === 'string') {
    return recordsFromCsv(body);
  }
  const b = body as { records?: ScoreRecord[]; record?: ScoreRecord };
  if (Array.isArray(b.records) === (b.record !== undefined)) {
    throw new HavenError('HAVEN_PREDICT_BAD_RECORD', undefined, { detail: { reason: 'record_or_records' } });
  }
  return b.records ?? [b.record!];
}

/**
 * Training runs (start, watch, cancel, compare), the model registry (list, card, approve, retire) and scoring.
 * @param app - the Fastify instance
 * @param instance - configuration and services
 */
export function registerModelsRoutes(app: FastifyInstance, instance: Instance): void {
  const { training, registry, scoring } = instance.models;

  app.post<{ Params: { workspace: string }; Body: TrainBody }>(
    '/api/workspaces/:workspace/training-runs',
    {
      config: { access: { permission: 'model:train', workspaceParam: 'workspace' } },
      schema: {
        summary: 'Start a training run in the background (202; poll the run for progress)',
        params: WS_PARAMS,
        body: TRAIN_BODY,
        response: { 202: RUN_VIEW },
      },
    },
    async (request, reply) => reply.code(202).send(await training.start(request.principal!, request.workspace!.id, request.body, String(request.id))),
  );

  app.get<{ Params: { workspace: string } }>(
    '/api/workspaces/:workspace/training-runs',
    {
      config: { access: { permission: 'model:read', workspaceParam: 'workspace' } },
      schema: {
        summary: 'Every training run (experiment) of the workspace',
        params: WS_PARAMS,
        response: { 200: { type: 'object', additionalProperties: false, required: ['runs'], properties: { runs: { type: 'array', items: RUN_VIEW } } } },
      },
    },
    async (request) => ({ runs: await training.list(request.workspace!.id) }),
  );

  app.get<{ Params: { workspace: string; run: number } }>(
    '/api/workspaces/:workspace/training-runs/:run',
    {
      config: { access: { permission: 'model:read', workspaceParam: 'workspace' } },
      schema: { summary: 'A training run with its live progress and results', params: RUN_PARAMS, response: { 200: RUN_VIEW } },
    },
    async (request) => training.get(request.workspace!.id, request.params.run),
  );

  app.post<{ Params: { workspace: string; run: number } }>(
    '/api/workspaces/:workspace/training-runs/:run/cancel',
    {
      config: { access: { permission: 'model:train', workspaceParam: 'workspace' } },
      schema: { summary: 'Cancel a queued or running training run', params: RUN_PARAMS, response: { 200: RUN_VIEW } },
    },
    async (request) => training.cancel(request.principal!, request.workspace!.id, request.params.run, String(request.id)),
  );

  app.get<{ Params: { workspace: string } }>(
    '/api/workspaces/:workspace/models',
    {
      config: { access: { permission: 'model:read', workspaceParam: 'workspace' } },
      schema: {
        summary: 'Registered model versions with their stages and cards',
        params: WS_PARAMS,
        response: { 200: { type: 'object', additionalProperties: false, required: ['models'], properties: { models: { type: 'array', items: MODEL_VIEW } } } },
      },
    },
    async (request) => ({ models: await registry.list(request.workspace!.id) }),
  );

  app.get<{ Params: { workspace: string; model: string; version: number } }>(
    '/api/workspaces/:workspace/models/:model/versions/:version',
    {
      config: { access: { permission: 'model:read', workspaceParam: 'workspace' } },
      schema: {
        summary: 'One model version and its model card (lineage, metrics, privacy audit)',
        params: MODEL_VERSION_PARAMS,
        response: { 200: MODEL_VIEW },
      },
    },
    async (request) => registry.get(request.workspace!.id, request.params.model, request.params.version),
  );

  app.post<{ Params: { workspace: string; model: string; version: number }; Body: { overrideReason?: string } | undefined }>(
    '/api/workspaces/:workspace/models/:model/versions/:version/approve',
    {
      config: { access: { permission: 'model:approve', workspaceParam: 'workspace' } },
      schema: {
        summary: 'Approve a candidate for serving (not by its trainer; the privacy release gate applies unless overridden with a reason)',
        params: MODEL_VERSION_PARAMS,
        body: { type: 'object', additionalProperties: false, properties: { overrideReason: { type: 'string', minLength: 20, maxLength: 1000 } } },
        response: { 200: MODEL_VIEW },
      },
    },
    async (request) =>
      registry.approve(request.principal!, request.workspace!.id, request.params.model, request.params.version, {
        overrideReason: request.body?.overrideReason,
        requestId: String(request.id),
      }),
  );

  app.post<{ Params: { workspace: string; model: string; version: number } }>(
    '/api/workspaces/:workspace/models/:model/versions/:version/retire',
    {
      config: { access: { permission: 'model:approve', workspaceParam: 'workspace' } },
      schema: { summary: 'Retire a model version (it can no longer be served)', params: MODEL_VERSION_PARAMS, response: { 200: MODEL_VIEW } },
    },
    async (request) => registry.retire(request.principal!, request.workspace!.id, request.params.model, request.params.version, String(request.id)),
  );

  app.register(async (scope) => {
    scope.addContentTypeParser('text/csv', { parseAs: 'string' }, (_request, body, done) => done(null, body));
    scope.post<{ Params: { workspace: string; model: string }; Querystring: { version?: number } }>(
      '/api/workspaces/:workspace/models/:model/predict',
      {
        config: { access: { permission: 'model:predict', workspaceParam: 'workspace' } },
        schema: {
          summary: 'Score one record or a batch (JSON {record} / {records}, or text/csv) with the approved model',
          params: MODEL_PARAMS,
          querystring: { type: 'object', additionalProperties: false, properties: { version: { type: 'integer', minimum: 1 } } },
          body: {
            anyOf: [
              { type: 'string' },
              { type: 'object', additionalProperties: false, properties: { record: RECORD, records: { type: 'array', items: RECORD } } },
            ],
          },
          response: { 200: SCORING_RESULT },
        },
      },
      async (request) =>
        scoring.predict(request.principal!, request.workspace!.id, request.params.model, request.query.version, recordsOf(request.body), String(request.id)),
    );
  });
}
