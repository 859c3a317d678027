import type { CodeEntry } from '../code-entry.js';

/** Codes of single sign-on (OpenID Connect) and WebAuthn security keys. Messages are fixed and reveal nothing. */
export const SSO_CODES = {
  HAVEN_SSO_NOT_CONFIGURED: { status: 404, category: 'notFound', message: 'single sign-on is not configured' },
  HAVEN_SSO_CONFIG_INVALID: { status: 500, category: 'config', message: 'single sign-on configuration is invalid' },
  HAVEN_SSO_STATE_INVALID: { status: 400, category: 'input', message: 'sign-on state is missing, expired or does not match' },
  HAVEN_SSO_REJECTED: { status: 401, category: 'auth', message: 'the identity provider response was refused' },
  HAVEN_SSO_USER_NOT_LINKED: { status: 403, category: 'auth', message: 'no Haven account is linked to this identity' },
  HAVEN_SSO_IDP_UNAVAILABLE: { status: 503, category: 'unavailable', message: 'the identity provider cannot be reached' },
  HAVEN_SSO_LINK_EXISTS: { status: 409, category: 'conflict', message: 'that identity is already linked to an account' },
  HAVEN_WEBAUTHN_NOT_CONFIGURED: { status: 404, category: 'notFound', message: 'security keys are not configured' },
  HAVEN_WEBAUTHN_NO_CHALLENGE: { status: 400, category: 'input', message: 'no pending security key challenge' },
  HAVEN_WEBAUTHN_INVALID: { status: 401, category: 'auth', message: 'security key verification failed' },
  HAVEN_WEBAUTHN_NO_CREDENTIAL: { status: 409, category: 'conflict', message: 'no security key is registered' },
} as const satisfies Record<string, CodeEntry>;
