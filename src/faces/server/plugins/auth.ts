import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HavenError } from '../../../errors/haven-error.js';
import { can, isMemberOf, STEP_UP_PERMISSIONS, type Principal } from '../../../services/access/policy.js';
import type { Instance } from '../../../composition/open-instance.js';
import { SESSION_COOKIE, type RouteAccess } from '../route-config.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function cookieValue(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) {
    return undefined;
  }
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) {
      return v.join('=');
    }
  }
  return undefined;
}

async function resolvePrincipal(request: FastifyRequest, instance: Instance): Promise<Principal> {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer ([^\s]+)$/.exec(header);
    if (!match) {
      throw new HavenError('HAVEN_AUTH_INVALID_TOKEN');
    }
    return instance.tokens.authenticate(instance.storage, match[1]!);
  }
  const session = cookieValue(request, SESSION_COOKIE);
  if (session !== undefined) {
    const csrf = request.headers['x-csrf-token'];
    const principal = await instance.sessions.authenticate(session, typeof csrf === 'string' ? csrf : undefined, !SAFE_METHODS.has(request.method));
    request.sessionId = session;
    return principal;
  }
  throw new HavenError('HAVEN_AUTH_REQUIRED');
}

function deny(request: FastifyRequest, code: 'HAVEN_AUTH_FORBIDDEN' | 'HAVEN_HTTP_NOT_FOUND' | 'HAVEN_AUTH_MFA_REQUIRED' | 'HAVEN_AUTH_STEP_UP_REQUIRED' | 'HAVEN_AUTH_PASSWORD_CHANGE_REQUIRED'): never {
  request.deniedByPolicy = true;
  throw new HavenError(code);
}

async function authorise(request: FastifyRequest, instance: Instance, access: RouteAccess | undefined, principal: Principal): Promise<void> {
  if (!access?.permission) {
    deny(request, 'HAVEN_AUTH_FORBIDDEN');
  }
  if (!principal.fullyAuthenticated && !access.allowIncomplete) {
    const user = await instance.storage.read.users.byId(principal.subject);
    deny(request, user?.mustChangePassword ? 'HAVEN_AUTH_PASSWORD_CHANGE_REQUIRED' : 'HAVEN_AUTH_MFA_REQUIRED');
  }
  let workspaceId: string | null = null;
  if (access.workspaceParam) {
    const name = (request.params as Record<string, string | undefined>)[access.workspaceParam];
    const ws = name === undefined ? undefined : await instance.workspaces.byName(name);
    // Outside the caller's scope, a workspace and everything in it "does not exist".
    if (!ws || !isMemberOf(principal, ws.id)) {
      deny(request, 'HAVEN_HTTP_NOT_FOUND');
    }
    workspaceId = ws.id;
    request.workspace = { id: ws.id, name: ws.name };
  }
  if (!can(principal, access.permission, workspaceId)) {
    deny(request, 'HAVEN_AUTH_FORBIDDEN');
  }
  if (STEP_UP_PERMISSIONS.includes(access.permission)) {
    const windowMs = instance.config.identity.stepUpMinutes * 60_000;
    if (principal.mfaAt === null || instance.clock.now().getTime() - new Date(principal.mfaAt).getTime() > windowMs) {
      deny(request, 'HAVEN_AUTH_STEP_UP_REQUIRED');
    }
  }
}

/**
 * Deny by default: every request needs a bearer token or a session cookie (with a CSRF token for state-changing
 * requests) unless its route is public; the principal must have completed MFA and any forced password change, must
 * belong to the route's workspace (else 404), must hold the route's one declared permission there (else 403), and
 * for management permissions must have passed MFA recently (step-up). Unknown routes need authentication too.
 * @param app - the Fastify instance
 * @param instance - the services
 */
export function registerAuth(app: FastifyInstance, instance: Instance): void {
  app.decorateRequest('principal', null);
  app.decorateRequest('workspace', null);
  app.decorateRequest('sessionId', null);
  app.decorateRequest('deniedByPolicy', false);
  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config.access;
    if (access?.public) {
      return;
    }
    request.principal = await resolvePrincipal(request, instance);
    if (request.is404) {
      return;
    }
    await authorise(request, instance, access, request.principal);
  });
}
