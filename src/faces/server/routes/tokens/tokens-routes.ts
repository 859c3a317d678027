import type { FastifyInstance } from 'fastify';
import type { Instance } from '../../../../composition/open-instance.js';
import { HavenError } from '../../../../errors/haven-error.js';
import { PERMISSIONS } from '../../../../services/access/policy.js';

const TOKEN_VIEW = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'name', 'createdAt', 'expiresAt', 'revokedAt', 'lastUsedAt', 'scopes', 'workspace'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    createdAt: { type: 'string' },
    expiresAt: { type: 'string' },
    revokedAt: { type: ['string', 'null'] },
    lastUsedAt: { type: ['string', 'null'] },
    scopes: { type: ['array', 'null'], items: { type: 'string' } },
    workspace: { type: ['string', 'null'] },
  },
} as const;

/** Your own API tokens: create (shown once), list, revoke. */
export function registerTokensRoutes(app: FastifyInstance, instance: Instance): void {
  app.post<{ Body: { name: string; scopes?: string[]; workspace?: string; ttlDays?: number } }>(
    '/api/tokens',
    {
      config: { access: { permission: 'tokens:own' } },
      schema: {
        summary: 'Create an API token limited to permissions you hold (and optionally one workspace)',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['name'],
          properties: {
            name: { type: 'string', minLength: 1, maxLength: 100 },
            scopes: { type: 'array', items: { type: 'string', enum: Object.keys(PERMISSIONS) }, uniqueItems: true, maxItems: 50 },
            workspace: { type: 'string', minLength: 1, maxLength: 64 },
            ttlDays: { type: 'integer', minimum: 1, maximum: 3650 },
          },
        },
        response: { 201: { type: 'object', additionalProperties: false, required: ['id', 'token', 'expiresAt'], properties: { id: { type: 'string' }, token: { type: 'string' }, expiresAt: { type: 'string' } } } },
      },
    },
    async (request, reply) => {
      const p = request.principal!;
      let workspaceId: string | null = null;
      if (request.body.workspace !== undefined) {
        const ws = await instance.workspaces.byName(request.body.workspace);
        if (!ws || !p.memberships.some((m) => m.workspaceId === ws.id)) {
          throw new HavenError('HAVEN_HTTP_NOT_FOUND');
        }
        workspaceId = ws.id;
      }
      const issued = await instance.audit.withAudit(instance.storage, { actor: p.subject, action: 'token.create', resource: `user:${p.subject}`, requestId: String(request.id) }, (repos) =>
        instance.tokens.issueFor(repos, p, {
          name: request.body.name,
          workspace: workspaceId,
          ...(request.body.scopes ? { scopes: request.body.scopes } : {}),
          ...(request.body.ttlDays ? { ttlDays: request.body.ttlDays } : {}),
        }),
      );
      return reply.code(201).send(issued);
    },
  );

  app.get(
    '/api/tokens',
    {
      config: { access: { permission: 'tokens:own' } },
      schema: { summary: 'List your tokens (never the tokens themselves)', response: { 200: { type: 'object', additionalProperties: false, required: ['tokens'], properties: { tokens: { type: 'array', items: TOKEN_VIEW } } } } },
    },
    async (request) => ({ tokens: await instance.tokens.list(instance.storage, request.principal!) }),
  );

  app.delete<{ Params: { id: string } }>(
    '/api/tokens/:id',
    {
      config: { access: { permission: 'tokens:own' } },
      schema: {
        summary: 'Revoke one of your tokens',
        params: { type: 'object', additionalProperties: false, required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } },
        response: { 204: { type: 'null' } },
      },
    },
    async (request, reply) => {
      const p = request.principal!;
      await instance.audit.withAudit(instance.storage, { actor: p.subject, action: 'token.revoke', resource: `token:${request.params.id}`, requestId: String(request.id) }, (repos) =>
        instance.tokens.revoke(repos, p, request.params.id),
      );
      return reply.code(204).send();
    },
  );
}
