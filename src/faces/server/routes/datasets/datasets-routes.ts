import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import type { Instance } from '../../../../composition/open-instance.js';
import { XLSM_MEDIA_TYPE, XLSX_MEDIA_TYPE } from '../../../../libs/formats/upload-format.js';
import { WORKSPACE_PARAMS as WS_PARAMS } from '../workspace-params.js';
import { parseDeclaredSchema } from '../../../../services/ingest/declared-schema.js';
import { registerExportRoutes } from './export-routes.js';
import { importSourceOf } from './import-source.js';
import { registerLabelRoutes } from './label-routes.js';

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
    properties: {
      column: { type: 'string' },
      label: { type: 'string' },
      kind: { type: 'string' },
      confidence: { type: 'number' },
      evidence: ANY_OBJECT,
      // A steward's override (label-routes.ts): who, when, why, and what the classifier had said.
      overriddenBy: { type: 'string' },
      override: ANY_OBJECT,
    },
  },
} as const;
const HANDLING = {
  type: 'array',
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['column', 'action', 'label', 'kind', 'flagged'],
    properties: {
      column: { type: 'string' },
      action: { type: 'string' },
      label: { type: 'string' },
      kind: { type: ['string', 'null'] },
      flagged: { type: 'boolean' },
      // While a label override moves the column's values: the action they come from and the checkpoint.
      pending: { type: 'object', additionalProperties: false, required: ['from', 'afterRowNo'], properties: { from: { type: 'string' }, afterRowNo: { type: 'integer' } } },
    },
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
  registerLabelRoutes(app, instance);
  registerExportRoutes(app, instance);
  app.register(async (scope) => {
    // Uploads are streamed to the import service as they arrive; the size limit is enforced while reading.
    scope.addContentTypeParser(['text/csv', 'application/gzip', 'application/octet-stream', XLSX_MEDIA_TYPE, XLSM_MEDIA_TYPE], (_request, payload, done) => done(null, payload));
    // multipart/form-data is understood here only (this scope holds the imports route alone); per-request limits
    // (one part, the file size) are set where the part is read, in multipart-upload.ts.
    await scope.register(multipart, { limits: { parts: 1, files: 1, fields: 1, fieldSize: 1024, headerPairs: 20 } });
    scope.post<{ Params: { workspace: string; dataset: string }; Querystring: { sheet?: string; schema?: string } }>(
      '/api/workspaces/:workspace/datasets/:dataset/imports',
      {
        config: { access: { permission: 'dataset:import', workspaceParam: 'workspace' } },
        schema: {
          summary:
            'Import a table as the next version of a dataset: CSV (text/csv, or gzip) or an Excel workbook (its first visible sheet, or ?sheet=NAME), as the body or as the one file part "file" of multipart/form-data',
          params: DS_PARAMS,
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: {
              sheet: { type: 'string', minLength: 1, maxLength: 31 },
              // A declared schema as JSON (declared-schema.ts), enforced: header mismatch 400, bad rows quarantined.
              schema: { type: 'string', minLength: 2, maxLength: 16_384 },
            },
          },
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
        // Parsed before the upload is read, so a bad schema costs nothing.
        const declared = request.query.schema === undefined ? undefined : parseDeclaredSchema(request.query.schema);
        const source = await importSourceOf(request, instance, request.query.sheet);
        const report = await instance.ingest.importTable(request.principal!, request.workspace!.id, request.params.dataset, source, String(request.id), declared);
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
