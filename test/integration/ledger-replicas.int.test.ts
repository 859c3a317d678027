import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openInstance, type Instance } from '../../src/composition/open-instance.js';
import { buildApp } from '../../src/faces/server/app.js';
import { createPersona, type Persona } from '../helpers/personas.js';
import { testStores } from '../helpers/stores.js';
import { createTestInstance, type TestInstance } from '../helpers/test-instance.js';

const WRITERS_PER_SERVER = 50;

for (const store of testStores()) {
  describe(`one linear ledger under two API servers with concurrent writers [${store.name}]`, () => {
    let t: TestInstance;
    let second: Instance;
    let apps: FastifyInstance[];
    let user: Persona;
    beforeAll(async () => {
      t = await createTestInstance(store);
      // PostgreSQL: a second server's view of the same instance (its own services and pool, the same database).
      // SQLite is the one-server mode (better-sqlite3 waits for locks synchronously, so two instances in one
      // process would block each other): there, one server takes all the writers.
      second = store.name === 'postgres' ? await openInstance(t.dataDir) : t.instance;
      apps = store.name === 'postgres' ? [await buildApp(t.instance, undefined), await buildApp(second, undefined)] : [await buildApp(t.instance, undefined)];
      user = await createPersona(t.instance, 'writer', { memberships: [{ workspace: 'alpha', role: 'data_scientist' }] });
    }, 60_000);
    afterAll(async () => {
      for (const app of apps ?? []) {
        await app.close();
      }
      if (second !== t?.instance) {
        await second?.close();
      }
      await t?.cleanup();
      await store.cleanup();
    });

    it('2 servers × 50 concurrent writers (one server × 100 on SQLite): every request recorded once, no gaps, no forks, and the chain verifies', async () => {
      const before = await t.instance.storage.read.audit.head();
      const requests = apps.flatMap((app) =>
        Array.from({ length: (2 * WRITERS_PER_SERVER) / apps.length }, () =>
          app.inject({ method: 'GET', url: '/api/session', headers: { authorization: `Bearer ${user.token}` } }),
        ),
      );
      const answers = await Promise.all(requests);
      expect(answers.filter((a) => a.statusCode !== 200).map((a) => `${a.statusCode} ${a.body}`)).toEqual([]);
      const after = await t.instance.storage.read.audit.head();
      const entries = await t.instance.storage.read.audit.page(before.seq, 100_000);
      // Each request is one entry; sequence numbers are consecutive and each entry chains to the one before it.
      const requestEntries = entries.filter((e) => e.action === 'http.request' || e.resource.includes('/api/session'));
      expect(requestEntries.length).toBeGreaterThanOrEqual(2 * WRITERS_PER_SERVER);
      expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: after.seq - before.seq }, (_, i) => before.seq + 1 + i));
      for (let i = 1; i < entries.length; i++) {
        expect(entries[i]!.prevHash).toBe(entries[i - 1]!.hash);
      }
      expect(new Set(entries.map((e) => e.requestId)).size).toBeGreaterThanOrEqual(2 * WRITERS_PER_SERVER);
      const report = await second.audit.verify(second.storage);
      expect(report).toMatchObject({ ok: true });
    }, 120_000);
  });
}
