import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Instance } from '../../composition/open-instance.js';
import { HAVEN_VERSION } from '../../version.js';
import { registerAuth } from './plugins/auth.js';
import { ERROR_RESPONSE_SCHEMA, registerErrorHandling, sendError, toHavenError } from './plugins/error-handler.js';
import { registerJsonBodyParser } from './plugins/json-body-parser.js';
import { registerMetrics } from './plugins/metrics.js';
import { registerPathGuard } from './plugins/path-guard.js';
import { registerRequestAudit } from './plugins/request-audit.js';
import { registerSecurityHeaders } from './plugins/security-headers.js';
import { registerAuditRoutes } from './routes/audit/audit-routes.js';
import { registerHealthRoute } from './routes/health-route.js';
import { registerMetricsRoute } from './routes/metrics-route.js';
import { registerOpenApiRoute } from './routes/openapi-route.js';
import { registerPostureRoutes } from './routes/posture/posture-routes.js';
import { registerSessionRoute } from './routes/session-route.js';
import { registerDatasetsRoutes } from './routes/datasets/datasets-routes.js';
import { registerEncountersRoutes } from './routes/encounters/encounters-routes.js';
import { registerModelsRoutes } from './routes/models/models-routes.js';
import { registerScreenRoutes } from './routes/datasets/screen-routes.js';
import { registerAuthRoutes } from './routes/auth/auth-routes.js';
import { registerOidcRoutes } from './routes/auth/oidc-routes.js';
import { registerWebauthnRoutes } from './routes/auth/webauthn-routes.js';
import { registerTokensRoutes } from './routes/tokens/tokens-routes.js';
import { registerUsersRoutes } from './routes/users/users-routes.js';
import { registerWorkspacesRoutes } from './routes/workspaces/workspaces-routes.js';
import { registerReportRoutes } from './routes/reports/report-routes.js';
import { registerDashboardRoutes } from './routes/dashboard/dashboard-routes.js';
import type { RouteAccess } from './route-config.js';

/** A route as registered, with its declared access (the route-coverage test reads these). */
export interface RegisteredRoute {
  readonly method: string;
  readonly url: string;
  readonly access: RouteAccess | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    havenRoutes: readonly RegisteredRoute[];
  }
}

/** TLS material for the server; absent means plain HTTP (which configuration allows only on loopback). */
export interface TlsMaterial {
  readonly key: string | Buffer;
  readonly cert: string | Buffer;
}

/** Only forward-secret AEAD suites for TLS 1.2; TLS 1.3 suites are all AEAD with ephemeral keys. */
export const TLS12_CIPHERS = [
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
].join(':');

/**
 * Build the HTTPS application (not listening). Tests call this with `inject()`; `haven serve` calls listen.
 * @param instance - configuration and services
 * @param tls - certificate and key, or undefined for plain HTTP
 */
export async function buildApp(instance: Instance, tls: TlsMaterial | undefined): Promise<FastifyInstance> {
  const { server: s, log } = instance.config;
  const timeouts = {
    requestTimeout: s.requestTimeoutMs,
    headersTimeout: s.headersTimeoutMs,
    keepAliveTimeout: s.keepAliveTimeoutMs,
    connectionsCheckingInterval: 500,
  };
  const app = Fastify({
    // Log lines carry the method, request id and status only: URLs and bodies may hold identifiers.
    logger:
      log.level === 'silent'
        ? false
        : {
            level: log.level,
            serializers: {
              req: (req: { method: string; id: string }) => ({ method: req.method, id: req.id }),
              res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
            },
          },
    bodyLimit: s.bodyLimitBytes,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // Unknown fields are refused, not stripped; types coerce only where HTTP gives strings (params, query) and a value converts cleanly.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
    // Errors the router raises before any hook (malformed percent-encoding) get the same coded body.
    frameworkErrors: (err, request, reply) => sendError(reply, request, toHavenError(err)),
    serverFactory: (handler) => {
      const server = tls
        ? createHttpsServer(
            { ...timeouts, key: tls.key, cert: tls.cert, minVersion: 'TLSv1.2', ciphers: TLS12_CIPHERS, honorCipherOrder: true, handshakeTimeout: 10_000 },
            handler,
          )
        : createHttpServer(timeouts, handler);
      return server;
    },
  });
  const routes: RegisteredRoute[] = [];
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) {
      routes.push({ method, url: r.url, access: r.config?.access });
    }
  });
  app.decorate('havenRoutes', routes);
  registerErrorHandling(app);
  registerJsonBodyParser(app);
  registerPathGuard(app);
  await registerSecurityHeaders(app, tls !== undefined);
  if (s.rateLimitPerMinute > 0) {
    await app.register(rateLimit, { global: true, max: s.rateLimitPerMinute, timeWindow: 60_000 });
  }
  await app.register(swagger, {
    openapi: {
      info: { title: 'Haven API', version: HAVEN_VERSION },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  app.addSchema({ $id: 'HavenError', ...ERROR_RESPONSE_SCHEMA });
  registerAuth(app, instance);
  const registry = registerMetrics(app);
  registerRequestAudit(app, instance);
  registerHealthRoute(app, instance);
  registerOpenApiRoute(app);
  registerMetricsRoute(app, registry);
  registerSessionRoute(app, instance);
  registerAuditRoutes(app, instance);
  registerPostureRoutes(app, instance);
  registerAuthRoutes(app, instance);
  registerOidcRoutes(app, instance);
  registerWebauthnRoutes(app, instance);
  registerUsersRoutes(app, instance);
  registerTokensRoutes(app, instance);
  registerWorkspacesRoutes(app, instance);
  registerDatasetsRoutes(app, instance);
  registerEncountersRoutes(app, instance);
  registerModelsRoutes(app, instance);
  registerScreenRoutes(app, instance);
  registerReportRoutes(app, instance);
  registerDashboardRoutes(app, instance);
  return app;
}
