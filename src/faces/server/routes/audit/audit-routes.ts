import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { Instance } from '../../../../composition/open-instance.js';

const ENTRY_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['seq', 'ts', 'actor', 'action', 'resource', 'outcome', 'requestId', 'detail', 'prevHash', 'hash'],
  properties: {
    seq: { type: 'integer' },
    ts: { type: 'string' },
    actor: { type: 'string' },
    action: { type: 'string' },
    resource: { type: 'string' },
    outcome: { type: 'string' },
    requestId: { type: 'string' },
    detail: { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] } },
    prevHash: { type: 'string' },
    hash: { type: 'string' },
  },
} as const;

/** Ledger routes for auditors: verify, query and export. */
export function registerAuditRoutes(app: FastifyInstance, instance: Instance): void {
  app.get(
    '/api/audit/verify',
    {
      config: { access: { permission: 'audit:verify' } },
      schema: {
        summary: 'Verify the hash chain and signed checkpoints',
        response: {
          200: {
            type: 'object',
            additionalProperties: false,
            required: ['ok', 'entries', 'checkpoints', 'headSeq'],
            properties: {
              ok: { type: 'boolean' },
              entries: { type: 'integer' },
              checkpoints: { type: 'integer' },
              headSeq: { type: 'integer' },
              firstBad: { type: 'object', additionalProperties: false, properties: { seq: { type: 'integer' }, fault: { type: 'string' } } },
            },
          },
        },
      },
    },
    async () => instance.audit.verify(instance.storage),
  );

  app.post<{ Body: { afterSeq?: number; limit?: number } }>(
    '/api/audit/query',
    {
      config: { access: { permission: 'audit:read' } },
      schema: {
        summary: 'Read ledger entries in order',
        body: {
          type: 'object',
          additionalProperties: false,
          properties: { afterSeq: { type: 'integer', minimum: 0 }, limit: { type: 'integer', minimum: 1, maximum: 1000 } },
        },
        response: {
          200: { type: 'object', additionalProperties: false, required: ['entries'], properties: { entries: { type: 'array', items: ENTRY_SCHEMA } } },
        },
      },
    },
    async (request) => ({ entries: await instance.storage.read.audit.page(request.body.afterSeq ?? 0, request.body.limit ?? 100) }),
  );

  app.get(
    '/api/audit/export',
    {
      config: { access: { permission: 'audit:export' } },
      schema: { summary: 'The whole ledger as JSON lines (for a SIEM)', response: { 200: { type: 'string' } } },
    },
    async (_request, reply) => reply.type('application/x-ndjson').send(Readable.from(instance.audit.exportJsonLines(instance.storage))),
  );
}
