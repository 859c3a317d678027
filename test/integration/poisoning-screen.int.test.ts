import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPersona, type Persona } from '../helpers/personas.js';
import { testStores } from '../helpers/stores.js';
import { buildTestApp, createTestInstance, type TestInstance } from '../helpers/test-instance.js';

const SAMPLE = readFileSync(new URL('../../../shared/data/los-10k.csv', import.meta.url)).toString('utf8');
const [HEADER, ...ROWS] = SAMPLE.trimEnd().split(/\r?\n/);
const LOS = HEADER!.split(',').indexOf('lengthofstay');

/** The sample with 1,500 rows replaced by copies of one long stay: duplicate injection that also shifts the label. */
function poisoned(): string {
  const copy = ROWS[0]!.split(',');
  copy[LOS] = '17';
  const injected = copy.join(',');
  return [HEADER, ...ROWS.map((r, i) => (i % 6 === 5 && i < 9000 ? injected.replace(/^[^,]*/, `Copy${i}`) : r))].join('\n') + '\n';
}

for (const store of testStores()) {
  describe(`poisoning screens on import and before training [${store.name}]`, () => {
    let t: TestInstance;
    let app: FastifyInstance;
    let steward: Persona;
    let scientist: Persona;
    const call = (method: 'GET' | 'POST', url: string, who: Persona, body?: unknown, type = 'application/json') =>
      app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${who.token}`, ...(body === undefined ? {} : { 'content-type': type }) },
        ...(body === undefined ? {} : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
    const importCsv = async (csv: string) => {
      const r = await call('POST', '/api/workspaces/alpha/datasets/stays/imports', steward, csv, 'text/csv');
      expect(r.statusCode, r.body).toBe(201);
      const v = (r.json() as { version: number }).version;
      expect((await call('POST', `/api/workspaces/alpha/datasets/stays/versions/${v}/publish`, steward)).statusCode).toBe(200);
      return v;
    };
    beforeAll(async () => {
      t = await createTestInstance(store, { withKeys: true });
      app = await buildTestApp(t);
      steward = await createPersona(t.instance, 'steward', { memberships: [{ workspace: 'alpha', role: 'data_steward' }] });
      scientist = await createPersona(t.instance, 'scientist', { memberships: [{ workspace: 'alpha', role: 'data_scientist' }] });
    }, 60_000);
    afterAll(async () => {
      await app.close();
      await t.cleanup();
      await store.cleanup();
    });

    it('the first version is the baseline; the same data reordered screens clear', async () => {
      expect(await importCsv(SAMPLE)).toBe(1);
      expect((await call('GET', '/api/workspaces/alpha/datasets/stays/versions/1/screen', scientist)).json()).toMatchObject({
        version: 1,
        status: 'baseline',
        flags: [],
      });
      const reordered = [HEADER, ...[...ROWS].reverse()].join('\n') + '\n';
      expect(await importCsv(reordered)).toBe(2);
      expect((await call('GET', '/api/workspaces/alpha/datasets/stays/versions/2/screen', scientist)).json()).toMatchObject({
        baselineVersion: 1,
        status: 'clear',
        flags: [],
      });
    }, 120_000);

    it('duplicate injection with a shifted label is flagged, with statistics and no values', async () => {
      expect(await importCsv(poisoned())).toBe(3);
      const res = await call('GET', '/api/workspaces/alpha/datasets/stays/versions/3/screen', steward);
      const screen = res.json() as { status: string; flags: { kind: string; feature: string | null }[] };
      expect(screen.status).toBe('flagged');
      expect(screen.flags.map((f) => f.kind)).toEqual(expect.arrayContaining(['exact_duplicates']));
      expect(screen.flags).toContainEqual(expect.objectContaining({ kind: 'distribution_shift', feature: 'lengthofstay' }));
      expect(res.body).not.toContain('Copy');
      const ledger = await t.instance.storage.read.audit.page(0, 100_000);
      expect(ledger.find((e) => e.action === 'dataset.screen' && e.resource === 'dataset:stays@3')!.detail).toMatchObject({ status: 'flagged' });
    }, 120_000);

    it("training on the flagged version waits for a steward's acknowledgement with a reason", async () => {
      const refused = await call('POST', '/api/workspaces/alpha/training-runs', scientist, {
        dataset: 'stays',
        version: 3,
        target: 'lengthofstay',
        params: { nRounds: 5 },
      });
      expect(refused.statusCode).toBe(409);
      expect(refused.json()).toMatchObject({ error: { code: 'HAVEN_TRAIN_POISONING_UNACKNOWLEDGED' } });
      const reason = 'Checked with the data provider: the repeated stays are a known registry artefact.';
      expect((await call('POST', '/api/workspaces/alpha/datasets/stays/versions/3/screen/acknowledge', scientist, { reason })).statusCode).toBe(403);
      expect((await call('POST', '/api/workspaces/alpha/datasets/stays/versions/3/screen/acknowledge', steward, { reason: 'ok' })).statusCode).toBe(400);
      const ack = await call('POST', '/api/workspaces/alpha/datasets/stays/versions/3/screen/acknowledge', steward, { reason });
      expect(ack.statusCode, ack.body).toBe(200);
      expect(ack.json()).toMatchObject({ acknowledged: { by: steward.id } });
      expect((await call('POST', '/api/workspaces/alpha/datasets/stays/versions/3/screen/acknowledge', steward, { reason })).statusCode).toBe(409);
      expect((await call('POST', '/api/workspaces/alpha/datasets/stays/versions/2/screen/acknowledge', steward, { reason })).statusCode).toBe(409);
      const ledger = JSON.stringify(await t.instance.storage.read.audit.page(0, 100_000));
      expect(ledger).toContain('dataset.screen_acknowledge');
      expect(ledger).not.toContain('registry artefact');
      const started = await call('POST', '/api/workspaces/alpha/training-runs', scientist, {
        dataset: 'stays',
        version: 3,
        target: 'lengthofstay',
        params: { nRounds: 5 },
      });
      expect(started.statusCode, started.body).toBe(202);
      await t.instance.models.training.settle();
    }, 120_000);
  });
}
