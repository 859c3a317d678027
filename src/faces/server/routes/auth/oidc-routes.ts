import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Instance } from '../../../../composition/open-instance.js';
import { HavenError } from '../../../../errors/haven-error.js';
import type { UserRecord } from '../../../../services/identity/identity-ports.js';
import { OIDC_LOGIN_TTL_MS, OidcService } from '../../../../services/identity/oidc-service.js';
import { oidcSettings } from '../../../../services/identity/oidc-settings.js';
import { USERNAME_PATTERN } from '../../../../services/identity/user-admin-service.js';
import { setSessionCookie } from './session-cookie.js';

/**
 * Cookie binding a started login to the browser that started it. SameSite=Lax, not Strict: the provider sends the
 * browser back with a cross-site top-level GET, on which Strict cookies are withheld.
 */
export const OIDC_BINDING_COOKIE = '__Host-haven_oidc';

const NEXT = { type: 'string', enum: ['change_password', 'enrol_mfa', 'verify_mfa', 'done'] } as const;
const CALLBACK_PARAM = { type: 'string', maxLength: 4096 } as const;

function bindingCookie(request: FastifyRequest): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === OIDC_BINDING_COOKIE && v.length > 0) {
      return v.join('=');
    }
  }
  return undefined;
}

function nextStep(user: UserRecord, mfaPassed: boolean): 'change_password' | 'enrol_mfa' | 'verify_mfa' | 'done' {
  if (user.mustChangePassword) {
    return 'change_password';
  }
  if (user.mfaEnrolledAt === null) {
    return 'enrol_mfa';
  }
  return mfaPassed ? 'done' : 'verify_mfa';
}

function clearBinding(reply: FastifyReply): void {
  reply.header('set-cookie', `${OIDC_BINDING_COOKIE}=; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=0`);
}

/**
 * Single sign-on with OpenID Connect: start (redirect to the provider), callback (finish and start a session),
 * and linking a provider subject to a user (site admin). Without `oidc.issuer` every route answers
 * HAVEN_SSO_NOT_CONFIGURED.
 * @param app - the Fastify instance
 * @param instance - the services
 */
export function registerOidcRoutes(app: FastifyInstance, instance: Instance): void {
  // Read (and validate) at start-up: a broken SSO configuration stops the server instead of failing at login.
  const settings = oidcSettings(instance.config, instance.dataDir);
  const service = settings ? new OidcService(instance.storage, instance.audit, instance.clock, settings) : null;
  const sso = (): OidcService => {
    if (!service) {
      throw new HavenError('HAVEN_SSO_NOT_CONFIGURED');
    }
    return service;
  };

  app.get(
    '/api/auth/oidc/start',
    {
      config: { access: { public: true } },
      schema: { summary: 'Single sign-on: redirect to the identity provider (authorization code flow with PKCE)', response: { 302: { type: 'null' } } },
    },
    async (request, reply) => {
      const start = await sso().begin(String(request.id));
      reply.header('set-cookie', `${OIDC_BINDING_COOKIE}=${start.binding}; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=${OIDC_LOGIN_TTL_MS / 1000}`);
      reply.header('cache-control', 'no-store');
      return reply.redirect(start.url, 302);
    },
  );

  app.get(
    '/api/auth/oidc/callback',
    {
      config: { access: { public: true } },
      schema: {
        summary: 'Single sign-on: the provider sends the browser back here; starts a session (MFA still needed unless the provider did it)',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            code: CALLBACK_PARAM,
            state: CALLBACK_PARAM,
            iss: CALLBACK_PARAM,
            session_state: CALLBACK_PARAM,
            scope: CALLBACK_PARAM,
            error: CALLBACK_PARAM,
            error_description: CALLBACK_PARAM,
            error_uri: CALLBACK_PARAM,
          },
        },
        response: { 200: { type: 'object', additionalProperties: false, required: ['csrfToken', 'next'], properties: { csrfToken: { type: 'string' }, next: NEXT } } },
      },
    },
    async (request, reply) => {
      const service = sso();
      const raw = request.raw.url ?? '';
      const query = raw.includes('?') ? raw.slice(raw.indexOf('?') + 1) : '';
      clearBinding(reply);
      const result = await service.complete(bindingCookie(request), query, String(request.id));
      const s = await instance.sessions.start(result.user.id, result.mfaAt);
      setSessionCookie(reply, s.sessionId, s.expiresAt);
      reply.header('cache-control', 'no-store');
      return { csrfToken: s.csrfToken, next: nextStep(result.user, result.mfaAt !== null) };
    },
  );

  app.post<{ Params: { username: string }; Body: { subject: string } }>(
    '/api/users/:username/sso-link',
    {
      config: { access: { permission: 'users:manage' } },
      schema: {
        summary: "Link an identity provider subject (`sub`) to a user, so they can sign in with single sign-on",
        params: { type: 'object', additionalProperties: false, required: ['username'], properties: { username: { type: 'string', pattern: USERNAME_PATTERN } } },
        body: { type: 'object', additionalProperties: false, required: ['subject'], properties: { subject: { type: 'string', minLength: 1, maxLength: 255 } } },
        response: { 204: { type: 'null' } },
      },
    },
    async (request, reply) => {
      const service = sso();
      const user = await instance.storage.read.users.byUsername(request.params.username);
      if (!user) {
        throw new HavenError('HAVEN_USER_NOT_FOUND');
      }
      await instance.audit.withAudit(
        instance.storage,
        { actor: request.principal!.subject, action: 'user.sso_link', resource: `user:${user.id}`, requestId: String(request.id) },
        (repos) => service.link(repos, user.id, request.body.subject),
      );
      return reply.code(204).send();
    },
  );
}
