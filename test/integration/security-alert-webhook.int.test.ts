import { createServer, type IncomingMessage, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPersona } from '../helpers/personas.js';
import { testStores } from '../helpers/stores.js';
import { createTestInstance, type TestInstance } from '../helpers/test-instance.js';

/** A webhook receiver on loopback standing in for the operator's alerting service (a third party we do not run). */
function receiver(): Promise<{ server: Server; url: string; next: () => Promise<Record<string, unknown>> }> {
  const waiting: ((body: Record<string, unknown>) => void)[] = [];
  const received: Record<string, unknown>[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    let text = '';
    req.on('data', (d: Buffer) => (text += d.toString()));
    req.on('end', () => {
      res.writeHead(204).end();
      const body = JSON.parse(text) as Record<string, unknown>;
      const w = waiting.shift();
      if (w) {
        w(body);
      } else {
        received.push(body);
      }
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      resolve({
        server,
        url: `http://127.0.0.1:${port}/hook`,
        next: () =>
          new Promise((res, rej) => {
            const ready = received.shift();
            if (ready) {
              res(ready);
              return;
            }
            waiting.push(res);
            setTimeout(() => rej(new Error('no alert arrived')), 10_000).unref();
          }),
      });
    }),
  );
}

for (const store of testStores()) {
  describe(`security alert webhook [${store.name}]`, () => {
    let t: TestInstance;
    let hook: Awaited<ReturnType<typeof receiver>>;
    beforeAll(async () => {
      hook = await receiver();
      t = await createTestInstance(store, { config: { alerts: { webhookUrl: hook.url } } });
    });
    afterAll(async () => {
      hook.server.close();
      await t.cleanup();
      await store.cleanup();
    });

    it('a lockout sends one alert with reason codes only, no account name or password', async () => {
      const victim = await createPersona(t.instance, 'alerted');
      const ctx = { ip: '127.0.0.9', requestId: 'brute' };
      for (let i = 0; i < t.instance.config.identity.lockoutThreshold; i++) {
        await expect(t.instance.identity.checkPassword('alerted', `wrong guess number ${i}`, ctx)).rejects.toMatchObject({ code: 'HAVEN_AUTH_INVALID_CREDENTIALS' });
      }
      const alert = await hook.next();
      expect(alert).toMatchObject({ source: 'haven', event: 'security.alert', reason: 'account_locked_out', subjectKind: 'account' });
      const text = JSON.stringify(alert);
      expect(text).not.toContain('alerted');
      expect(text).not.toContain('wrong guess');
      await expect(t.instance.identity.checkPassword('alerted', victim.password, ctx)).rejects.toMatchObject({ code: 'HAVEN_AUTH_LOCKED' });
    });
  });
}

describe('alert webhook configuration', () => {
  it('refuses plain HTTP off loopback and URLs with credentials', async () => {
    const { resolveConfig } = await import('../../src/config/validate.js');
    expect(resolveConfig({ alerts: { webhookUrl: 'http://alerts.example.org/hook' } }, {}).problems.map((p) => p.key)).toEqual(['alerts.webhookUrl']);
    expect(resolveConfig({ alerts: { webhookUrl: 'https://u:p@alerts.example.org/hook' } }, {}).problems.map((p) => p.key)).toEqual(['alerts.webhookUrl']);
    expect(resolveConfig({ alerts: { webhookUrl: 'https://alerts.example.org/hook' } }, {}).problems).toEqual([]);
  });
});
