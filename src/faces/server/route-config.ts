import type { Permission, Principal } from '../../services/access/policy.js';

/**
 * What every route must declare in its `config.access`: either the one permission it needs, or `public: true`
 * for the short allowlist. The route-coverage and matrix tests fail on a route that declares neither.
 * - `workspaceParam`: the route is about the workspace named by this URL parameter; callers outside it get 404.
 * - `allowIncomplete`: reachable before MFA and the forced password change are done (login flow routes only).
 * - `publicLogin`: reachable without credentials (login endpoints, throttled per account and address).
 */
export type RouteAccess =
  | { readonly permission: Permission; readonly workspaceParam?: string; readonly allowIncomplete?: boolean; readonly public?: never }
  | { readonly public: true; readonly permission?: never };

/** Routes reachable without authentication. Kept short and tested. */
export const PUBLIC_ROUTES: readonly string[] = [
  'GET /health',
  'GET /openapi.json',
  'POST /api/auth/login',
  'POST /api/auth/token',
  'GET /api/auth/oidc/start',
  'GET /api/auth/oidc/callback',
  // The dashboard's shell page and built assets (an in-memory allow-list; no data): the sign-in page must load first.
  'GET /app',
  'GET /app/*',
];

/** Name of the session cookie (`__Host-`: Secure, Path=/, no Domain, so no other host or path can set it). */
export const SESSION_COOKIE = '__Host-haven_session';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    principal: Principal | null;
    /** The workspace a workspace-scoped route resolved (id and name). */
    workspace: { id: string; name: string } | null;
    /** The raw session id when the request authenticated by cookie. */
    sessionId: string | null;
    /** Set when the auth layer refused the request (the ledger records it as denied, even for a 404). */
    deniedByPolicy: boolean;
  }
}
