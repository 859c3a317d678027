import type { FastifyInstance } from 'fastify';
import type { Instance } from '../../../../composition/open-instance.js';
import { FLAG_COLUMNS, LAB_COLUMNS } from '../../../../libs/formats/fhir/index.js';
import { EncounterService } from '../../../../services/encounters/encounter-service.js';
import { WORKSPACE_PARAMS as WS_PARAMS } from '../workspace-params.js';
import { ADMISSION_PREDICTION } from '../models/model-schemas.js';

const EID_PARAMS = {
  ...WS_PARAMS,
  required: ['workspace', 'eid'],
  properties: { ...WS_PARAMS.properties, eid: { type: 'string', pattern: '^[1-9][0-9]{0,15}$' } },
} as const;
/** The message is validated by the FHIR mapper (coded errors naming the path); the schema only asks for an object. */
const MESSAGE_BODY = { type: 'object' } as const;

const NULLABLE_STRING = { type: ['string', 'null'] } as const;
const NULLABLE_NUMBER = { type: ['number', 'null'] } as const;
const RECORD_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['eid', 'vdate', 'rcount', 'gender', ...FLAG_COLUMNS, ...LAB_COLUMNS, 'secondarydiagnosisnonicd9', 'facid', 'discharged', 'lengthofstay'],
  properties: {
    First: NULLABLE_STRING,
    Middle: NULLABLE_STRING,
    Last: NULLABLE_STRING,
    eid: { type: 'integer' },
    vdate: { type: 'string' },
    rcount: NULLABLE_STRING,
    gender: NULLABLE_STRING,
    ...Object.fromEntries(FLAG_COLUMNS.map((c) => [c, { type: 'integer' }])),
    ...Object.fromEntries(LAB_COLUMNS.map((c) => [c, NULLABLE_NUMBER])),
    secondarydiagnosisnonicd9: { type: 'integer' },
    facid: NULLABLE_STRING,
    discharged: NULLABLE_STRING,
    lengthofstay: { type: ['integer', 'null'] },
  },
} as const;
const SUMMARY_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['eid', 'vdate', 'admittedBy', 'admittedAt', 'discharged', 'lengthofstay', 'dischargedBy', 'dischargedAt', 'namesShown'],
  properties: {
    eid: { type: 'integer' },
    vdate: { type: 'string' },
    admittedBy: { type: 'string' },
    admittedAt: { type: 'string' },
    discharged: NULLABLE_STRING,
    lengthofstay: { type: ['integer', 'null'] },
    dischargedBy: NULLABLE_STRING,
    dischargedAt: NULLABLE_STRING,
    namesShown: { type: 'boolean' },
  },
} as const;
const VIEW_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['encounter', 'record', 'unknownCodes', 'notes', 'prediction'],
  properties: {
    prediction: ADMISSION_PREDICTION,
    encounter: SUMMARY_SCHEMA,
    record: RECORD_SCHEMA,
    unknownCodes: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['system', 'code', 'resourceType'],
        properties: { system: NULLABLE_STRING, code: NULLABLE_STRING, resourceType: { type: 'string' } },
      },
    },
    notes: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['kind', 'column', 'path'],
        properties: { kind: { type: 'string' }, column: NULLABLE_STRING, path: { type: 'string' } },
      },
    },
  },
} as const;

/**
 * Clinician admissions and discharges from FHIR messages (R4 Bundle or the reference's plain object), and reading an
 * encounter back. The JSON body limit of the server applies; the mapper bounds entries, depth and nodes.
 * @param app - the Fastify instance
 * @param instance - configuration and services
 */
export function registerEncountersRoutes(app: FastifyInstance, instance: Instance): void {
  const service = new EncounterService(instance.storage, instance.audit, instance.clock, async () => (await instance.keys()).keys, instance.models.admissions);

  app.post<{ Params: { workspace: string } }>(
    '/api/workspaces/:workspace/admissions',
    {
      config: { access: { permission: 'encounter:admit', workspaceParam: 'workspace' } },
      schema: { summary: 'Admit a patient from a FHIR admission message', params: WS_PARAMS, body: MESSAGE_BODY, response: { 201: VIEW_SCHEMA } },
    },
    async (request, reply) => reply.code(201).send(await service.admit(request.principal!, request.workspace!.id, request.body, String(request.id))),
  );

  app.post<{ Params: { workspace: string } }>(
    '/api/workspaces/:workspace/discharges',
    {
      config: { access: { permission: 'encounter:discharge', workspaceParam: 'workspace' } },
      schema: {
        summary: 'Discharge an admitted encounter from a FHIR discharge message (length of stay computed)',
        params: WS_PARAMS,
        body: MESSAGE_BODY,
        response: { 200: { type: 'object', additionalProperties: false, required: ['encounter'], properties: { encounter: SUMMARY_SCHEMA } } },
      },
    },
    async (request) => ({ encounter: await service.discharge(request.principal!, request.workspace!.id, request.body, String(request.id)) }),
  );

  app.get<{ Params: { workspace: string; eid: string } }>(
    '/api/workspaces/:workspace/encounters/:eid',
    {
      config: { access: { permission: 'encounter:read', workspaceParam: 'workspace' } },
      schema: { summary: 'An encounter (names only for the clinician who admitted it)', params: EID_PARAMS, response: { 200: VIEW_SCHEMA } },
    },
    async (request) => service.get(request.principal!, request.workspace!.id, Number(request.params.eid)),
  );
}
