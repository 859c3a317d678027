import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { PUBLIC_ROUTES } from '../../src/faces/server/route-config.js';
import { PERMISSIONS } from '../../src/services/access/policy.js';
import { testStores } from '../helpers/stores.js';
import { buildTestApp, createTestInstance, type TestInstance } from '../helpers/test-instance.js';

function concrete(url: string): string {
  return url.replace(/:[A-Za-z_]+/g, 'x1').replace(/\*$/, 'x1');
}

for (const store of testStores()) {
  describe(`route coverage: deny by default [${store.name}]`, () => {
    let t: TestInstance;
    let app: FastifyInstance;
    beforeAll(async () => {
      t = await createTestInstance(store);
      app = await buildTestApp(t);
      await app.ready();
    });
    afterAll(async () => {
      await app.close();
      await t.cleanup();
      await store.cleanup();
    });

    it('every route declares exactly one known permission, or is on the short public allowlist', () => {
      expect(app.havenRoutes.length).toBeGreaterThan(5);
      for (const r of app.havenRoutes) {
        const key = `${r.method} ${r.url}`;
        if (r.access?.public) {
          expect(PUBLIC_ROUTES.includes(key) || (r.method === 'HEAD' && PUBLIC_ROUTES.includes(`GET ${r.url}`)), `${key} is public but not allowlisted`).toBe(
            true,
          );
        } else {
          expect(r.access?.permission, `${key} declares no permission`).toBeDefined();
          expect(Object.keys(PERMISSIONS)).toContain(r.access!.permission);
        }
      }
    });

    it('every non-public route answers 401 without a token and with a bad token', async () => {
      const guarded = app.havenRoutes.filter((r) => !r.access?.public);
      for (const r of guarded) {
        const method = r.method as 'GET';
        const anonymous = await app.inject({ method, url: concrete(r.url) });
        expect(anonymous.statusCode, `${r.method} ${r.url}`).toBe(401);
        const forged = await app.inject({ method, url: concrete(r.url), headers: { authorization: `Bearer hvn_${'A'.repeat(43)}` } });
        expect(forged.statusCode).toBe(401);
        if (r.method !== 'HEAD') {
          expect(anonymous.json()).toMatchObject({ error: { code: 'HAVEN_AUTH_REQUIRED' } });
          expect(forged.json()).toMatchObject({ error: { code: 'HAVEN_AUTH_INVALID_TOKEN', message: 'invalid credentials' } });
        }
      }
    });

    it('unknown paths need authentication too, then answer 404', async () => {
      const anon = await app.inject({ method: 'GET', url: '/api/nothing-here' });
      expect(anon.statusCode).toBe(401);
      const authed = await app.inject({ method: 'GET', url: '/api/nothing-here', headers: { authorization: `Bearer ${t.token}` } });
      expect(authed.statusCode).toBe(404);
      expect(authed.json()).toMatchObject({ error: { code: 'HAVEN_HTTP_NOT_FOUND' } });
    });

    it('health and OpenAPI answer without a token; the OpenAPI document lists the routes', async () => {
      expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
      const doc = await app.inject({ method: 'GET', url: '/openapi.json' });
      expect(doc.statusCode).toBe(200);
      expect(Object.keys(doc.json<{ paths: Record<string, unknown> }>().paths)).toEqual(
        expect.arrayContaining(['/health', '/api/session', '/api/audit/verify', '/metrics']),
      );
    });

    it('both the anonymous refusal and the health check are in the ledger', async () => {
      await app.inject({ method: 'GET', url: '/health' });
      await app.inject({ method: 'GET', url: '/api/session' });
      const entries = await t.instance.storage.read.audit.page(0, 1000);
      expect(entries.some((e) => e.resource === 'GET /health' && e.outcome === 'success' && e.actor === 'anonymous')).toBe(true);
      expect(entries.some((e) => e.resource === 'GET /api/session' && e.outcome === 'denied' && e.detail.status === 401)).toBe(true);
      expect((await t.instance.audit.verify(t.instance.storage)).ok).toBe(true);
    });

    it('a request whose ledger entry cannot be written is not served (503)', async () => {
      const { rawSql } = await import('../helpers/raw-sql.js');
      await rawSql(t, ['alter table audit_head rename to audit_head_moved']);
      try {
        const res = await app.inject({ method: 'GET', url: '/api/session', headers: { authorization: `Bearer ${t.token}` } });
        expect(res.statusCode).toBe(503);
        expect(res.json()).toMatchObject({ error: { code: 'HAVEN_AUDIT_WRITE_FAILED' } });
        expect(res.body).not.toContain('bootstrap-admin');
      } finally {
        await rawSql(t, ['alter table audit_head_moved rename to audit_head']);
      }
      expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    });

    it('metrics need metrics:read and carry no user data in labels', async () => {
      const res = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${t.token}` } });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('haven_http_requests_total');
      expect(res.body).not.toContain('nothing-here');
    });
  });
}
