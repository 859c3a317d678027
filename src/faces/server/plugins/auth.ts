import type { FastifyInstance } from 'fastify';
import { HavenError } from '../../../errors/haven-error.js';
import { can } from '../../../services/access/policy.js';
import type { Instance } from '../../../composition/open-instance.js';

/**
 * Deny by default: every request needs a valid bearer token unless its route is declared public, and the
 * principal must hold the route's one declared permission. A route without a declaration answers 401/403 to
 * everyone (and fails the route-coverage test). Unknown routes also need authentication, so probing paths
 * without a token learns nothing.
 * @param app - the Fastify instance
 * @param instance - the services
 */
export function registerAuth(app: FastifyInstance, instance: Instance): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config.access;
    if (access?.public) {
      return;
    }
    const header = request.headers.authorization;
    if (header === undefined) {
      throw new HavenError('HAVEN_AUTH_REQUIRED');
    }
    const match = /^Bearer ([^\s]+)$/.exec(header);
    if (!match) {
      throw new HavenError('HAVEN_AUTH_INVALID_TOKEN');
    }
    request.principal = await instance.tokens.authenticate(instance.storage, match[1]!);
    if (request.is404) {
      return;
    }
    if (!access?.permission || !can(request.principal, access.permission)) {
      throw new HavenError('HAVEN_AUTH_FORBIDDEN');
    }
  });
}
