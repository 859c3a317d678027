import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPersona, type Persona } from '../helpers/personas.js';
import { rawQuery } from '../helpers/raw-sql.js';
import { testStores } from '../helpers/stores.js';
import { buildTestApp, createTestInstance, type TestInstance } from '../helpers/test-instance.js';

const SAMPLE = readFileSync(new URL('../../../shared/data/los-10k.csv', import.meta.url));
/** Values that only the encrypted columns hold: first names, a last name, an admission date. */
const SECRETS = ['FirstA', 'Amiddle', 'LASTCEVUDKM', '9/21/2012', '2012-09-21'];

for (const store of testStores()) {
  describe(`the stored schema holds no values of encrypted columns [${store.name}]`, () => {
    let t: TestInstance;
    let app: FastifyInstance;
    let steward: Persona;
    let scientist: Persona;
    beforeAll(async () => {
      t = await createTestInstance(store, { withKeys: true });
      app = await buildTestApp(t);
      steward = await createPersona(t.instance, 'steward', { memberships: [{ workspace: 'alpha', role: 'data_steward' }] });
      scientist = await createPersona(t.instance, 'scientist', { memberships: [{ workspace: 'alpha', role: 'data_scientist' }] });
      const r = await app.inject({
        method: 'POST',
        url: '/api/workspaces/alpha/datasets/stays/imports',
        headers: { authorization: `Bearer ${steward.token}`, 'content-type': 'text/csv' },
        payload: SAMPLE,
      });
      expect(r.statusCode, r.body).toBe(201);
    }, 120_000);
    afterAll(async () => {
      await app.close();
      await t.cleanup();
      await store.cleanup();
    });

    it('the version detail shows types and counts of identifier columns but no levels or ranges; plain columns keep theirs', async () => {
      const res = await app.inject({
        method: 'GET',
        url: '/api/workspaces/alpha/datasets/stays/versions/1',
        headers: { authorization: `Bearer ${scientist.token}` },
      });
      expect(res.statusCode).toBe(200);
      for (const s of SECRETS) {
        expect(res.body).not.toContain(s);
      }
      const schema = (res.json() as { schema: Record<string, unknown>[] }).schema;
      const first = schema.find((c) => c.name === 'First')!;
      expect(first).toMatchObject({ type: 'categorical', present: 10000 });
      expect(first).not.toHaveProperty('categories');
      const vdate = schema.find((c) => c.name === 'vdate')!;
      expect(vdate.type).toBe('date');
      expect(vdate).not.toHaveProperty('min');
      expect(schema.find((c) => c.name === 'eid')).not.toHaveProperty('max');
      expect(schema.find((c) => c.name === 'facid')).toMatchObject({ categories: ['A', 'B', 'C', 'D', 'E'] });
      expect(schema.find((c) => c.name === 'sodium')).toHaveProperty('min');
    });

    it('nor does the database row', async () => {
      const rows = await rawQuery(t, 'select schema from dataset_version');
      const text = JSON.stringify(rows);
      expect(text).toContain('facid');
      for (const s of SECRETS) {
        expect(text).not.toContain(s);
      }
    });
  });
}
