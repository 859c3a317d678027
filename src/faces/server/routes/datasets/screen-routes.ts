import type { FastifyInstance } from 'fastify';
import type { Instance } from '../../../../composition/open-instance.js';
import { WORKSPACE_PARAMS as WS_PARAMS } from '../workspace-params.js';

const V_PARAMS = {
  ...WS_PARAMS,
  required: ['workspace', 'dataset', 'version'],
  properties: { ...WS_PARAMS.properties, dataset: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]{0,63}$' }, version: { type: 'integer', minimum: 1 } },
} as const;
const SCREEN_VIEW = {
  type: 'object',
  additionalProperties: false,
  required: ['version', 'baselineVersion', 'status', 'flags', 'errorCode', 'screenedAt', 'acknowledged'],
  properties: {
    version: { type: 'integer' },
    baselineVersion: { type: ['integer', 'null'] },
    status: { type: 'string' },
    flags: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['kind', 'feature', 'stats'],
        properties: { kind: { type: 'string' }, feature: { type: ['string', 'null'] }, stats: { type: 'object', additionalProperties: { type: 'number' } } },
      },
    },
    errorCode: { type: ['string', 'null'] },
    screenedAt: { type: 'string' },
    acknowledged: {
      anyOf: [
        { type: 'null' },
        { type: 'object', additionalProperties: false, required: ['by', 'at'], properties: { by: { type: 'string' }, at: { type: 'string' } } },
      ],
    },
  },
} as const;

type Params = { workspace: string; dataset: string; version: number };

/**
 * The poisoning screen of a dataset version (distribution and label shift, duplicates, outliers against the previous
 * version) and the steward's acknowledgement that lets a flagged version be trained on.
 * @param app - the Fastify instance
 * @param instance - configuration and services
 */
export function registerScreenRoutes(app: FastifyInstance, instance: Instance): void {
  app.get<{ Params: Params }>(
    '/api/workspaces/:workspace/datasets/:dataset/versions/:version/screen',
    {
      config: { access: { permission: 'dataset:read', workspaceParam: 'workspace' } },
      schema: { summary: "A version's poisoning screen (flags with statistics, never values)", params: V_PARAMS, response: { 200: SCREEN_VIEW } },
    },
    async (request) => instance.screens.get(await instance.catalog.version(request.workspace!.id, request.params.dataset, request.params.version)),
  );
  app.post<{ Params: Params; Body: { reason: string } }>(
    '/api/workspaces/:workspace/datasets/:dataset/versions/:version/screen/acknowledge',
    {
      config: { access: { permission: 'dataset:publish', workspaceParam: 'workspace' } },
      schema: {
        summary: 'Acknowledge a flagged screen so the version may be trained on (data steward, with a reason)',
        params: V_PARAMS,
        body: { type: 'object', additionalProperties: false, required: ['reason'], properties: { reason: { type: 'string', minLength: 20, maxLength: 1000 } } },
        response: { 200: SCREEN_VIEW },
      },
    },
    async (request) => {
      const v = await instance.catalog.version(request.workspace!.id, request.params.dataset, request.params.version);
      return instance.screens.acknowledge(request.principal!, request.params.dataset, v, request.body.reason, String(request.id));
    },
  );
}
