import { execFile } from 'node:child_process';
import { connect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testStores } from '../helpers/stores.js';
import { listenHttps, type ListeningServer } from '../helpers/listen.js';
import { createTestInstance, type TestInstance } from '../helpers/test-instance.js';

/** Run a command asynchronously (the server under test lives in this process, so never block it). */
function run(cmd: string, args: string[]): Promise<{ stdout: string; exit: number }> {
  return new Promise((resolve) => {
    const child = execFile(cmd, args, { encoding: 'utf8', timeout: 20_000 }, (err, stdout) => {
      resolve({ stdout, exit: err ? (typeof err.code === 'number' ? err.code : -1) : 0 });
    });
    child.stdin?.end();
  });
}

async function curl(args: string[]): Promise<{ status: number; body: string; exit: number; headers: string }> {
  const r = await run('curl', ['-sS', '-D', '-', ...args]);
  const [head = '', ...rest] = r.stdout.split('\r\n\r\n');
  const status = Number(/HTTP\/[\d.]+ (\d+)/.exec(head)?.[1] ?? 0);
  return { status, body: rest.join('\r\n\r\n'), exit: r.exit, headers: head.toLowerCase() };
}

/** Try a TLS handshake with the given constraints; resolves to the negotiated protocol or the error code. */
function handshake(
  port: number,
  ca: Buffer,
  opts: { maxVersion?: 'TLSv1.1' | 'TLSv1.2'; minVersion?: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2'; ciphers?: string },
): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, ca, servername: 'localhost', ...opts }, () => {
      resolve(socket.getProtocol() ?? 'unknown');
      socket.end();
    });
    socket.on('error', (err: NodeJS.ErrnoException) => resolve(`error:${err.code ?? err.message}`));
  });
}

for (const store of testStores()) {
  describe(`HTTPS transport [${store.name}]`, () => {
    let t: TestInstance;
    let s: ListeningServer;
    beforeAll(async () => {
      t = await createTestInstance(store, { config: { server: { headersTimeoutMs: 1000, requestTimeoutMs: 2000 } } });
      s = await listenHttps(t);
    });
    afterAll(async () => {
      await s.app.close();
      await t.cleanup();
      await store.cleanup();
    });

    it('curl reaches /health over HTTPS with the generated certificate, HSTS and no-store set', async () => {
      const r = await curl(['--cacert', s.caFile, `${s.url}/health`]);
      expect(r.status).toBe(200);
      expect(JSON.parse(r.body)).toMatchObject({ status: 'ok' });
      expect(r.headers).toContain('strict-transport-security: max-age=63072000; includesubdomains');
      expect(r.headers).toContain('cache-control: no-store');
      const byName = await curl(['--cacert', s.caFile, `https://localhost:${s.port}/health`]);
      expect(byName.status).toBe(200);
    });

    it('curl without a token gets 401; with the token, 200', async () => {
      const anon = await curl(['--cacert', s.caFile, `${s.url}/api/session`]);
      expect(anon.status).toBe(401);
      expect(JSON.parse(anon.body)).toMatchObject({ error: { code: 'HAVEN_AUTH_REQUIRED' } });
      const authed = await curl(['--cacert', s.caFile, '-H', `Authorization: Bearer ${t.token}`, `${s.url}/api/session`]);
      expect(authed.status).toBe(200);
    });

    it('refuses TLS 1.1 and non-forward-secret ciphers; negotiates TLS 1.2+ otherwise', async () => {
      expect(await handshake(s.port, s.ca, { maxVersion: 'TLSv1.1', minVersion: 'TLSv1' })).toMatch(/^error:/);
      expect(await handshake(s.port, s.ca, { maxVersion: 'TLSv1.2', ciphers: 'AES128-GCM-SHA256:AES256-SHA' })).toMatch(/^error:/);
      expect(await handshake(s.port, s.ca, { maxVersion: 'TLSv1.2' })).toBe('TLSv1.2');
      expect(await handshake(s.port, s.ca, {})).toBe('TLSv1.3');
    });

    it.each(['/api/../health', '/api/./session', '/api/%2e%2e/health', '/./health'])('dot-segment path %s sent raw gets 400', async (path) => {
      const r = await curl(['--path-as-is', '--cacert', s.caFile, `${s.url}${path}`]);
      expect(r.status).toBe(400);
      expect(JSON.parse(r.body)).toMatchObject({ error: { code: 'HAVEN_HTTP_BAD_PATH' } });
    });

    it('slow-loris: a connection that never finishes its headers is closed, and others are still served', async () => {
      const closedAfter = await new Promise<number>((resolve, reject) => {
        const started = process.hrtime.bigint();
        const socket = connect({ host: '127.0.0.1', port: s.port, ca: s.ca, servername: 'localhost' }, () => {
          socket.write('GET /health HTTP/1.1\r\nHost: localhost\r\nX-Slow: 1');
        });
        socket.on('data', () => undefined);
        socket.on('error', () => undefined);
        socket.on('close', () => resolve(Number(process.hrtime.bigint() - started) / 1e6));
        setTimeout(() => reject(new Error('slow connection was never closed')), 15_000).unref();
      });
      expect(closedAfter).toBeLessThan(15_000);
      expect((await curl(['--cacert', s.caFile, `${s.url}/health`])).status).toBe(200);
    });

    it('the ledger recorded the health check and the refusal', async () => {
      const entries = await t.instance.storage.read.audit.page(0, 1000);
      expect(entries.filter((e) => e.resource === 'GET /health' && e.outcome === 'success').length).toBeGreaterThan(0);
      expect(entries.filter((e) => e.resource === 'GET /api/session' && e.outcome === 'denied').length).toBeGreaterThan(0);
    });

    it('openssl agrees: TLS 1.1 fails, TLS 1.2 succeeds', async () => {
      expect((await run('openssl', ['s_client', '-connect', `127.0.0.1:${s.port}`, '-tls1_1'])).exit).not.toBe(0);
      expect((await run('openssl', ['s_client', '-connect', `127.0.0.1:${s.port}`, '-tls1_2', '-CAfile', s.caFile, '-verify_return_error'])).exit).toBe(0);
    });
  });
}
