import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Instance } from '../../../../composition/open-instance.js';
import { HavenError } from '../../../../errors/haven-error.js';
import type { UserRecord } from '../../../../services/identity/identity-ports.js';
import { LoginThrottle } from '../../../../services/identity/login-throttle.js';
import { WebauthnService, webauthnSettings } from '../../../../services/identity/webauthn-service.js';
import { setSessionCookie } from './session-cookie.js';

const B64URL = { type: 'string', pattern: '^[A-Za-z0-9_-]+$', maxLength: 16_384 } as const;
const SHORT = { type: 'string', maxLength: 64 } as const;
const TRANSPORTS = { type: 'array', maxItems: 8, items: SHORT } as const;
const DESCRIPTORS = {
  type: 'array',
  items: { type: 'object', additionalProperties: false, properties: { id: { type: 'string' }, type: { type: 'string' }, transports: TRANSPORTS } },
} as const;
const EXTENSION_RESULTS = {
  type: 'object',
  additionalProperties: false,
  properties: { credProps: { type: 'object', additionalProperties: false, properties: { rk: { type: 'boolean' } } }, appid: { type: 'boolean' } },
} as const;
const CREDENTIAL_FIELDS = {
  id: B64URL,
  rawId: B64URL,
  type: { type: 'string', enum: ['public-key'] },
  authenticatorAttachment: { type: 'string', enum: ['platform', 'cross-platform'] },
  clientExtensionResults: EXTENSION_RESULTS,
} as const;
const REGISTRATION_BODY = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'rawId', 'type', 'response', 'clientExtensionResults'],
  properties: {
    ...CREDENTIAL_FIELDS,
    response: {
      type: 'object',
      additionalProperties: false,
      required: ['clientDataJSON', 'attestationObject'],
      properties: { clientDataJSON: B64URL, attestationObject: B64URL, authenticatorData: B64URL, publicKey: B64URL, publicKeyAlgorithm: { type: 'integer' }, transports: TRANSPORTS },
    },
  },
} as const;
const AUTHENTICATION_BODY = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'rawId', 'type', 'response', 'clientExtensionResults'],
  properties: {
    ...CREDENTIAL_FIELDS,
    response: {
      type: 'object',
      additionalProperties: false,
      required: ['clientDataJSON', 'authenticatorData', 'signature'],
      properties: { clientDataJSON: B64URL, authenticatorData: B64URL, signature: B64URL, userHandle: B64URL },
    },
  },
} as const;
const REGISTRATION_OPTIONS = {
  type: 'object',
  additionalProperties: false,
  required: ['challenge', 'rp', 'user', 'pubKeyCredParams'],
  properties: {
    challenge: { type: 'string' },
    rp: { type: 'object', additionalProperties: false, properties: { id: { type: 'string' }, name: { type: 'string' } } },
    user: { type: 'object', additionalProperties: false, properties: { id: { type: 'string' }, name: { type: 'string' }, displayName: { type: 'string' } } },
    pubKeyCredParams: { type: 'array', items: { type: 'object', additionalProperties: false, properties: { alg: { type: 'integer' }, type: { type: 'string' } } } },
    timeout: { type: 'integer' },
    attestation: { type: 'string' },
    excludeCredentials: DESCRIPTORS,
    authenticatorSelection: {
      type: 'object',
      additionalProperties: false,
      properties: { residentKey: { type: 'string' }, userVerification: { type: 'string' }, requireResidentKey: { type: 'boolean' }, authenticatorAttachment: { type: 'string' } },
    },
    extensions: { type: 'object', additionalProperties: false, properties: { credProps: { type: 'boolean' } } },
    hints: { type: 'array', items: { type: 'string' } },
  },
} as const;
const AUTHENTICATION_OPTIONS = {
  type: 'object',
  additionalProperties: false,
  required: ['challenge'],
  properties: { challenge: { type: 'string' }, rpId: { type: 'string' }, timeout: { type: 'integer' }, userVerification: { type: 'string' }, allowCredentials: DESCRIPTORS },
} as const;
const NEXT = { type: 'string', enum: ['change_password', 'enrol_mfa', 'verify_mfa', 'done'] } as const;

/**
 * Security keys (WebAuthn): register a key (fully authenticated session with recent MFA), and sign in with one as
 * the second factor instead of a TOTP code. Without `webauthn.rpId` and `webauthn.origin` every route answers
 * HAVEN_WEBAUTHN_NOT_CONFIGURED.
 * @param app - the Fastify instance
 * @param instance - the services
 */
