import type { FastifyInstance } from 'fastify';
import type { Instance } from '../../../../composition/open-instance.js';
import { LabelOverrideService } from '../../../../services/ingest/label-override.js';
import { KINDS_OF_LABEL } from '../../../../services/ingest/label-override-rules.js';
import { WORKSPACE_PARAMS as WS_PARAMS } from '../workspace-params.js';

const V_PARAMS = {
  ...WS_PARAMS,
  required: ['workspace', 'dataset', 'version'],
  properties: { ...WS_PARAMS.properties, dataset: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]{0,63}$' }, version: { type: 'integer', minimum: 1 } },
} as const;
const ACTION = { type: 'string', enum: ['encrypt', 'pseudonymise', 'plain'] } as const;
const RESULT = {
  type: 'object',
  additionalProperties: false,
  required: ['dataset', 'version', 'status', 'column', 'label', 'kind', 'previousLabel', 'previousKind', 'action', 'previousAction', 'rowsRewritten'],
  properties: {
    dataset: { type: 'string' },
    version: { type: 'integer' },
    status: { type: 'string' },
    column: { type: 'string' },
    label: { type: 'string' },
    kind: { type: ['string', 'null'] },
    previousLabel: { type: 'string' },
    previousKind: { type: ['string', 'null'] },
    action: ACTION,
    previousAction: ACTION,
    rowsRewritten: { type: 'integer' },
  },
} as const;

type Params = { workspace: string; dataset: string; version: number };
type Body = { column: string; label: string; kind?: string; reason: string; confirmDecrypt?: boolean };

/**
 * The data steward's label review: override a column's label (and kind) of a ready version, with a reason. The
 * handling follows; stored values move when it changes (a downgrade needs confirmDecrypt). Published versions: 409.
 * @param app - the Fastify instance
 * @param instance - configuration and services
 */
export function registerLabelRoutes(app: FastifyInstance, instance: Instance): void {
  const labels = new LabelOverrideService(instance.storage, instance.audit, instance.clock, async () => (await instance.keys()).keys);
  app.post<{ Params: Params; Body: Body }>(
    '/api/workspaces/:workspace/datasets/:dataset/versions/:version/labels',
    {
      config: { access: { permission: 'dataset:publish', workspaceParam: 'workspace' } },
      schema: {
        summary: "Override a column's label of a ready (unpublished) version (data steward, with a reason); the handling and stored values follow",
        params: V_PARAMS,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['column', 'label', 'reason'],
          properties: {
            column: { type: 'string', minLength: 1, maxLength: 256 },
            label: { type: 'string', enum: Object.keys(KINDS_OF_LABEL) },
            kind: { type: 'string', minLength: 1, maxLength: 64 },
            reason: { type: 'string', minLength: 10, maxLength: 1000 },
            confirmDecrypt: { type: 'boolean' },
          },
        },
        response: { 200: RESULT },
      },
    },
    async (request) =>
      labels.override(request.principal!, request.workspace!.id, request.params.dataset, request.params.version, request.body, String(request.id)),
  );
}
