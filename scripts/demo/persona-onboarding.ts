import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { base32Decode, totp } from '../../src/libs/crypto/totp.js';
import { api, type DemoContext } from './demo-context.js';

/** One demo persona's credentials (kept in a 0600 file in the data directory). */
export interface DemoCredential {
  readonly username: string;
  readonly password: string;
  readonly totpSecret: string;
  readonly token: string;
}

function must(ok: boolean, what: string): void {
  if (!ok) {
    throw new Error(what);
  }
}

/**
 * What a person does at first login, through the same API calls the guide shows: log in with the generated password,
 * change it, enrol TOTP with a code from the authenticator, and exchange password + TOTP for an API token.
 * @param ctx - demo context
 * @param username - user name
 * @param generated - the generated first password
 * @param newPassword - the password the person chooses
 */
export async function onboard(ctx: DemoContext, username: string, generated: string, newPassword: string): Promise<DemoCredential> {
  const login = await api(ctx, 'POST', '/api/auth/login', { json: { username, password: generated } });
  must(login.status === 200, `${username}: first login failed (${login.status})`);
  let cookie = login.cookie!;
  let csrf = (login.body as { csrfToken: string }).csrfToken;
  const changed = await api(ctx, 'POST', '/api/auth/password', { cookie, csrf, json: { currentPassword: generated, newPassword } });
  must(changed.status === 200, `${username}: password change failed (${changed.status})`);
  cookie = changed.cookie!;
  csrf = (changed.body as { csrfToken: string }).csrfToken;
  const enrol = await api(ctx, 'POST', '/api/auth/mfa/totp/enrol', { cookie, csrf, json: {} });
  must(enrol.status === 200, `${username}: TOTP enrolment failed (${enrol.status})`);
  const secretB32 = (enrol.body as { secret: string }).secret;
  const secret = base32Decode(secretB32);
  const confirm = await api(ctx, 'POST', '/api/auth/mfa/totp/confirm', { cookie, csrf, json: { code: totp(secret, Date.now()) } });
  must(confirm.status === 200, `${username}: TOTP confirmation failed (${confirm.status})`);
  // The enrolment used this 30-second step's code; a code is never accepted twice, so use the next step's (±1 window).
  const tok = await api(ctx, 'POST', '/api/auth/token', { json: { username, password: newPassword, code: totp(secret, Date.now() + 30_000), name: 'demo' } });
  must(tok.status === 200, `${username}: token login failed (${tok.status})`);
  const token = (tok.body as { token: string }).token;
  ctx.tokens.set(username, token);
  return { username, password: newPassword, totpSecret: secretB32, token };
}

/**
 * Save the demo personas' credentials to a 0600 file in the data directory (the demo's stand-in for each person's
 * password manager and authenticator app).
 * @param ctx - demo context
 * @param creds - credentials
 */
export function saveCredentials(ctx: DemoContext, creds: readonly DemoCredential[]): string {
  const file = join(ctx.dataDir, 'demo-credentials.json');
  writeFileSync(file, `${JSON.stringify(creds, null, 2)}\n`, { mode: 0o600 });
  return file;
}
