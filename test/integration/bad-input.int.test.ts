import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { testStores } from '../helpers/stores.js';
import { buildTestApp, createTestInstance, type TestInstance } from '../helpers/test-instance.js';

const CANARY = 'CANARY-7f3a91-PHI';

for (const store of testStores()) {
  describe(`bad input gets a coded 4xx and the server stays up [${store.name}]`, () => {
    let t: TestInstance;
    let app: FastifyInstance;
    let auth: Record<string, string>;
    beforeAll(async () => {
      t = await createTestInstance(store, { config: { server: { bodyLimitBytes: 4096 } } });
      app = await buildTestApp(t);
      auth = { authorization: `Bearer ${t.token}` };
    });
    afterAll(async () => {
      await app.close();
      await t.cleanup();
      await store.cleanup();
    });

    async function post(payload: string | Buffer, contentType = 'application/json') {
      const res = await app.inject({ method: 'POST', url: '/api/audit/query', headers: { ...auth, 'content-type': contentType }, payload });
      const health = await app.inject({ method: 'GET', url: '/health' });
      expect(health.statusCode).toBe(200);
      expect(res.body).not.toContain(CANARY);
      return { status: res.statusCode, code: (res.json() as { error?: { code: string } }).error?.code };
    }

    it('accepts a well-formed request (the control)', async () => {
      expect((await post('{"limit":1}')).status).toBe(200);
    });

    it('malformed JSON', async () => {
      expect(await post(`{"limit": 1, "x": "${CANARY}"`)).toEqual({ status: 400, code: 'HAVEN_HTTP_INVALID_JSON' });
    });

    it('empty JSON body', async () => {
      expect(await post('')).toEqual({ status: 400, code: 'HAVEN_HTTP_INVALID_JSON' });
    });

    it('oversized body', async () => {
      expect(await post(JSON.stringify({ limit: 1, pad: CANARY.repeat(1000) }))).toEqual({ status: 413, code: 'HAVEN_HTTP_BODY_TOO_LARGE' });
    });

    it('unknown fields are refused, not silently dropped, and never echoed', async () => {
      expect(await post(JSON.stringify({ limit: 1, [CANARY]: 1 }))).toEqual({ status: 400, code: 'HAVEN_HTTP_VALIDATION' });
    });

    it('wrong types and out-of-range values', async () => {
      expect(await post('{"limit":"ten"}')).toEqual({ status: 400, code: 'HAVEN_HTTP_VALIDATION' });
      expect(await post('{"limit":100000}')).toEqual({ status: 400, code: 'HAVEN_HTTP_VALIDATION' });
    });

    it('proto-poisoning: __proto__ and constructor.prototype keys', async () => {
      expect(await post('{"limit":1,"__proto__":{"polluted":true}}')).toEqual({ status: 400, code: 'HAVEN_HTTP_PROTO_POISONING' });
      expect(await post('{"limit":1,"constructor":{"prototype":{"polluted":true}}}')).toEqual({ status: 400, code: 'HAVEN_HTTP_PROTO_POISONING' });
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('invalid UTF-8', async () => {
      expect(await post(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]))).toEqual({ status: 400, code: 'HAVEN_HTTP_INVALID_UTF8' });
    });

    it('unsupported content type', async () => {
      expect(await post('limit=1', 'application/x-www-form-urlencoded')).toEqual({ status: 415, code: 'HAVEN_HTTP_UNSUPPORTED_MEDIA_TYPE' });
    });

    it.each([['//api/session'], ['/api//session'], ['/api%2Fsession'], ['/api%2fsession'], ['/health%00'], ['/api/session%5c..'], ['/api/%E0%A4%A']])(
      'path trick %s',
      async (url) => {
        const res = await app.inject({ method: 'GET', url, headers: auth });
        expect(res.statusCode).toBe(400);
        expect(res.json()).toMatchObject({ error: { code: 'HAVEN_HTTP_BAD_PATH' } });
        expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
      },
    );

    it('a malformed Authorization header', async () => {
      const res = await app.inject({ method: 'GET', url: '/api/session', headers: { authorization: `Basic ${CANARY}` } });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ error: { code: 'HAVEN_AUTH_INVALID_TOKEN' } });
      expect(res.body).not.toContain(CANARY);
    });

    it('wrong method on a known route', async () => {
      const res = await app.inject({ method: 'DELETE', url: '/api/session', headers: auth });
      expect([404, 405]).toContain(res.statusCode);
      expect(res.json()).toMatchObject({ error: { code: expect.stringMatching(/^HAVEN_HTTP_/) } });
    });

    it('error bodies carry only code, message and request id', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/audit/query',
        headers: { ...auth, 'content-type': 'application/json' },
        payload: '{"limit":"x"}',
      });
      const body = res.json() as { error: Record<string, unknown> };
      expect(Object.keys(body.error).sort()).toEqual(['code', 'message', 'requestId']);
      expect(res.headers['cache-control']).toBe('no-store');
    });
  });
}
