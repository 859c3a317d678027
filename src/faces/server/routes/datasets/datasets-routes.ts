import type { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { Instance } from '../../../../composition/open-instance.js';
import { WORKSPACE_PARAMS as WS_PARAMS } from '../workspace-params.js';
import { limitedUpload } from '../../upload-stream.js';

const DATASET_NAME = { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]{0,63}$' } as const;
const DS_PARAMS = { ...WS_PARAMS, required: ['workspace', 'dataset'], properties: { ...WS_PARAMS.properties, dataset: DATASET_NAME } } as const;
const V_PARAMS = { ...DS_PARAMS, required: ['workspace', 'dataset', 'version'], properties: { ...DS_PARAMS.properties, version: { type: 'integer', minimum: 1 } } } as const;
const ANY_OBJECT = { type: 'object', additionalProperties: true } as const;
const CLASSIFICATION = {
  type: 'array',
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['column', 'label', 'confidence'],
    properties: { column: { type: 'string' }, label: { type: 'string' }, kind: { type: 'string' }, confidence: { type: 'number' }, evidence: ANY_OBJECT },
  },
} as const;
const HANDLING = {
  type: 'array',
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['column', 'action', 'label', 'kind', 'flagged'],
    properties: { column: { type: 'string' }, action: { type: 'string' }, label: { type: 'string' }, kind: { type: ['string', 'null'] }, flagged: { type: 'boolean' } },
  },
} as const;
const VERSION_VIEW = {
  type: 'object',
  additionalProperties: false,
  required: ['version', 'status', 'sha256', 'rowsRead', 'rowsStored', 'rowsQuarantined', 'importedBy', 'createdAt', 'publishedAt'],
  properties: {
    version: { type: 'integer' },
    status: { type: 'string' },
    sha256: { type: ['string', 'null'] },
    rowsRead: { type: 'integer' },
    rowsStored: { type: 'integer' },
    rowsQuarantined: { type: 'integer' },
    importedBy: { type: 'string' },
    createdAt: { type: 'string' },
    publishedAt: { type: ['string', 'null'] },
  },
} as const;

