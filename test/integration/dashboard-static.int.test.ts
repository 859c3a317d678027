import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { request } from 'node:https';
import { BrowserClient } from '../helpers/http-client.js';
import { listenHttps, type ListeningServer } from '../helpers/listen.js';
import { createPersona, type Persona } from '../helpers/personas.js';
import { testStores } from '../helpers/stores.js';
import { buildTestApp, createTestInstance, type TestInstance } from '../helpers/test-instance.js';

/** Sign in through the browser session API (password, then TOTP) and return the session cookie. */
async function signIn(app: FastifyInstance, p: Persona): Promise<string> {
  const b = new BrowserClient(app);
  expect((await b.call('POST', '/api/auth/login', { username: p.username, password: p.password })).status).toBe(200);
  expect(await b.call('POST', '/api/auth/mfa/verify', { code: p.code(Date.now() + 30_000) })).toMatchObject({ status: 200, json: { next: 'done' } });
  return b.cookie;
}

/** GET a path exactly as given (Node's client sends it without resolving dot segments). */
function rawGet(s: ListeningServer, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: s.port, path, ca: s.ca, servername: 'localhost' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

for (const store of testStores()) {
  describe(`dashboard static files under /app/ [${store.name}]`, () => {
    let t: TestInstance;
    let app: FastifyInstance;
    let cmio: Persona;
    let steward: Persona;
    beforeAll(async () => {
      t = await createTestInstance(store);
      app = await buildTestApp(t);
      cmio = await createPersona(t.instance, 'cmio', { memberships: [{ workspace: 'alpha', role: 'cmio' }] });
      steward = await createPersona(t.instance, 'steward', { memberships: [{ workspace: 'alpha', role: 'data_steward' }] });
    });
    afterAll(async () => {
      await app.close();
      await t.cleanup();
      await store.cleanup();
    });

    const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });

    it('serves the shell with a strict CSP and the built assets with their types and immutable caching', async () => {
      expect((await get('/app')).headers.location).toBe('/app/');
      const shell = await get('/app/');
      expect(shell.statusCode).toBe(200);
      expect(shell.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(shell.headers['cache-control']).toBe('no-cache');
      const csp = String(shell.headers['content-security-policy']);
      for (const directive of [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "require-trusted-types-for 'script'",
        "trusted-types 'none'",
      ]) {
        expect(csp).toContain(directive);
      }
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
      expect(shell.headers['x-content-type-options']).toBe('nosniff');
      // No inline script or style in the page: only references to files under /app/assets/.
      expect(shell.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(shell.body).not.toMatch(/<style|style=/);
      const assets = [...shell.body.matchAll(/(?:src|href)="(\/app\/assets\/[^"]+)"/g)].map((m) => m[1]!);
      expect(assets.some((a) => a.endsWith('.js'))).toBe(true);
      expect(assets.some((a) => a.endsWith('.css'))).toBe(true);
      for (const a of assets) {
        const res = await get(a);
        expect(res.statusCode, a).toBe(200);
        expect(res.headers['content-type']).toBe(a.endsWith('.js') ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8');
        expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
        expect((await get(a, { 'if-none-match': String(res.headers.etag) })).statusCode).toBe(304);
      }
      expect((await app.inject({ method: 'HEAD', url: '/app/' })).statusCode).toBe(200);
      // API answers keep no-store.
      expect((await get('/health')).headers['cache-control']).toBe('no-store');
    });

    it('reaches no other file: traversal, encoded separators, dot files, source maps and unknown files are refused', async () => {
      // Sent raw over HTTPS (no client-side normalisation of dot segments), every trick stops at the path guard.
      const server = await listenHttps(t);
      try {
        for (const path of [
          '/app/../package.json',
          '/app/%2e%2e/package.json',
          '/app/assets/..%2f..%2fpackage.json',
          '/app/assets%5c..%5cpackage.json',
          '/app/assets/%00.js',
          '/app//etc/passwd',
          '/app/./index.html',
        ]) {
          const res = await rawGet(server, path);
          expect(res.status, path).toBe(400);
          expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'HAVEN_HTTP_BAD_PATH' } });
        }
      } finally {
        await server.app.close();
      }
      for (const url of ['/app/index.html', '/app/.vite/manifest.json', '/app/assets/nothing.js', '/app/vite.config.ts', '/app/assets/index.js.map']) {
        const res = await get(url);
        expect(res.statusCode, url).toBe(404);
        expect(res.json()).toMatchObject({ error: { code: 'HAVEN_HTTP_NOT_FOUND' } });
      }
      const unknownPage = await get('/app/no-such-page');
      expect([unknownPage.statusCode, unknownPage.headers['content-type']]).toEqual([404, 'text/html; charset=utf-8']);
    });

    it('answers 404 for a page the signed-in user may not see, 200 for one they may, and the sign-in shell to anyone else', async () => {
      const cmioCookie = await signIn(app, cmio);
      const stewardCookie = await signIn(app, steward);
      expect((await get('/app/actual-stay', { cookie: cmioCookie })).statusCode).toBe(200);
      expect((await get('/app/predicted-stay', { cookie: cmioCookie })).statusCode).toBe(200);
      expect((await get('/app/actual-stay', { cookie: stewardCookie })).statusCode).toBe(404);
      expect((await get('/app/predicted-stay', { cookie: stewardCookie })).statusCode).toBe(404);
      expect((await get('/app/', { cookie: stewardCookie })).statusCode).toBe(200);
      expect((await get('/app/actual-stay')).statusCode).toBe(200);
      expect((await get('/app/actual-stay', { cookie: '__Host-haven_session=forged' })).statusCode).toBe(200);
      // The shell holds no data either way; the data routes are guarded on their own.
      expect((await get('/api/workspaces/alpha/reports/actual-stay', { cookie: stewardCookie })).statusCode).toBe(403);
    });
  });
}
