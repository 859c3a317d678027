import type { FastifyInstance } from 'fastify';
import type { Instance } from '../../../composition/open-instance.js';
import { CATALOGUE } from '../../../errors/codes.js';

/** The ledger outcome of an HTTP status. */
export function outcomeOf(status: number): 'success' | 'failure' | 'denied' {
  if (status === 401 || status === 403) {
    return 'denied';
  }
  return status < 400 ? 'success' : 'failure';
}

/**
 * Record every request in the ledger before its response leaves: who, which route (the pattern, never the raw
 * URL or query, which could carry identifiers), the status and the request id. If the entry cannot be written
 * the response is replaced by a 503, so nothing is served unrecorded (fail closed). Changes are recorded again,
 * inside their own transaction, by the services.
 * @param app - the Fastify instance
 * @param instance - the services
 */
export function registerRequestAudit(app: FastifyInstance, instance: Instance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    const route = request.is404 ? 'unmatched' : (request.routeOptions.url ?? 'unmatched');
    try {
      await instance.audit.record(instance.storage, {
        actor: request.principal?.subject ?? 'anonymous',
        action: 'http.request',
        resource: `${request.method} ${route}`,
        outcome: request.deniedByPolicy ? 'denied' : outcomeOf(reply.statusCode),
        requestId: String(request.id),
        detail: { status: reply.statusCode },
      });
      return payload;
    } catch {
      request.log.error({ code: 'HAVEN_AUDIT_WRITE_FAILED', reqId: request.id }, 'request not recorded in the ledger; response withheld');
      reply.code(503).type('application/json');
      return JSON.stringify({
        error: { code: 'HAVEN_AUDIT_WRITE_FAILED', message: CATALOGUE.HAVEN_AUDIT_WRITE_FAILED.message, requestId: String(request.id) },
      });
    }
  });
}
