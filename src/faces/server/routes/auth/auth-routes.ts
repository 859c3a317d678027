import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Instance } from '../../../../composition/open-instance.js';
import { HavenError } from '../../../../errors/haven-error.js';
import type { UserRecord } from '../../../../services/identity/identity-ports.js';
import { principalOf } from '../../../../services/identity/principal-factory.js';
import { clearSessionCookie, setSessionCookie } from './session-cookie.js';

const str = (max: number) => ({ type: 'string', minLength: 1, maxLength: max }) as const;
const NEXT = { type: 'string', enum: ['change_password', 'enrol_mfa', 'verify_mfa', 'done'] } as const;

function nextStep(user: UserRecord, mfaPassed: boolean): 'change_password' | 'enrol_mfa' | 'verify_mfa' | 'done' {
  if (user.mustChangePassword) {
    return 'change_password';
  }
  if (user.mfaEnrolledAt === null) {
    return 'enrol_mfa';
  }
  return mfaPassed ? 'done' : 'verify_mfa';
}

async function sessionUser(request: FastifyRequest, instance: Instance): Promise<UserRecord> {
  if (request.sessionId === null || !request.principal) {
    throw new HavenError('HAVEN_AUTH_SESSION_ONLY');
  }
  const user = await instance.storage.read.users.byId(request.principal.subject);
  if (!user) {
    throw new HavenError('HAVEN_AUTH_SESSION_EXPIRED');
  }
  return user;
}

