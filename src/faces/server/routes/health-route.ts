import type { FastifyInstance } from 'fastify';
import type { Instance } from '../../../composition/open-instance.js';
import { HAVEN_VERSION } from '../../../version.js';
import { HavenError } from '../../../errors/haven-error.js';

/** GET /health: public liveness with a database round trip. */
export function registerHealthRoute(app: FastifyInstance, instance: Instance): void {
  app.get(
    '/health',
    {
      config: { access: { public: true } },
      schema: {
        summary: 'Liveness and database check',
        response: {
          200: {
            type: 'object',
            additionalProperties: false,
            required: ['status', 'version'],
            properties: { status: { type: 'string' }, version: { type: 'string' } },
          },
        },
      },
    },
    async () => {
      try {
        await instance.storage.read.audit.head();
      } catch (cause) {
        throw new HavenError('HAVEN_STORE_UNAVAILABLE', undefined, { cause });
      }
      return { status: 'ok', version: HAVEN_VERSION };
    },
  );
}
