import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserClient } from '../helpers/http-client.js';
import { createPersona, type Persona } from '../helpers/personas.js';
import { rawSql } from '../helpers/raw-sql.js';
import { SoftAuthenticator } from '../helpers/soft-authenticator.js';
import { testStores } from '../helpers/stores.js';
import { buildTestApp, createTestInstance, type TestInstance } from '../helpers/test-instance.js';

const RP_ID = 'haven.test';
const ORIGIN = 'https://haven.test';

for (const store of testStores()) {
  describe(`WebAuthn security keys as a second factor [${store.name}]`, () => {
    let t: TestInstance;
    let app: FastifyInstance;
    let p: Persona;
    const key = new SoftAuthenticator(RP_ID, ORIGIN);

    /** Password login: a session that still needs its second factor. */
    async function passwordOnly(): Promise<BrowserClient> {
      const b = new BrowserClient(app);
      expect(await b.call('POST', '/api/auth/login', { username: p.username, password: p.password })).toMatchObject({ status: 200, json: { next: 'verify_mfa' } });
      return b;
    }

    beforeAll(async () => {
      t = await createTestInstance(store, { config: { webauthn: { rpId: RP_ID, origin: ORIGIN } } });
      app = await buildTestApp(t);
      p = await createPersona(t.instance, 'keyholder');
    });
    afterAll(async () => {
      await app.close();
      await t.cleanup();
      await store.cleanup();
    });

    it('a security key is registered only in a fully authenticated session', async () => {
      const b = await passwordOnly();
      expect(await b.call('POST', '/api/auth/webauthn/register/options', {})).toMatchObject({ status: 403, code: 'HAVEN_AUTH_MFA_REQUIRED' });
      // No key yet: nothing to sign in with.
      expect(await b.call('POST', '/api/auth/webauthn/authenticate/options', {})).toMatchObject({ status: 409, code: 'HAVEN_WEBAUTHN_NO_CREDENTIAL' });
      // The enrolment used the current TOTP step; the next step's code is fresh.
      expect(await b.call('POST', '/api/auth/mfa/verify', { code: p.code(Date.now() + 30_000) })).toMatchObject({ status: 200, json: { next: 'done' } });
      const options = await b.call('POST', '/api/auth/webauthn/register/options', {});
      expect(options.status).toBe(200);
      expect(options.json).toMatchObject({ rp: { id: RP_ID }, user: { name: 'keyholder' }, attestation: 'none' });
      const registered = await b.call('POST', '/api/auth/webauthn/register/verify', key.register(options.json as { challenge: string }));
      expect(registered).toMatchObject({ status: 200, json: { id: key.credentialId.toString('base64url') } });
      const [stored] = await t.instance.storage.read.webauthn.credentialsOf(p.id);
      expect(stored).toMatchObject({ id: key.credentialId.toString('base64url'), counter: 0, transports: ['usb'] });
      // The challenge was single use: the same response cannot register twice.
      expect(await b.call('POST', '/api/auth/webauthn/register/verify', key.register(options.json as { challenge: string }))).toMatchObject({ status: 400, code: 'HAVEN_WEBAUTHN_NO_CHALLENGE' });
    });

    it('log in with the security key instead of a TOTP code', async () => {
      const b = await passwordOnly();
      const options = await b.call('POST', '/api/auth/webauthn/authenticate/options', {});
      expect(options.status).toBe(200);
      expect(options.json).toMatchObject({ rpId: RP_ID, allowCredentials: [{ id: key.credentialId.toString('base64url') }] });
      expect(await b.call('GET', '/api/tokens')).toMatchObject({ status: 403, code: 'HAVEN_AUTH_MFA_REQUIRED' });
      const done = await b.call('POST', '/api/auth/webauthn/authenticate/verify', key.assert(options.json as { challenge: string }));
      expect(done).toMatchObject({ status: 200, json: { next: 'done' } });
      expect((await b.call('GET', '/api/tokens')).status).toBe(200);
      expect((await t.instance.storage.read.webauthn.credential(key.credentialId.toString('base64url')))?.counter).toBe(key.counter);
    });

    it('a wrong challenge is refused, and the challenge is used up', async () => {
      const b = await passwordOnly();
      const options = await b.call('POST', '/api/auth/webauthn/authenticate/options', {});
      const forged = key.assert(options.json as { challenge: string }, { challenge: randomBytes(32).toString('base64url') });
      expect(await b.call('POST', '/api/auth/webauthn/authenticate/verify', forged)).toMatchObject({ status: 401, code: 'HAVEN_WEBAUTHN_INVALID' });
      const honest = key.assert(options.json as { challenge: string });
      expect(await b.call('POST', '/api/auth/webauthn/authenticate/verify', honest)).toMatchObject({ status: 400, code: 'HAVEN_WEBAUTHN_NO_CHALLENGE' });
      expect(await b.call('GET', '/api/tokens')).toMatchObject({ status: 403, code: 'HAVEN_AUTH_MFA_REQUIRED' });
    });

    it('a signature by another key is refused', async () => {
      const b = await passwordOnly();
      const options = await b.call('POST', '/api/auth/webauthn/authenticate/options', {});
      const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
      const res = await b.call('POST', '/api/auth/webauthn/authenticate/verify', key.assert(options.json as { challenge: string }, { signWith: other }));
      expect(res).toMatchObject({ status: 401, code: 'HAVEN_WEBAUTHN_INVALID' });
    });

    it('a replayed or regressed counter is refused', async () => {
      const b = await passwordOnly();
      const first = await b.call('POST', '/api/auth/webauthn/authenticate/options', {});
      const assertion = key.assert(first.json as { challenge: string });
      expect((await b.call('POST', '/api/auth/webauthn/authenticate/verify', assertion)).status).toBe(200);
      const used = key.counter;
      // A clone of the key that signs the fresh challenge with a counter not above the stored one.
      const b2 = await passwordOnly();
      const second = await b2.call('POST', '/api/auth/webauthn/authenticate/options', {});
      const regressed = key.assert(second.json as { challenge: string }, { counter: used });
      expect(await b2.call('POST', '/api/auth/webauthn/authenticate/verify', regressed)).toMatchObject({ status: 401, code: 'HAVEN_WEBAUTHN_INVALID' });
      // Replaying the whole earlier assertion under a fresh challenge fails too.
      await b2.call('POST', '/api/auth/webauthn/authenticate/options', {});
      expect(await b2.call('POST', '/api/auth/webauthn/authenticate/verify', assertion)).toMatchObject({ status: 401, code: 'HAVEN_WEBAUTHN_INVALID' });
      expect((await t.instance.storage.read.webauthn.credential(key.credentialId.toString('base64url')))?.counter).toBe(used);
    });

    it('adding another key needs recent MFA (step-up)', async () => {
      const b = await passwordOnly();
      const options = await b.call('POST', '/api/auth/webauthn/authenticate/options', {});
      expect((await b.call('POST', '/api/auth/webauthn/authenticate/verify', key.assert(options.json as { challenge: string }))).status).toBe(200);
      expect((await b.call('POST', '/api/auth/webauthn/register/options', {})).status).toBe(200);
      // The session's MFA ages past the step-up window.
      await rawSql(t, [`update user_session set mfa_at = '2000-01-01T00:00:00.000Z' where user_id = '${p.id}'`]);
      expect(await b.call('POST', '/api/auth/webauthn/register/options', {})).toMatchObject({ status: 403, code: 'HAVEN_AUTH_STEP_UP_REQUIRED' });
    });

    it('a key of another user cannot be used', async () => {
      const q = await createPersona(t.instance, 'otheruser');
      const b = new BrowserClient(app);
      await b.call('POST', '/api/auth/login', { username: q.username, password: q.password });
      expect(await b.call('POST', '/api/auth/webauthn/authenticate/options', {})).toMatchObject({ status: 409, code: 'HAVEN_WEBAUTHN_NO_CREDENTIAL' });
    });
  });
}