/** Login, MFA enrolment and verification, password change, logout, and token login for the CLI. */
export function registerAuthRoutes(app: FastifyInstance, instance: Instance): void {
  const ctx = (request: FastifyRequest) => ({ ip: request.ip, requestId: String(request.id) });

  app.post<{ Body: { username: string; password: string } }>(
    '/api/auth/login',
    {
      config: { access: { public: true } },
      schema: {
        summary: 'Password login; starts a session that must then pass MFA',
        body: { type: 'object', additionalProperties: false, required: ['username', 'password'], properties: { username: str(64), password: str(1024) } },
        response: { 200: { type: 'object', additionalProperties: false, required: ['csrfToken', 'next'], properties: { csrfToken: { type: 'string' }, next: NEXT } } },
      },
    },
    async (request, reply) => {
      const user = await instance.identity.checkPassword(request.body.username, request.body.password, ctx(request));
      const s = await instance.sessions.start(user.id, null);
      setSessionCookie(reply, s.sessionId, s.expiresAt);
      return { csrfToken: s.csrfToken, next: nextStep(user, false) };
    },
  );

  app.post<{ Body: { code?: string; recoveryCode?: string } }>(
    '/api/auth/mfa/verify',
    {
      config: { access: { permission: 'account:self', allowIncomplete: true } },
      schema: {
        summary: 'Second factor: a TOTP code or a one-time recovery code; rotates the session',
        body: { type: 'object', additionalProperties: false, properties: { code: { type: 'string', pattern: '^[0-9]{6}$' }, recoveryCode: str(64) } },
        response: { 200: { type: 'object', additionalProperties: false, required: ['csrfToken', 'next'], properties: { csrfToken: { type: 'string' }, next: NEXT } } },
      },
    },
    async (request, reply) => {
      const user = await sessionUser(request, instance);
      if (request.body.code !== undefined) {
        await instance.identity.verifyTotpCode(user, request.body.code, ctx(request));
      } else if (request.body.recoveryCode !== undefined) {
        await instance.identity.useRecoveryCode(user, request.body.recoveryCode, ctx(request));
      } else {
        throw new HavenError('HAVEN_HTTP_VALIDATION', 'give code or recoveryCode');
      }
      const s = await instance.sessions.start(user.id, instance.clock.now().toISOString(), request.sessionId!);
      setSessionCookie(reply, s.sessionId, s.expiresAt);
      return { csrfToken: s.csrfToken, next: nextStep(user, true) };
    },
  );

  app.post(
    '/api/auth/mfa/totp/enrol',
    {
      config: { access: { permission: 'account:self', allowIncomplete: true } },
      schema: {
        summary: 'Begin TOTP enrolment: returns the secret and otpauth URI once',
        response: { 200: { type: 'object', additionalProperties: false, required: ['secret', 'otpauthUri'], properties: { secret: { type: 'string' }, otpauthUri: { type: 'string' } } } },
      },
    },
    async (request) => {
      const user = await sessionUser(request, instance);
      if (user.mustChangePassword) {
        throw new HavenError('HAVEN_AUTH_PASSWORD_CHANGE_REQUIRED');
      }
      return instance.identity.beginTotpEnrolment(user, 'Haven', String(request.id));
    },
  );

  app.post<{ Body: { code: string } }>(
    '/api/auth/mfa/totp/confirm',
    {
      config: { access: { permission: 'account:self', allowIncomplete: true } },
      schema: {
        summary: 'Confirm TOTP enrolment with a code; returns recovery codes once and rotates the session',
        body: { type: 'object', additionalProperties: false, required: ['code'], properties: { code: { type: 'string', pattern: '^[0-9]{6}$' } } },
        response: {
          200: {
            type: 'object',
            additionalProperties: false,
            required: ['csrfToken', 'recoveryCodes'],
            properties: { csrfToken: { type: 'string' }, recoveryCodes: { type: 'array', items: { type: 'string' } } },
          },
        },
      },
    },
    async (request, reply) => {
      const user = await sessionUser(request, instance);
      const recoveryCodes = await instance.identity.confirmTotpEnrolment(user, request.body.code, ctx(request));
      const s = await instance.sessions.start(user.id, instance.clock.now().toISOString(), request.sessionId!);
      setSessionCookie(reply, s.sessionId, s.expiresAt);
      return { csrfToken: s.csrfToken, recoveryCodes };
    },
  );

  app.post<{ Body: { currentPassword: string; newPassword: string } }>(
    '/api/auth/password',
    {
      config: { access: { permission: 'account:self', allowIncomplete: true } },
      schema: {
        summary: 'Change your password (policy and history enforced); other sessions end',
        body: { type: 'object', additionalProperties: false, required: ['currentPassword', 'newPassword'], properties: { currentPassword: str(1024), newPassword: str(1024) } },
        response: { 200: { type: 'object', additionalProperties: false, required: ['csrfToken', 'next'], properties: { csrfToken: { type: 'string' }, next: NEXT } } },
      },
    },
    async (request, reply) => {
      const user = await sessionUser(request, instance);
      await instance.identity.changePassword(user, request.body.currentPassword, request.body.newPassword, ctx(request));
      const mfaAt = request.principal!.mfaAt;
      const s = await instance.sessions.start(user.id, mfaAt);
      setSessionCookie(reply, s.sessionId, s.expiresAt);
      return { csrfToken: s.csrfToken, next: nextStep({ ...user, mustChangePassword: false }, mfaAt !== null) };
    },
  );

  app.post(
    '/api/auth/logout',
    { config: { access: { permission: 'account:self', allowIncomplete: true } }, schema: { summary: 'End the session on the server', response: { 204: { type: 'null' } } } },
    async (request, reply) => {
      if (request.sessionId !== null) {
        await instance.sessions.end(request.sessionId);
      }
      clearSessionCookie(reply);
      return reply.code(204).send();
    },
  );

  app.post<{ Body: { username: string; password: string; code: string; name?: string; ttlDays?: number; workspace?: string } }>(
    '/api/auth/token',
    {
      config: { access: { public: true } },
      schema: {
        summary: 'Log in with password and TOTP in one call and receive an API token (for the CLI and curl)',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['username', 'password', 'code'],
          properties: {
            username: str(64),
            password: str(1024),
            code: { type: 'string', pattern: '^[0-9]{6}$' },
            name: str(100),
            ttlDays: { type: 'integer', minimum: 1, maximum: 3650 },
            workspace: str(64),
          },
        },
        response: {
          200: { type: 'object', additionalProperties: false, required: ['token', 'id', 'expiresAt'], properties: { token: { type: 'string' }, id: { type: 'string' }, expiresAt: { type: 'string' } } },
        },
      },
    },
    async (request) => {
      const user = await instance.identity.checkPassword(request.body.username, request.body.password, ctx(request));
      if (user.mustChangePassword) {
        throw new HavenError('HAVEN_AUTH_PASSWORD_CHANGE_REQUIRED');
      }
      await instance.identity.verifyTotpCode(user, request.body.code, ctx(request));
      const workspaceId = request.body.workspace === undefined ? null : ((await instance.workspaces.byName(request.body.workspace))?.id ?? null);
      if (request.body.workspace !== undefined && workspaceId === null) {
        throw new HavenError('HAVEN_HTTP_NOT_FOUND');
      }
      const mfaAt = instance.clock.now().toISOString();
      const principal = await principalOf(instance.storage.read, user, { via: 'token', tokenScopes: null, tokenWorkspace: workspaceId, mfaAt });
      return instance.audit.withAudit(instance.storage, { actor: user.id, action: 'token.create', resource: `user:${user.id}`, requestId: String(request.id) }, (repos) =>
        instance.tokens.issueFor(repos, principal, { name: request.body.name ?? 'cli', workspace: workspaceId, ...(request.body.ttlDays ? { ttlDays: request.body.ttlDays } : {}) }),
      );
    },
  );
}
