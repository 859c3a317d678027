import type { FastifyInstance } from 'fastify';

/** GET /api/session: who the caller is (subject, roles, workspace). */
export function registerSessionRoute(app: FastifyInstance): void {
  app.get(
    '/api/session',
    {
      config: { access: { permission: 'session:read' } },
      schema: {
        summary: 'The authenticated principal',
        response: {
          200: {
            type: 'object',
            additionalProperties: false,
            required: ['subject', 'roles', 'workspace'],
            properties: { subject: { type: 'string' }, roles: { type: 'array', items: { type: 'string' } }, workspace: { type: ['string', 'null'] } },
          },
        },
      },
    },
    async (request) => ({ subject: request.principal!.subject, roles: [...request.principal!.roles], workspace: request.principal!.workspace }),
  );
}
