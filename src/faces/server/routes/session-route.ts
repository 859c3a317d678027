import type { FastifyInstance } from 'fastify';
import type { Instance } from '../../../composition/open-instance.js';

/** GET /api/session: who the caller is (user, global roles, workspaces and roles, how they authenticated). */
export function registerSessionRoute(app: FastifyInstance, instance: Instance): void {
  app.get(
    '/api/session',
    {
      config: { access: { permission: 'session:read', allowIncomplete: true } },
      schema: {
        summary: 'The authenticated principal',
        response: {
          200: {
            type: 'object',
            additionalProperties: false,
            required: ['subject', 'username', 'globalRoles', 'workspaces', 'via', 'fullyAuthenticated'],
            properties: {
              subject: { type: 'string' },
              username: { type: 'string' },
              globalRoles: { type: 'array', items: { type: 'string' } },
              workspaces: {
                type: 'array',
                items: { type: 'object', additionalProperties: false, required: ['name', 'role'], properties: { name: { type: 'string' }, role: { type: 'string' } } },
              },
              via: { type: 'string' },
              fullyAuthenticated: { type: 'boolean' },
            },
          },
        },
      },
    },
    async (request) => {
      const p = request.principal!;
      const names = new Map((await instance.workspaces.list()).map((w) => [w.id, w.name]));
      return {
        subject: p.subject,
        username: p.username,
        globalRoles: [...p.globalRoles],
        workspaces: p.memberships.map((m) => ({ name: names.get(m.workspaceId) ?? m.workspaceId, role: m.role })),
        via: p.via,
        fullyAuthenticated: p.fullyAuthenticated,
      };
    },
  );
}