/** Dataset import (streaming CSV, gzip accepted), lineage, classification, publishing, and the pseudonymised view. */
export function registerDatasetsRoutes(app: FastifyInstance, instance: Instance): void {
  app.register(async (scope) => {
    // Uploads are streamed to the import service as they arrive; the size limit is enforced while reading.
    scope.addContentTypeParser(['text/csv', 'application/gzip', 'application/octet-stream'], (_request, payload, done) => done(null, payload));
    scope.post<{ Params: { workspace: string; dataset: string } }>(
      '/api/workspaces/:workspace/datasets/:dataset/imports',
      {
        config: { access: { permission: 'dataset:import', workspaceParam: 'workspace' } },
        schema: {
          summary: 'Import a CSV file (text/csv, or gzip) as the next version of a dataset',
          params: DS_PARAMS,
          response: {
            201: {
              type: 'object',
              additionalProperties: false,
              required: ['dataset', 'version', 'status', 'sha256', 'rowsRead', 'rowsStored', 'rowsQuarantined', 'classification', 'handling'],
              properties: {
                dataset: { type: 'string' },
                version: { type: 'integer' },
                status: { type: 'string' },
                sha256: { type: 'string' },
                rowsRead: { type: 'integer' },
                rowsStored: { type: 'integer' },
                rowsQuarantined: { type: 'integer' },
                classification: CLASSIFICATION,
                handling: HANDLING,
              },
            },
          },
        },
      },
      async (request, reply) => {
        const gzip = request.headers['content-type'] === 'application/gzip' || request.headers['content-encoding'] === 'gzip';
        const source = limitedUpload(request.body as Readable, gzip, { maxBytes: instance.config.ingest.maxUploadBytes, maxRatio: instance.config.ingest.maxGzipRatio });
        const report = await instance.ingest.importCsv(request.principal!, request.workspace!.id, request.params.dataset, source, String(request.id));
        return reply.code(201).send(report);
      },
    );
  });

  app.get<{ Params: { workspace: string } }>(
    '/api/workspaces/:workspace/datasets',
    {
      config: { access: { permission: 'dataset:read', workspaceParam: 'workspace' } },
      schema: {
        summary: 'Datasets of a workspace',
        params: WS_PARAMS,
        response: {
          200: {
            type: 'object',
            additionalProperties: false,
            required: ['datasets'],
            properties: { datasets: { type: 'array', items: { type: 'object', additionalProperties: false, required: ['name', 'createdAt'], properties: { name: { type: 'string' }, createdAt: { type: 'string' } } } } },
          },
        },
      },
    },
    async (request) => ({ datasets: await instance.catalog.datasets(request.workspace!.id) }),
  );

  app.get<{ Params: { workspace: string; dataset: string } }>(
    '/api/workspaces/:workspace/datasets/:dataset/versions',
    {
      config: { access: { permission: 'dataset:read', workspaceParam: 'workspace' } },
      schema: { summary: 'Versions of a dataset (lineage)', params: DS_PARAMS, response: { 200: { type: 'object', additionalProperties: false, required: ['versions'], properties: { versions: { type: 'array', items: VERSION_VIEW } } } } },
    },
    async (request) => ({ versions: await instance.catalog.versions(request.workspace!.id, request.params.dataset) }),
  );

  app.get<{ Params: { workspace: string; dataset: string; version: number } }>(
    '/api/workspaces/:workspace/datasets/:dataset/versions/:version',
    {
      config: { access: { permission: 'dataset:read', workspaceParam: 'workspace' } },
      schema: {
        summary: 'A version: lineage, schema, classification with evidence, handling applied',
        params: V_PARAMS,
        response: {
          200: {
            type: 'object',
            additionalProperties: false,
            required: [...VERSION_VIEW.required, 'header', 'schema', 'classification', 'handling'],
            properties: { ...VERSION_VIEW.properties, header: { type: 'array', items: { type: 'string' } }, schema: { type: ['array', 'null'], items: ANY_OBJECT }, classification: { anyOf: [CLASSIFICATION, { type: 'null' }] }, handling: { anyOf: [HANDLING, { type: 'null' }] } },
          },
        },
      },
    },
    async (request) => instance.catalog.detail(request.workspace!.id, request.params.dataset, request.params.version),
  );

  app.post<{ Params: { workspace: string; dataset: string; version: number } }>(
    '/api/workspaces/:workspace/datasets/:dataset/versions/:version/publish',
    {
      config: { access: { permission: 'dataset:publish', workspaceParam: 'workspace' } },
      schema: { summary: 'Publish a version for training', params: V_PARAMS, response: { 200: VERSION_VIEW } },
    },
    async (request) => instance.catalog.publish(request.principal!, request.workspace!.id, request.params.dataset, request.params.version, String(request.id)),
  );

  app.get<{ Params: { workspace: string; dataset: string; version: number }; Querystring: { after?: number; limit?: number } }>(
    '/api/workspaces/:workspace/datasets/:dataset/versions/:version/rows',
    {
      config: { access: { permission: 'dataset:rows', workspaceParam: 'workspace' } },
      schema: {
        summary: 'Rows in the pseudonymised view (no direct identifiers)',
        params: V_PARAMS,
        querystring: { type: 'object', additionalProperties: false, properties: { after: { type: 'integer', minimum: 0 }, limit: { type: 'integer', minimum: 1, maximum: 1000 } } },
        response: {
          200: {
            type: 'object',
            additionalProperties: false,
            required: ['columns', 'rows'],
            properties: {
              columns: { type: 'array', items: { type: 'string' } },
              rows: { type: 'array', items: { type: 'object', additionalProperties: false, required: ['rowNo', 'values'], properties: { rowNo: { type: 'integer' }, values: { type: 'object', additionalProperties: { type: 'string' } } } } },
            },
          },
        },
      },
    },
    async (request) => instance.catalog.pseudonymisedRows(request.workspace!.id, request.params.dataset, request.params.version, request.query.after ?? 0, request.query.limit ?? 100),
  );
}
