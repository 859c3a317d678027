import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followProviderRedirects, startTestIdp, type TestIdp } from '../helpers/oidc-test-provider.js';
import { createPersona } from '../helpers/personas.js';
import { testStores } from '../helpers/stores.js';
import { buildTestApp, createTestInstance, type TestInstance } from '../helpers/test-instance.js';

const REDIRECT_URI = 'https://haven.test/api/auth/oidc/callback';

/** A browser's view of Haven: its cookies (all of them, by name) and the CSRF token. */
class Browser {
  readonly cookies = new Map<string, string>();
  csrf = '';
  constructor(private readonly app: FastifyInstance) {}

  async call(method: 'GET' | 'POST', url: string, body?: unknown) {
    const res = await this.app.inject({
      method,
      url,
      headers: {
        ...(this.cookies.size ? { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {}),
        ...(this.csrf ? { 'x-csrf-token': this.csrf } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    });
    const set = res.headers['set-cookie'];
    for (const c of set === undefined ? [] : [set].flat()) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      const value = pair!.slice(eq + 1);
      if (value === '' || /Max-Age=0/.test(c)) {
        this.cookies.delete(pair!.slice(0, eq));
      } else {
        this.cookies.set(pair!.slice(0, eq), value);
      }
    }
    const json = res.body && String(res.headers['content-type'] ?? '').includes('json') ? (JSON.parse(res.body) as Record<string, unknown>) : {};
    if (typeof json.csrfToken === 'string') {
      this.csrf = json.csrfToken;
    }
    return { status: res.statusCode, json, location: res.headers.location, code: (json.error as { code?: string } | undefined)?.code };
  }

  /** GET /api/auth/oidc/start and play the browser at the provider; returns the provider's redirect back. */
  async toProviderAndBack(): Promise<URL> {
    const start = await this.call('GET', '/api/auth/oidc/start');
    expect(start.status).toBe(302);
    return followProviderRedirects(String(start.location), REDIRECT_URI);
  }

  /** A whole SSO login: start, provider, callback. */
  async ssoLogin() {
    const back = await this.toProviderAndBack();
    return this.call('GET', `/api/auth/oidc/callback${back.search}`);
  }
}

for (const store of testStores()) {
  describe(`OIDC single sign-on against a real provider [${store.name}]`, () => {
    let idp: TestIdp;
    let t: TestInstance;
    let app: FastifyInstance;
    let secretDir: string;
    const admin = () => ({ authorization: `Bearer ${t.token}`, 'content-type': 'application/json' });
    const link = (username: string, subject: string) =>
      app.inject({ method: 'POST', url: `/api/users/${username}/sso-link`, headers: admin(), payload: JSON.stringify({ subject }) });

    beforeAll(async () => {
      idp = await startTestIdp(REDIRECT_URI);
      secretDir = mkdtempSync(join(tmpdir(), 'haven-oidc-'));
      writeFileSync(join(secretDir, 'client-secret'), `${idp.clientSecret}\n`, { mode: 0o600 });
      t = await createTestInstance(store, {
        config: {
          oidc: {
            issuer: idp.issuer,
            clientId: idp.clientId,
            clientSecretFile: join(secretDir, 'client-secret'),
            redirectUri: REDIRECT_URI,
            scope: 'openid profile groups',
            groupMapping: JSON.stringify([
              { group: 'haven-stewards', workspace: 'demo', role: 'data_steward' },
              { group: 'haven-auditors', role: 'auditor' },
            ]),
            allowInsecureLoopback: true,
          },
        },
      });
      app = await buildTestApp(t);
      // The workspace the mapping names.
      await createPersona(t.instance, 'owner', { memberships: [{ workspace: 'demo', role: 'data_steward' }] });
    });
    afterAll(async () => {
      await app?.close();
      await t?.cleanup();
      await idp?.close();
      rmSync(secretDir, { recursive: true, force: true });
      await store.cleanup();
    });

    it('SSO login with amr mfa gives a fully authenticated session', async () => {
      const p = await createPersona(t.instance, 'sso-alice');
      expect((await link('sso-alice', 'idp-alice')).statusCode).toBe(204);
      idp.accounts.set('idp-alice', { sub: 'idp-alice', preferred_username: 'alice' });
      idp.nextLogin = { accountId: 'idp-alice', amr: ['pwd', 'mfa'] };
      const b = new Browser(app);
      const done = await b.ssoLogin();
      expect(done).toMatchObject({ status: 200, json: { next: 'done' } });
      expect(b.cookies.has('__Host-haven_oidc')).toBe(false);
      const session = await b.call('GET', '/api/session');
      expect(session.status).toBe(200);
      expect(JSON.stringify(session.json)).toContain(p.id);
      expect((await b.call('GET', '/api/tokens')).status).toBe(200);
    });

    it('SSO login without MFA amr still requires Haven TOTP', async () => {
      const p = await createPersona(t.instance, 'sso-bob');
      expect((await link('sso-bob', 'idp-bob')).statusCode).toBe(204);
      idp.accounts.set('idp-bob', { sub: 'idp-bob' });
      idp.nextLogin = { accountId: 'idp-bob', amr: ['pwd'] };
      const b = new Browser(app);
      expect(await b.ssoLogin()).toMatchObject({ status: 200, json: { next: 'verify_mfa' } });
      expect(await b.call('GET', '/api/tokens')).toMatchObject({ status: 403, code: 'HAVEN_AUTH_MFA_REQUIRED' });
      // The enrolment used the current step; the next step's code is fresh.
      const verified = await b.call('POST', '/api/auth/mfa/verify', { code: p.code(Date.now() + 30_000) });
      expect(verified).toMatchObject({ status: 200, json: { next: 'done' } });
      expect((await b.call('GET', '/api/tokens')).status).toBe(200);
    });

    it('an acr the configuration does not list does not count as MFA', async () => {
      await createPersona(t.instance, 'sso-carol');
      expect((await link('sso-carol', 'idp-carol')).statusCode).toBe(204);
      idp.accounts.set('idp-carol', { sub: 'idp-carol' });
      idp.nextLogin = { accountId: 'idp-carol', amr: ['pwd'], acr: 'urn:example:strong' };
      expect(await new Browser(app).ssoLogin()).toMatchObject({ status: 200, json: { next: 'verify_mfa' } });
    });

    it('a wrong state is refused with a coded 400', async () => {
      idp.nextLogin = { accountId: 'idp-alice', amr: ['mfa'] };
      const b = new Browser(app);
      const back = await b.toProviderAndBack();
      back.searchParams.set('state', 'forged-state-value');
      const res = await b.call('GET', `/api/auth/oidc/callback${back.search}`);
      expect(res).toMatchObject({ status: 400, code: 'HAVEN_SSO_STATE_INVALID' });
      expect(b.cookies.has('__Host-haven_session')).toBe(false);
    });

    it('a callback without the browser binding cookie is refused (login CSRF)', async () => {
      idp.nextLogin = { accountId: 'idp-alice', amr: ['mfa'] };
      const b = new Browser(app);
      const back = await b.toProviderAndBack();
      const victim = new Browser(app);
      expect(await victim.call('GET', `/api/auth/oidc/callback${back.search}`)).toMatchObject({ status: 400, code: 'HAVEN_SSO_STATE_INVALID' });
    });

    it('a replayed authorization code is refused', async () => {
      idp.nextLogin = { accountId: 'idp-alice', amr: ['mfa'] };
      const b = new Browser(app);
      const back = await b.toProviderAndBack();
      const binding = b.cookies.get('__Host-haven_oidc');
      expect((await b.call('GET', `/api/auth/oidc/callback${back.search}`)).status).toBe(200);
      // Same callback again, binding cookie and all: the pending login was single use.
      b.cookies.set('__Host-haven_oidc', binding!);
      expect(await b.call('GET', `/api/auth/oidc/callback${back.search}`)).toMatchObject({ status: 400, code: 'HAVEN_SSO_STATE_INVALID' });
      // The old code under a fresh login's state: the provider refuses the used code (and the PKCE verifier differs).
      const fresh = new Browser(app);
      const start = await fresh.call('GET', '/api/auth/oidc/start');
      const state = new URL(String(start.location)).searchParams.get('state')!;
      const replay = new URL(back.href);
      replay.searchParams.set('state', state);
      expect(await fresh.call('GET', `/api/auth/oidc/callback${replay.search}`)).toMatchObject({ status: 401, code: 'HAVEN_SSO_REJECTED' });
      expect(fresh.cookies.has('__Host-haven_session')).toBe(false);
    });

    it('an unknown subject is refused when autoCreate is off', async () => {
      idp.accounts.set('idp-stranger', { sub: 'idp-stranger', preferred_username: 'owner' });
      idp.nextLogin = { accountId: 'idp-stranger', amr: ['mfa'] };
      const b = new Browser(app);
      expect(await b.ssoLogin()).toMatchObject({ status: 403, code: 'HAVEN_SSO_USER_NOT_LINKED' });
      expect(b.cookies.has('__Host-haven_session')).toBe(false);
      expect(await t.instance.storage.read.sso.identity(idp.issuer, 'idp-stranger')).toBeUndefined();
    });

    it('a subject links to one account only', async () => {
      expect((await link('owner', 'idp-alice')).statusCode).toBe(409);
    });

    it('group mapping grants and revokes roles at each login', async () => {
      const p = await createPersona(t.instance, 'sso-dana', { memberships: [{ workspace: 'demo', role: 'clinician' }] });
      expect((await link('sso-dana', 'idp-dana')).statusCode).toBe(204);
      const ws = (await t.instance.storage.read.workspaces.byName('demo'))!;
      const roles = async () => {
        const u = (await t.instance.storage.read.users.byId(p.id))!;
        const m = (await t.instance.storage.read.workspaces.membershipsOf(p.id)).filter((x) => x.workspaceId === ws.id).map((x) => x.role).sort();
        return { global: [...u.globalRoles].sort(), demo: m };
      };
      idp.accounts.set('idp-dana', { sub: 'idp-dana', groups: ['haven-stewards', 'haven-auditors', 'unrelated'] });
      idp.nextLogin = { accountId: 'idp-dana', amr: ['mfa'] };
      expect((await new Browser(app).ssoLogin()).status).toBe(200);
      expect(await roles()).toEqual({ global: ['auditor'], demo: ['clinician', 'data_steward'] });
      // Out of the groups at the provider: the mapped roles go, the role granted in Haven stays.
      idp.accounts.set('idp-dana', { sub: 'idp-dana', groups: [] });
      expect((await new Browser(app).ssoLogin()).status).toBe(200);
      expect(await roles()).toEqual({ global: [], demo: ['clinician'] });
    });
  });
  describe(`OIDC single sign-on with autoCreate [${store.name}]`, () => {
    let idp: TestIdp;
    let t: TestInstance;
    let app: FastifyInstance;
    let secretDir: string;

    beforeAll(async () => {
      idp = await startTestIdp(REDIRECT_URI);
      secretDir = mkdtempSync(join(tmpdir(), 'haven-oidc-'));
      writeFileSync(join(secretDir, 'client-secret'), idp.clientSecret, { mode: 0o600 });
      t = await createTestInstance(store, {
        config: {
          oidc: {
            issuer: idp.issuer,
            clientId: idp.clientId,
            clientSecretFile: join(secretDir, 'client-secret'),
            redirectUri: REDIRECT_URI,
            autoCreate: true,
            allowInsecureLoopback: true,
          },
        },
      });
      app = await buildTestApp(t);
    });
    afterAll(async () => {
      await app?.close();
      await t?.cleanup();
      await idp?.close();
      rmSync(secretDir, { recursive: true, force: true });
      await store.cleanup();
    });

    it('the first login of an unknown subject creates an SSO-only account that must still enrol Haven MFA', async () => {
      idp.accounts.set('idp-newcomer', { sub: 'idp-newcomer', preferred_username: 'newcomer' });
      idp.nextLogin = { accountId: 'idp-newcomer', amr: ['mfa'] };
      const b = new Browser(app);
      expect(await b.ssoLogin()).toMatchObject({ status: 200, json: { next: 'enrol_mfa' } });
      const user = await t.instance.storage.read.users.byUsername('newcomer');
      expect(user).toMatchObject({ globalRoles: [], mustChangePassword: false, mfaEnrolledAt: null });
      expect(await t.instance.storage.read.sso.identity(idp.issuer, 'idp-newcomer')).toMatchObject({ userId: user!.id });
      // No password works for an SSO-only account.
      const login = await new Browser(app).call('POST', '/api/auth/login', { username: 'newcomer', password: '!sso-only' });
      expect(login).toMatchObject({ status: 401, code: 'HAVEN_AUTH_INVALID_CREDENTIALS' });
      // The second login finds the same account.
      expect(await new Browser(app).ssoLogin()).toMatchObject({ status: 200, json: { next: 'enrol_mfa' } });
      expect((await t.instance.storage.read.users.list()).filter((u) => u.username === 'newcomer')).toHaveLength(1);
    });

    it('autoCreate never links to an existing account by name', async () => {
      idp.accounts.set('idp-impostor', { sub: 'idp-impostor', preferred_username: 'ops' });
      idp.nextLogin = { accountId: 'idp-impostor', amr: ['mfa'] };
      const b = new Browser(app);
      expect(await b.ssoLogin()).toMatchObject({ status: 403, code: 'HAVEN_SSO_USER_NOT_LINKED' });
      expect(await t.instance.storage.read.sso.identity(idp.issuer, 'idp-impostor')).toBeUndefined();
      expect(b.cookies.has('__Host-haven_session')).toBe(false);
    });
  });
}
