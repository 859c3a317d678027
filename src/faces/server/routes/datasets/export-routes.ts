import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { Instance } from '../../../../composition/open-instance.js';
import { HavenError } from '../../../../errors/haven-error.js';
import { DeidentifiedExport, type ExportDates } from '../../../../services/ingest/deidentified-export.js';
import { DEID_COUNTS_TRAILER, DEID_PLAN_HEADER, encodeDeidCounts, encodeDeidPlan } from '../../../../services/ingest/deidentified-export-wire.js';
import { WORKSPACE_PARAMS as WS_PARAMS } from '../workspace-params.js';

const V_PARAMS = {
  ...WS_PARAMS,
  required: ['workspace', 'dataset', 'version'],
  properties: { ...WS_PARAMS.properties, dataset: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]{0,63}$' }, version: { type: 'integer', minimum: 1 } },
} as const;

type Params = { workspace: string; dataset: string; version: number };
type Query = { deidentified: boolean; dates?: ExportDates; patientColumn?: string };

/**
 * The de-identified export of a version (data steward): CSV streamed as it is produced, the plan in a header, the
 * counts in a trailer (deidentified-export-wire.ts).
 * @param app - the Fastify instance
 * @param instance - configuration and services
 */
export function registerExportRoutes(app: FastifyInstance, instance: Instance): void {
  const exporter = new DeidentifiedExport(instance.storage, instance.audit, instance.clock, async () => (await instance.keys()).keys);
  app.get<{ Params: Params; Querystring: Query }>(
    '/api/workspaces/:workspace/datasets/:dataset/versions/:version/export',
    {
      config: { access: { permission: 'dataset:export', workspaceParam: 'workspace' } },
      schema: {
        summary:
          "Export a version de-identified by the HIPAA Safe Harbor transforms, as CSV (data steward); the plan (each column's action) is the header x-haven-deid-plan, the counts the trailer x-haven-deid-counts (base64url JSON)",
        params: V_PARAMS,
        querystring: {
          type: 'object',
          additionalProperties: false,
          required: ['deidentified'],
          properties: {
            deidentified: { type: 'boolean' },
            dates: { type: 'string', enum: ['year', 'shift'] },
            patientColumn: { type: 'string', minLength: 1, maxLength: 256 },
          },
        },
      },
    },
    async (request, reply) => {
      if (!request.query.deidentified) {
        throw new HavenError('HAVEN_INGEST_EXPORT_NOT_DEIDENTIFIED');
      }
      const { dataset, version } = request.params;
      const stream = await exporter.open(
        request.principal!,
        request.workspace!.id,
        dataset,
        version,
        { dates: request.query.dates, patientColumn: request.query.patientColumn },
        String(request.id),
      );
      reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${dataset}-v${version}-deidentified.csv"`)
        .header('cache-control', 'no-store')
        .header(DEID_PLAN_HEADER, encodeDeidPlan(stream.plan))
        .trailer(DEID_COUNTS_TRAILER, async () => {
          const report = stream.report();
          return report ? encodeDeidCounts(report) : '';
        });
      return reply.send(Readable.from(stream.csv(), { objectMode: false }));
    },
  );
}
