import type { Permission, Principal } from '../../services/access/policy.js';

/**
 * What every route must declare in its `config`: either the one permission it needs, or `public: true`
 * for the short allowlist (health, OpenAPI). The route-coverage test fails on a route that declares neither.
 */
export type RouteAccess = { readonly permission: Permission; readonly public?: never } | { readonly public: true; readonly permission?: never };

/** Routes reachable without authentication. Kept short and tested. */
export const PUBLIC_ROUTES: readonly string[] = ['GET /health', 'GET /openapi.json'];

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}