export function registerWebauthnRoutes(app: FastifyInstance, instance: Instance): void {
  const settings = webauthnSettings(instance.config);
  const id = instance.config.identity;
  // The same counters as password and TOTP failures (one table): a key failure counts towards the lockout.
  const throttle = new LoginThrottle(instance.storage, instance.audit, instance.clock, { accountThreshold: id.lockoutThreshold, ipThreshold: id.ipLockoutThreshold, windowMinutes: id.lockoutMinutes });
  const service = settings ? new WebauthnService(instance.storage, instance.audit, instance.clock, throttle, settings) : null;

  async function sessionUser(request: FastifyRequest): Promise<{ service: WebauthnService; user: UserRecord; sessionId: string }> {
    if (!service) {
      throw new HavenError('HAVEN_WEBAUTHN_NOT_CONFIGURED');
    }
    if (request.sessionId === null || !request.principal) {
      throw new HavenError('HAVEN_AUTH_SESSION_ONLY');
    }
    const user = await instance.storage.read.users.byId(request.principal.subject);
    if (!user) {
      throw new HavenError('HAVEN_AUTH_SESSION_EXPIRED');
    }
    return { service, user, sessionId: request.sessionId };
  }

  // Adding a factor is a sensitive change: like managing users, it needs MFA within the step-up window.
  function assertStepUp(request: FastifyRequest): void {
    const mfaAt = request.principal?.mfaAt ?? null;
    if (mfaAt === null || instance.clock.now().getTime() - new Date(mfaAt).getTime() > id.stepUpMinutes * 60_000) {
      throw new HavenError('HAVEN_AUTH_STEP_UP_REQUIRED');
    }
  }

  app.post(
    '/api/auth/webauthn/register/options',
    {
      config: { access: { permission: 'account:self' } },
      schema: { summary: 'Begin registering a security key (needs recent MFA); returns options for navigator.credentials.create', response: { 200: REGISTRATION_OPTIONS } },
    },
    async (request) => {
      const s = await sessionUser(request);
      assertStepUp(request);
      return s.service.registrationOptions(s.user, s.sessionId);
    },
  );

  app.post<{ Body: RegistrationResponseJSON }>(
    '/api/auth/webauthn/register/verify',
    {
      config: { access: { permission: 'account:self' } },
      schema: {
        summary: 'Finish registering a security key',
        body: REGISTRATION_BODY,
        response: { 200: { type: 'object', additionalProperties: false, required: ['id'], properties: { id: { type: 'string' } } } },
      },
    },
    async (request) => {
      const s = await sessionUser(request);
      assertStepUp(request);
      return s.service.verifyRegistration(s.user, s.sessionId, request.body, String(request.id));
    },
  );

  app.post(
    '/api/auth/webauthn/authenticate/options',
    {
      config: { access: { permission: 'account:self', allowIncomplete: true } },
      schema: { summary: 'Second factor with a security key: returns options for navigator.credentials.get', response: { 200: AUTHENTICATION_OPTIONS } },
    },
    async (request) => {
      const s = await sessionUser(request);
      return s.service.authenticationOptions(s.user, s.sessionId);
    },
  );

  app.post<{ Body: AuthenticationResponseJSON }>(
    '/api/auth/webauthn/authenticate/verify',
    {
      config: { access: { permission: 'account:self', allowIncomplete: true } },
      schema: {
        summary: 'Second factor with a security key instead of a TOTP code; rotates the session',
        body: AUTHENTICATION_BODY,
        response: { 200: { type: 'object', additionalProperties: false, required: ['csrfToken', 'next'], properties: { csrfToken: { type: 'string' }, next: NEXT } } },
      },
    },
    async (request, reply) => {
      const s = await sessionUser(request);
      await s.service.verifyAuthentication(s.user, s.sessionId, request.body, { ip: request.ip, requestId: String(request.id) });
      const started = await instance.sessions.start(s.user.id, instance.clock.now().toISOString(), s.sessionId);
      setSessionCookie(reply, started.sessionId, started.expiresAt);
      // As after a TOTP code: a forced password change or a missing TOTP enrolment still comes first.
      const next = s.user.mustChangePassword ? 'change_password' : s.user.mfaEnrolledAt === null ? 'enrol_mfa' : 'done';
      return { csrfToken: started.csrfToken, next };
    },
  );
}
