import type { CodeEntry } from '../code-entry.js';

/** Codes of authentication and authorisation. Messages are fixed and reveal nothing. */
export const AUTH_CODES = {
  HAVEN_AUTH_REQUIRED: { status: 401, category: 'auth', message: 'authentication required' },
  HAVEN_AUTH_INVALID_TOKEN: { status: 401, category: 'auth', message: 'invalid credentials' },
  HAVEN_AUTH_FORBIDDEN: { status: 403, category: 'auth', message: 'forbidden' },
  HAVEN_AUTH_INVALID_CREDENTIALS: { status: 401, category: 'auth', message: 'invalid credentials' },
  HAVEN_AUTH_LOCKED: { status: 429, category: 'auth', message: 'too many failed attempts; try again later' },
  HAVEN_AUTH_MFA_REQUIRED: { status: 403, category: 'auth', message: 'multi-factor authentication required' },
  HAVEN_AUTH_MFA_INVALID: { status: 401, category: 'auth', message: 'invalid verification code' },
  HAVEN_AUTH_MFA_NOT_ENROLLED: { status: 409, category: 'conflict', message: 'no authenticator is enrolled' },
  HAVEN_AUTH_MFA_ALREADY_ENROLLED: { status: 409, category: 'conflict', message: 'an authenticator is already enrolled' },
  HAVEN_AUTH_STEP_UP_REQUIRED: { status: 403, category: 'auth', message: 'recent multi-factor authentication required for this action' },
  HAVEN_AUTH_PASSWORD_CHANGE_REQUIRED: { status: 403, category: 'auth', message: 'the password must be changed first' },
  HAVEN_AUTH_PASSWORD_WEAK: { status: 400, category: 'input', message: 'password does not meet the policy' },
  HAVEN_AUTH_PASSWORD_REUSED: { status: 400, category: 'input', message: 'password was used recently' },
  HAVEN_AUTH_SESSION_ONLY: { status: 400, category: 'usage', message: 'this step needs a browser session (log in first)' },
  HAVEN_AUTH_CSRF: { status: 403, category: 'auth', message: 'missing or invalid CSRF token' },
  HAVEN_AUTH_SESSION_EXPIRED: { status: 401, category: 'auth', message: 'session expired' },
  HAVEN_AUTH_TOKEN_SCOPE: { status: 400, category: 'input', message: 'a token cannot hold permissions its owner does not have' },
  HAVEN_USER_EXISTS: { status: 409, category: 'conflict', message: 'a user with that name exists' },
  HAVEN_USER_NOT_FOUND: { status: 404, category: 'notFound', message: 'not found' },
  HAVEN_WORKSPACE_EXISTS: { status: 409, category: 'conflict', message: 'a workspace with that name exists' },
  HAVEN_WORKSPACE_MEMBER_EXISTS: { status: 409, category: 'conflict', message: 'that user already holds that role' },
} as const satisfies Record<string, CodeEntry>;
