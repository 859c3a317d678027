import type { FastifyInstance } from 'fastify';

/** GET /openapi.json: the OpenAPI document generated from the route schemas. */
export function registerOpenApiRoute(app: FastifyInstance): void {
  app.get(
    '/openapi.json',
    { config: { access: { public: true } }, schema: { hide: true, response: { 200: { type: 'object', additionalProperties: true } } } },
    async () => app.swagger(),
  );
}
