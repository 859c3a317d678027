import { createHmac } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { loadIdentityKey } from '../../../../adapters/datadir/data-dir.js';
import type { Instance } from '../../../../composition/open-instance.js';
import { HavenError } from '../../../../errors/haven-error.js';
import type { Facility } from '../../../../libs/formats/fhir/los-record.js';
import type { StayFilter } from '../../../../libs/stay-reports/report-types.js';
import { monthsBetween } from '../../../../libs/stay-reports/stay-filter.js';
import { ReportService } from '../../../../services/reports/report-service.js';
import { ACTUAL_QUERY, ACTUAL_REPORT, FACILITY_QUERY, PATIENT_LIST, PREDICTED_REPORT, REPORT_PARAMS } from './report-schemas.js';

/** The longest period a report covers (months), which bounds the cross-tab the server builds. */
export const MAX_REPORT_MONTHS = 120;

type Query = { facility?: Facility; from?: string; to?: string };

function filterOf(q: Query): StayFilter {
  if (q.from !== undefined && q.to !== undefined) {
    if (q.from > q.to) {
      throw new HavenError('HAVEN_HTTP_VALIDATION', 'from must not be after to');
    }
    if (monthsBetween(q.from, q.to).length > MAX_REPORT_MONTHS) {
      throw new HavenError('HAVEN_HTTP_VALIDATION', `a report covers at most ${MAX_REPORT_MONTHS} months`);
    }
  }
  return { ...(q.facility ? { facility: q.facility } : {}), ...(q.from ? { from: q.from } : {}), ...(q.to ? { to: q.to } : {}) };
}

/**
 * The differencing guard's salt: derived from the instance's identity key (a secret in the data directory, never in the
 * database), so the stored sketches do not let a database reader test which encounters a slice held.
 * @param dataDir - the data directory
 */
export function reportSalt(dataDir: string): string {
  return createHmac('sha256', loadIdentityKey(dataDir).key).update('haven/report-differencing-salt/v1').digest('hex');
}

/**
 * The length-of-stay reports of the dashboard: actual stay (CMIO), predicted stay (CMIO and clinicians; aggregates under
 * disclosure control for roles without row-level access) and the clinician's patient list.
 * @param app - the Fastify instance
 * @param instance - configuration and services
 */
export function registerReportRoutes(app: FastifyInstance, instance: Instance): void {
  const service = new ReportService(instance.storage, instance.audit, instance.clock, async () => (await instance.keys()).keys, {
    salt: reportSalt(instance.dataDir),
  });

  app.get<{ Params: { workspace: string }; Querystring: Query }>(
    '/api/workspaces/:workspace/reports/actual-stay',
    {
      config: { access: { permission: 'report:actual', workspaceParam: 'workspace' } },
      schema: {
        summary: 'Actual length of stay of discharged encounters (by facility, month and condition; occupancy against capacity), under disclosure control',
        params: REPORT_PARAMS,
        querystring: ACTUAL_QUERY,
        response: { 200: ACTUAL_REPORT },
      },
    },
    async (request) => service.actual(request.principal!, request.workspace!.id, filterOf(request.query), String(request.id)),
  );

  app.get<{ Params: { workspace: string }; Querystring: Query }>(
    '/api/workspaces/:workspace/reports/predicted-stay',
    {
      config: { access: { permission: 'report:predicted', workspaceParam: 'workspace' } },
      schema: {
        summary: 'Predicted length of stay of patients in hospital, and predicted against actual after discharge (aggregates)',
        params: REPORT_PARAMS,
        querystring: FACILITY_QUERY,
        response: { 200: PREDICTED_REPORT },
      },
    },
    async (request) => service.predicted(request.principal!, request.workspace!.id, filterOf(request.query), String(request.id)),
  );

  app.get<{ Params: { workspace: string }; Querystring: Query }>(
    '/api/workspaces/:workspace/reports/predicted-stay/patients',
    {
      config: { access: { permission: 'report:patients', workspaceParam: 'workspace' } },
      schema: {
        summary: "The workspace's patients with their predicted stay, row by row (names only for the admitting clinician)",
        params: REPORT_PARAMS,
        querystring: FACILITY_QUERY,
        response: { 200: PATIENT_LIST },
      },
    },
    async (request) => service.patients(request.principal!, request.workspace!.id, filterOf(request.query)),
  );
}
