import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { base32Decode, totp } from '../../src/libs/crypto/totp.js';
import { BrowserClient } from '../helpers/http-client.js';
import { createPersona } from '../helpers/personas.js';
import { testStores } from '../helpers/stores.js';
import { buildTestApp, createTestInstance, type TestInstance } from '../helpers/test-instance.js';

const STRONG = 'violet Lantern 93 orbit quietly';
const STRONGER = 'amber Walrus 17 drifts sideways';

for (const store of testStores()) {
  describe(`identity stories [${store.name}]`, () => {
    let t: TestInstance;
    let app: FastifyInstance;
    beforeAll(async () => {
      t = await createTestInstance(store);
      app = await buildTestApp(t);
    });
    afterAll(async () => {
      await app.close();
      await t.cleanup();
      await store.cleanup();
    });

    it('first login: forced password change, then TOTP enrolment (wrong code, right code), recovery codes, rotated session', async () => {
      const p = await createPersona(t.instance, 'newbie', { incomplete: true });
      const b = new BrowserClient(app);
      const login = await b.call('POST', '/api/auth/login', { username: 'newbie', password: p.password });
      expect(login).toMatchObject({ status: 200, json: { next: 'change_password' } });
      expect(await b.call('GET', '/api/tokens')).toMatchObject({ status: 403, code: 'HAVEN_AUTH_PASSWORD_CHANGE_REQUIRED' });
      expect(await b.call('POST', '/api/auth/mfa/totp/enrol', {})).toMatchObject({ status: 403, code: 'HAVEN_AUTH_PASSWORD_CHANGE_REQUIRED' });
      expect(await b.call('POST', '/api/auth/password', { currentPassword: p.password, newPassword: 'password1234' })).toMatchObject({ status: 400, code: 'HAVEN_AUTH_PASSWORD_WEAK' });
      expect(await b.call('POST', '/api/auth/password', { currentPassword: p.password, newPassword: 'short' })).toMatchObject({ status: 400, code: 'HAVEN_AUTH_PASSWORD_WEAK' });
      expect(await b.call('POST', '/api/auth/password', { currentPassword: p.password, newPassword: STRONG })).toMatchObject({ status: 200, json: { next: 'enrol_mfa' } });
      expect(await b.call('GET', '/api/tokens')).toMatchObject({ status: 403, code: 'HAVEN_AUTH_MFA_REQUIRED' });
      const enrol = await b.call('POST', '/api/auth/mfa/totp/enrol', {});
      expect(enrol.status).toBe(200);
      expect(String(enrol.json.otpauthUri)).toMatch(/^otpauth:\/\/totp\/Haven:newbie\?/);
      const secret = base32Decode(String(enrol.json.secret));
      expect(await b.call('POST', '/api/auth/mfa/totp/confirm', { code: totp(secret, Date.now() - 10 * 60_000) })).toMatchObject({ status: 401, code: 'HAVEN_AUTH_MFA_INVALID' });
      const before = b.cookie;
      const confirm = await b.call('POST', '/api/auth/mfa/totp/confirm', { code: totp(secret, Date.now()) });
      expect(confirm.status).toBe(200);
      expect(confirm.json.recoveryCodes).toHaveLength(10);
      expect(b.cookie).not.toBe(before);
      expect(await b.call('GET', '/api/session')).toMatchObject({ status: 200, json: { username: 'newbie', fullyAuthenticated: true } });
      const old = new BrowserClient(app);
      old.cookie = before;
      expect(await old.call('GET', '/api/session')).toMatchObject({ status: 401, code: 'HAVEN_AUTH_SESSION_EXPIRED' });
      expect(await b.call('POST', '/api/auth/mfa/totp/enrol', {})).toMatchObject({ status: 409, code: 'HAVEN_AUTH_MFA_ALREADY_ENROLLED' });
    });

    it('TOTP login: wrong code, right code, replayed code, expired code', async () => {
      const p = await createPersona(t.instance, 'totpuser');
      const b = new BrowserClient(app);
      expect(await b.call('POST', '/api/auth/login', { username: 'totpuser', password: p.password })).toMatchObject({ status: 200, json: { next: 'verify_mfa' } });
      expect(await b.call('GET', '/api/tokens')).toMatchObject({ status: 403, code: 'HAVEN_AUTH_MFA_REQUIRED' });
      const wrong = String((Number(p.code()) + 1) % 1_000_000).padStart(6, '0');
      expect(await b.call('POST', '/api/auth/mfa/verify', { code: wrong })).toMatchObject({ status: 401, code: 'HAVEN_AUTH_MFA_INVALID' });
      // A code from 5 minutes ago is outside the ±1 step window.
      expect(await b.call('POST', '/api/auth/mfa/verify', { code: p.code(Date.now() + 5 * 60_000) })).toMatchObject({ status: 401, code: 'HAVEN_AUTH_MFA_INVALID' });
      const code = p.code(Date.now() + 30_000);
      expect(await b.call('POST', '/api/auth/mfa/verify', { code })).toMatchObject({ status: 200, json: { next: 'done' } });
      expect((await b.call('GET', '/api/tokens')).status).toBe(200);
      const again = new BrowserClient(app);
      await again.call('POST', '/api/auth/login', { username: 'totpuser', password: p.password });
      expect(await again.call('POST', '/api/auth/mfa/verify', { code })).toMatchObject({ status: 401, code: 'HAVEN_AUTH_MFA_INVALID' });
    });

    it('a recovery code works once', async () => {
      const p = await createPersona(t.instance, 'recovers', { incomplete: true });
      const user = (await t.instance.storage.read.users.byUsername('recovers'))!;
      await t.instance.identity.changePassword(user, p.password, STRONG, { ip: '127.0.0.1', requestId: 't' });
      const u2 = (await t.instance.storage.read.users.byUsername('recovers'))!;
      const secret = base32Decode((await t.instance.identity.beginTotpEnrolment(u2, 'Haven', 't')).secret);
      const codes = await t.instance.identity.confirmTotpEnrolment(u2, totp(secret, Date.now()), { ip: '127.0.0.1', requestId: 't' });
      const b = new BrowserClient(app);
      await b.call('POST', '/api/auth/login', { username: 'recovers', password: STRONG });
      expect(await b.call('POST', '/api/auth/mfa/verify', { recoveryCode: codes[0] })).toMatchObject({ status: 200 });
      const c = new BrowserClient(app);
      await c.call('POST', '/api/auth/login', { username: 'recovers', password: STRONG });
      expect(await c.call('POST', '/api/auth/mfa/verify', { recoveryCode: codes[0] })).toMatchObject({ status: 401, code: 'HAVEN_AUTH_MFA_INVALID' });
    });

    it('state-changing requests need the CSRF token; logout revokes the session on the server', async () => {
      const p = await createPersona(t.instance, 'csrfuser');
      const b = new BrowserClient(app);
      await b.call('POST', '/api/auth/login', { username: 'csrfuser', password: p.password });
      expect(await b.call('POST', '/api/auth/mfa/verify', { code: p.code(Date.now() + 30_000) }, { noCsrf: true })).toMatchObject({ status: 403, code: 'HAVEN_AUTH_CSRF' });
      await b.call('POST', '/api/auth/mfa/verify', { code: p.code(Date.now() + 30_000) });
      expect(await b.call('POST', '/api/tokens', { name: 'x' }, { noCsrf: true })).toMatchObject({ status: 403, code: 'HAVEN_AUTH_CSRF' });
      expect((await b.call('POST', '/api/tokens', { name: 'x' })).status).toBe(201);
      const cookie = b.cookie;
      expect((await b.call('POST', '/api/auth/logout', {})).status).toBe(204);
      const replay = new BrowserClient(app);
      replay.cookie = cookie;
      expect(await replay.call('GET', '/api/session')).toMatchObject({ status: 401, code: 'HAVEN_AUTH_SESSION_EXPIRED' });
    });

    it('session fixation: a session id chosen by an attacker is never accepted, and login issues a fresh one', async () => {
      const p = await createPersona(t.instance, 'fixated');
      const b = new BrowserClient(app);
      b.cookie = '__Host-haven_session=attacker-chosen-session-id-0000000000000000';
      expect(await b.call('GET', '/api/session')).toMatchObject({ status: 401, code: 'HAVEN_AUTH_SESSION_EXPIRED' });
      await b.call('POST', '/api/auth/login', { username: 'fixated', password: p.password });
      expect(b.cookie).not.toContain('attacker-chosen');
    });

    it('unknown user and wrong password give the same answer', async () => {
      await createPersona(t.instance, 'realuser');
      const a = await new BrowserClient(app).call('POST', '/api/auth/login', { username: 'realuser', password: 'wrong password entirely' });
      const b = await new BrowserClient(app).call('POST', '/api/auth/login', { username: 'ghostuser', password: 'wrong password entirely' });
      const message = (r: typeof a) => (r.json.error as { message: string }).message;
      expect([a.status, a.code, message(a)]).toEqual([b.status, b.code, message(b)]);
      expect(a).toMatchObject({ status: 401, code: 'HAVEN_AUTH_INVALID_CREDENTIALS' });
    });

    it('a 1 MB password is refused with a coded error and the server stays up', async () => {
      const res = await app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ username: 'realuser', password: 'x'.repeat(1_048_576) }) });
      expect([400, 413]).toContain(res.statusCode);
      expect(JSON.parse(res.body).error.code).toMatch(/^HAVEN_HTTP_(VALIDATION|BODY_TOO_LARGE)$/);
      expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    });

    it('a recent password cannot be reused', async () => {
      const p = await createPersona(t.instance, 'reuser');
      const user = (await t.instance.storage.read.users.byUsername('reuser'))!;
      const ctx = { ip: '127.0.0.1', requestId: 't' };
      await t.instance.identity.changePassword(user, p.password, STRONGER, ctx);
      const u2 = (await t.instance.storage.read.users.byUsername('reuser'))!;
      await expect(t.instance.identity.changePassword(u2, STRONGER, p.password, ctx)).rejects.toMatchObject({ code: 'HAVEN_AUTH_PASSWORD_REUSED' });
    });

    it('tokens: scoped, revocable, expiring; a token cannot exceed its owner', async () => {
      const auth = (tok: string) => ({ authorization: `Bearer ${tok}` });
      const mk = await app.inject({ method: 'POST', url: '/api/tokens', headers: { ...auth(t.token), 'content-type': 'application/json' }, payload: JSON.stringify({ name: 'narrow', scopes: ['session:read'] }) });
      expect(mk.statusCode).toBe(201);
      const narrow = JSON.parse(mk.body) as { id: string; token: string };
      expect((await app.inject({ method: 'GET', url: '/api/session', headers: auth(narrow.token) })).statusCode).toBe(200);
      const denied = await app.inject({ method: 'GET', url: '/api/audit/verify', headers: auth(narrow.token) });
      expect(denied.statusCode).toBe(403);
      const clin = await createPersona(t.instance, 'clin', { memberships: [{ workspace: 'alpha', role: 'clinician' }] });
      const escalate = await app.inject({ method: 'POST', url: '/api/tokens', headers: { ...auth(clin.token), 'content-type': 'application/json' }, payload: JSON.stringify({ name: 'x', scopes: ['audit:read'] }) });
      expect(escalate.statusCode).toBe(400);
      expect(JSON.parse(escalate.body).error.code).toBe('HAVEN_AUTH_TOKEN_SCOPE');
      expect((await app.inject({ method: 'DELETE', url: `/api/tokens/${narrow.id}`, headers: auth(t.token) })).statusCode).toBe(204);
      const revoked = await app.inject({ method: 'GET', url: '/api/session', headers: auth(narrow.token) });
      expect(revoked.statusCode).toBe(401);
      const ops = (await t.instance.storage.read.users.byUsername('ops'))!;
      const expired = await t.instance.storage.transaction((repos) => t.instance.tokens.issue(repos, ops.id, { name: 'old', scopes: null, workspace: null, ttlDays: 1, mfaAt: null }));
      await t.instance.storage.transaction(async () => undefined);
      const { rawSql } = await import('../helpers/raw-sql.js');
      await rawSql(t, [`update api_token set expires_at = '2000-01-01T00:00:00.000Z' where id = '${expired.id}'`]);
      expect((await app.inject({ method: 'GET', url: '/api/session', headers: auth(expired.token) })).statusCode).toBe(401);
    });

    it('step-up: managing users needs MFA within the last minutes', async () => {
      const ops = (await t.instance.storage.read.users.byUsername('ops'))!;
      const stale = new Date(Date.now() - 60 * 60_000).toISOString();
      const old = await t.instance.storage.transaction((repos) => t.instance.tokens.issue(repos, ops.id, { name: 'stale', scopes: null, workspace: null, ttlDays: 1, mfaAt: stale }));
      const res = await app.inject({ method: 'GET', url: '/api/users', headers: { authorization: `Bearer ${old.token}` } });
      expect(res.statusCode).toBe(403);
      expect(JSON.parse(res.body).error.code).toBe('HAVEN_AUTH_STEP_UP_REQUIRED');
      expect((await app.inject({ method: 'GET', url: '/api/users', headers: { authorization: `Bearer ${t.token}` } })).statusCode).toBe(200);
    });

    it('CLI-style token login needs password and TOTP; a disabled user is locked out everywhere', async () => {
      const p = await createPersona(t.instance, 'cliuser', { memberships: [{ workspace: 'alpha', role: 'cmio' }] });
      const bad = await app.inject({ method: 'POST', url: '/api/auth/token', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ username: 'cliuser', password: p.password, code: '000000' }) });
      expect(bad.statusCode).toBe(401);
      const ok = await app.inject({ method: 'POST', url: '/api/auth/token', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ username: 'cliuser', password: p.password, code: p.code(Date.now() + 30_000) }) });
      expect(ok.statusCode).toBe(200);
      const tok = (JSON.parse(ok.body) as { token: string }).token;
      expect((await app.inject({ method: 'GET', url: '/api/workspaces/alpha', headers: { authorization: `Bearer ${tok}` } })).statusCode).toBe(200);
      expect((await app.inject({ method: 'POST', url: '/api/users/cliuser/disable', headers: { authorization: `Bearer ${t.token}` } })).statusCode).toBe(204);
      expect((await app.inject({ method: 'GET', url: '/api/session', headers: { authorization: `Bearer ${tok}` } })).statusCode).toBe(401);
    });
  });
}
