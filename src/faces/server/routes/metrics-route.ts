import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';

/** GET /metrics: Prometheus text format, for holders of metrics:read. */
export function registerMetricsRoute(app: FastifyInstance, registry: Registry): void {
  app.get(
    '/metrics',
    {
      config: { access: { permission: 'metrics:read' } },
      schema: { summary: 'Prometheus metrics', response: { 200: { type: 'string' } } },
    },
    async (_request, reply) => {
      reply.type(registry.contentType);
      return registry.metrics();
    },
  );
}
