import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, Agent } from 'node:https';
import { createPersona, type Persona } from '../helpers/personas.js';
import { listenHttps, type ListeningServer } from '../helpers/listen.js';
import { testStores } from '../helpers/stores.js';
import { createTestInstance, type TestInstance } from '../helpers/test-instance.js';

function post(s: ListeningServer, agent: Agent, path: string, body: unknown): Promise<{ status: number; code: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request(`${s.url}${path}`, { method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, code: (JSON.parse(text || '{}') as { error?: { code: string } }).error?.code }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

for (const store of testStores()) {
  describe(`brute force and password spraying over HTTPS [${store.name}]`, () => {
    let t: TestInstance;
    let s: ListeningServer;
    let victim: Persona;
    let agent: Agent;
    beforeAll(async () => {
      t = await createTestInstance(store);
      victim = await createPersona(t.instance, 'victim');
      s = await listenHttps(t);
      agent = new Agent({ ca: s.ca, keepAlive: true, maxSockets: 8 });
    });
    afterAll(async () => {
      agent.destroy();
      await s.app.close();
      await t.cleanup();
      await store.cleanup();
    });

    it('1,000 guesses against one account: no login, a lockout, and an alert in the ledger', async () => {
      const statuses = new Map<number, number>();
      for (let batch = 0; batch < 100; batch++) {
        const results = await Promise.all(Array.from({ length: 10 }, (_, i) => post(s, agent, '/api/auth/login', { username: 'victim', password: `guess-${batch}-${i}-wrong` })));
        for (const r of results) {
          statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        }
      }
      expect(statuses.get(200)).toBeUndefined();
      expect(statuses.get(429)).toBeGreaterThan(900);
      // Even the right password is refused while the account is locked.
      expect(await post(s, agent, '/api/auth/login', { username: 'victim', password: victim.password })).toEqual({ status: 429, code: 'HAVEN_AUTH_LOCKED' });
      const alerts = (await t.instance.storage.read.audit.page(0, 100_000)).filter((e) => e.action === 'security.alert');
      expect(alerts.some((a) => a.detail.reason === 'account_locked_out')).toBe(true);
      expect((await t.instance.audit.verify(t.instance.storage)).ok).toBe(true);
    });

    it('password spraying across accounts from one address locks the address out', async () => {
      await t.instance.storage.transaction((repos) => repos.throttle.clear('ip:127.0.0.1'));
      const results: number[] = [];
      for (let i = 0; i < 60; i++) {
        results.push((await post(s, agent, '/api/auth/login', { username: `sprayed${i}`, password: 'Winter2026!Winter' })).status);
      }
      expect(results.slice(0, 49).every((st) => st === 401)).toBe(true);
      expect(results.slice(50).every((st) => st === 429)).toBe(true);
      const alerts = (await t.instance.storage.read.audit.page(0, 100_000)).filter((e) => e.action === 'security.alert');
      expect(alerts.some((a) => a.detail.reason === 'address_locked_out')).toBe(true);
    });
  });
}
