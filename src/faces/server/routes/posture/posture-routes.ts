import type { FastifyInstance } from 'fastify';
import { evidenceReportOf } from '../../../../composition/evidence-report.js';
import type { Instance } from '../../../../composition/open-instance.js';

const TEXT = { type: 'string' } as const;
const COUNT = { type: 'integer' } as const;

const CONTROL = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'framework', 'ref', 'title', 'requirement', 'status', 'summary', 'evidence'],
  properties: {
    id: TEXT,
    framework: TEXT,
    ref: TEXT,
    title: TEXT,
    requirement: TEXT,
    status: { type: 'string', enum: ['pass', 'fail', 'not-applicable'] },
    summary: TEXT,
    evidence: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'label', 'value'],
        properties: { id: TEXT, label: TEXT, value: { type: ['string', 'number', 'boolean'] } },
      },
    },
  },
} as const;

const REPORT = {
  type: 'object',
  additionalProperties: false,
  required: ['format', 'version', 'generatedAt', 'instanceId', 'havenVersion', 'store', 'summary', 'frameworks', 'controls', 'outOfScope'],
  properties: {
    format: TEXT,
    version: COUNT,
    generatedAt: TEXT,
    instanceId: TEXT,
    havenVersion: TEXT,
    store: TEXT,
    summary: {
      type: 'object',
      additionalProperties: false,
      required: ['total', 'pass', 'fail', 'notApplicable'],
      properties: { total: COUNT, pass: COUNT, fail: COUNT, notApplicable: COUNT },
    },
    frameworks: {
      type: 'array',
      items: { type: 'object', additionalProperties: false, required: ['id', 'name', 'source'], properties: { id: TEXT, name: TEXT, source: TEXT } },
    },
    controls: { type: 'array', items: CONTROL },
    outOfScope: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['framework', 'ref', 'title', 'reason'],
        properties: { framework: TEXT, ref: TEXT, title: TEXT, reason: TEXT },
      },
    },
  },
} as const;

/** The evidence report for auditors and site admins: the same JSON `haven doctor --report` writes, measured now. */
export function registerPostureRoutes(app: FastifyInstance, instance: Instance): void {
  app.get(
    '/api/posture/report',
    {
      config: { access: { permission: 'config:read' } },
      schema: { summary: 'HIPAA §164.312 and SATRE evidence report, measured from the live instance', response: { 200: REPORT } },
    },
    async () => evidenceReportOf(instance),
  );
}
