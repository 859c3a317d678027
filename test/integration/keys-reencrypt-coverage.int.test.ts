import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openKeys, type KeysRuntime } from '../../src/composition/keys-setup.js';
import { decodeFieldCiphertext } from '../../src/libs/crypto/field-cipher.js';
import { shredDataset } from '../../src/services/keys/crypto-shredding.js';
import { rotateWorkspace } from '../../src/services/keys/key-rotation.js';
import { reencryptWorkspace } from '../../src/services/keys/reencrypt-job.js';
import { createPersona, type Persona } from '../helpers/personas.js';
import { rawQuery } from '../helpers/raw-sql.js';
import { testStores } from '../helpers/stores.js';
import { TEST_ROOT_PASSPHRASE, buildTestApp, createTestInstance, type TestInstance } from '../helpers/test-instance.js';
import { admission, sampleCsv, scanFieldCiphertexts, storedCiphertexts, type StoredCiphertext } from './keys-coverage-fixture.js';

const WS = 'ws-alpha';
const ENV = { HAVEN_ROOT_PASSPHRASE: TEST_ROOT_PASSPHRASE };

for (const store of testStores()) {
  describe(`re-encryption and crypto-shredding cover every stored ciphertext [${store.name}]`, () => {
    let t: TestInstance;
    let app: FastifyInstance;
    let rt: KeysRuntime;
    let steward: Persona;
    let doc: Persona;
    const ids: Record<string, string> = {};
    /** Plaintext of every ciphertext, by place, read before any rotation. */
    const plain = new Map<string, string>();

    const upload = (dataset: string, csv: string) =>
      app.inject({
        method: 'POST',
        url: `/api/workspaces/alpha/datasets/${dataset}/imports`,
        headers: { authorization: `Bearer ${steward.token}`, 'content-type': 'text/csv' },
        payload: csv,
      });

    /** Decrypt every stored ciphertext with a fresh key service (no cached keys, as after a restart). */
    async function decryptAll(cts: readonly StoredCiphertext[]): Promise<Map<string, string>> {
      const fresh = await openKeys(t.dataDir, t.instance.storage, t.instance.clock, ENV);
      try {
        const out = new Map<string, string>();
        for (const c of cts) {
          out.set(c.place, (await fresh.keys.decryptField(t.instance.storage, c.cell, c.text)).toString('utf8'));
        }
        return out;
      } finally {
        await fresh.close();
      }
    }

    async function activeVersion(dataset: string): Promise<number> {
      return (await t.instance.storage.read.keys.versions(WS, `ds.${dataset}`)).filter((v) => v.state === 'active').at(-1)!.version;
    }

    const byStore = (cts: readonly StoredCiphertext[]) =>
      Object.fromEntries(['rows', 'quarantine', 'encounters', 'vault'].map((s) => [s, cts.filter((c) => c.store === s).length]));

    beforeAll(async () => {
      t = await createTestInstance(store, { withKeys: true });
      app = await buildTestApp(t);
      steward = await createPersona(t.instance, 'steward', { memberships: [{ workspace: 'alpha', role: 'data_steward' }] });
      doc = await createPersona(t.instance, 'doc', { memberships: [{ workspace: 'alpha', role: 'clinician' }] });
      const stays = await upload('stays', sampleCsv(1, 61, { badLines: ['Ann,Bee,Cee,1', 'Dee,Eff,Gee,2,3'] }));
      expect(stays.statusCode, stays.body).toBe(201);
      expect(stays.json()).toMatchObject({ rowsStored: 60, rowsQuarantined: 2 });
      const labs = await upload('labs', sampleCsv(100, 130, { badLines: ['Hal,Ida,Jay'] }));
      expect(labs.statusCode, labs.body).toBe(201);
      for (const [i, eid] of [200001, 200002, 200003].entries()) {
        const res = await app.inject({
          method: 'POST',
          url: '/api/workspaces/alpha/admissions',
          headers: { authorization: `Bearer ${doc.token}`, 'content-type': 'application/json' },
          payload: JSON.stringify(admission(eid, [`Given${i}`, `Middle${i}`, `Family${i}`])),
        });
        expect(res.statusCode, res.body).toBe(201);
      }
      rt = await t.instance.keys();
      await rt.vault.protect(t.instance.storage, WS, 'visits', [
        { column: 'Last', recordId: '1', value: 'Lovelace' },
        { column: 'Last', recordId: '2', value: 'Hopper' },
      ]);
      for (const name of ['stays', 'labs']) {
        ids[name] = (await t.instance.storage.read.datasets.datasetByName(WS, name))!.id;
      }
      for (const [place, value] of await decryptAll(await storedCiphertexts(t))) {
        plain.set(place, value);
      }
    }, 120_000);
    afterAll(async () => {
      await app?.close();
      await t?.cleanup();
      await store.cleanup();
    });

    it('re-encrypts dataset rows, quarantined rows, encounter names and vault cells; afterwards no stored ciphertext names the old version', async () => {
      const before = await storedCiphertexts(t);
      // 60 + 30 rows with First, Middle, Last, eid, vdate, discharged encrypted; 3 quarantined lines; 3 × 3 names; 2 vault cells.
      expect(byStore(before)).toEqual({ rows: 90 * 6, quarantine: 3, encounters: 9, vault: 2 });
      expect(plain.size).toBe(before.length);
      expect([...plain.values()]).toContain('Family1');
      // The blind scan of every table finds exactly these ciphertexts (a control: it can see them all).
      expect(await scanFieldCiphertexts(t)).toHaveLength(before.length);
      const rowsBefore = await rawQuery(t, 'select version_id, row_no, data from dataset_row order by version_id, row_no');

      await rotateWorkspace(rt.keys, t.instance.storage, t.instance.audit, WS);
      const current = {
        stays: await activeVersion(ids.stays!),
        labs: await activeVersion(ids.labs!),
        encounters: await activeVersion('encounters'),
        visits: await activeVersion('visits'),
      };
      expect(Object.values(current)).toEqual([2, 2, 2, 2]);

      // Re-encrypting only the vault and asking to destroy unused versions must not destroy what rows still use.
      const vaultOnly = await reencryptWorkspace(rt.keys, t.instance.storage, t.instance.audit, WS, { sources: [], usageCounters: [] });
      expect(vaultOnly.bySource).toEqual({ vault: 2 });
      const v1 = async (d: string) => (await t.instance.storage.read.keys.versions(WS, `ds.${d}`)).find((v) => v.version === 1)!.state;
      expect([await v1(ids.stays!), await v1(ids.labs!), await v1('encounters'), await v1('visits')]).toEqual(['retired', 'retired', 'retired', 'destroyed']);
      expect(await decryptAll(await storedCiphertexts(t))).toEqual(plain);

      const report = await reencryptWorkspace(rt.keys, t.instance.storage, t.instance.audit, WS, { usageCounters: [] });
      expect(report.bySource).toEqual({ vault: 0, rows: 540, quarantine: 3, encounters: 9, models: 0 });
      expect(report.reencrypted).toBe(552);
      expect(report.destroyedVersions).toBe(3);

      const after = await storedCiphertexts(t);
      expect(after).toHaveLength(before.length);
      for (const c of after) {
        const parts = decodeFieldCiphertext(Buffer.from(c.text, 'base64url'));
        expect(parts.keyId, c.place).toBe(`ds.${c.cell.dataset}`);
        expect(parts.keyVersion, c.place).toBe(
          current[c.cell.dataset === ids.stays ? 'stays' : c.cell.dataset === ids.labs ? 'labs' : (c.cell.dataset as 'encounters' | 'visits')],
        );
      }
      const found = await scanFieldCiphertexts(t);
      expect(found).toHaveLength(before.length);
      expect(found.filter((f) => f.keyVersion !== 2)).toEqual([]);
      expect(await decryptAll(after)).toEqual(plain);
      // Only the ciphertexts changed: plain values and pseudonyms of every row are as they were.
      const rowsAfter = await rawQuery(t, 'select version_id, row_no, data from dataset_row order by version_id, row_no');
      const withoutCells = (rows: Record<string, unknown>[]) =>
        rows.map((r) => ({ ...(JSON.parse(String(r.data)) as object), e: undefined, at: `${String(r.version_id)}:${Number(r.row_no)}` }));
      expect(withoutCells(rowsAfter)).toEqual(withoutCells(rowsBefore));
      // The old versions are gone for good, and the admitting clinician still reads the names through the API.
      expect([await v1(ids.stays!), await v1(ids.labs!), await v1('encounters')]).toEqual(['destroyed', 'destroyed', 'destroyed']);
      const enc = await app.inject({ method: 'GET', url: '/api/workspaces/alpha/encounters/200002', headers: { authorization: `Bearer ${doc.token}` } });
      expect(enc.statusCode, enc.body).toBe(200);
      expect(enc.json()).toMatchObject({ record: { First: 'Given1', Middle: 'Middle1', Last: 'Family1' } });
      const ledger = await t.instance.storage.read.audit.page(0, 100_000);
      expect(ledger.filter((e) => e.action === 'keys.reencrypt').at(-1)).toMatchObject({
        outcome: 'success',
        detail: { rows: 540, quarantine: 3, encounters: 9 },
      });
    }, 120_000);

    it('resumes after a crash mid-way; re-runs re-encrypt nothing twice and change nothing once done', async () => {
      const before = await storedCiphertexts(t);
      await rotateWorkspace(rt.keys, t.instance.storage, t.instance.audit, WS);
      let batches = 0;
      const crash = new Error('simulated crash after two committed batches');
      await expect(
        reencryptWorkspace(rt.keys, t.instance.storage, t.instance.audit, WS, {
          batch: 7,
          onBatch: (_dataset, _n, source) => {
            if (source !== 'vault' && ++batches === 2) {
              throw crash;
            }
          },
        }),
      ).rejects.toBe(crash);
      const mid = await storedCiphertexts(t);
      const versionsMid = mid.map((c) => decodeFieldCiphertext(Buffer.from(c.text, 'base64url')).keyVersion);
      expect(versionsMid.filter((v) => v === 3).length).toBeGreaterThan(0);
      expect(versionsMid.filter((v) => v === 2).length).toBeGreaterThan(0);
      expect(await decryptAll(mid)).toEqual(plain);
      const running = await rawQuery(t, "select id, cursor, processed from key_job where state = 'running'");
      expect(running.length).toBe(1);
      expect(String(running[0]!.id)).toMatch(/^reencrypt:rows:ws-alpha:.+:3$/);
      const movedBeforeCrash = versionsMid.filter((v) => v === 3).length;

      const resumed = await reencryptWorkspace(rt.keys, t.instance.storage, t.instance.audit, WS, { batch: 7, usageCounters: [] });
      expect(resumed.reencrypted + movedBeforeCrash).toBe(before.length);
      const done = await storedCiphertexts(t);
      expect(done.every((c) => decodeFieldCiphertext(Buffer.from(c.text, 'base64url')).keyVersion === 3)).toBe(true);
      expect(await rawQuery(t, "select id from key_job where state = 'running'")).toEqual([]);

      const again = await reencryptWorkspace(rt.keys, t.instance.storage, t.instance.audit, WS, { batch: 7, usageCounters: [] });
      expect(again).toMatchObject({ reencrypted: 0, destroyedVersions: 0 });
      expect(await storedCiphertexts(t)).toEqual(done);
      expect(await decryptAll(done)).toEqual(plain);
    }, 120_000);

    it('crypto-shredding a dataset makes its rows and quarantine unreadable everywhere while other datasets and encounters still decrypt', async () => {
      const copy = await storedCiphertexts(t); // e.g. what a backup or a replica holds
      const result = await shredDataset(rt.keys, t.instance.storage, t.instance.audit, { actor: 'tester', requestId: 'shred-1' }, WS, ids.stays!);
      expect(result.versions).toBeGreaterThan(0);
      const fresh = await openKeys(t.dataDir, t.instance.storage, t.instance.clock, ENV);
      try {
        let refused = 0;
        for (const c of copy) {
          if (c.cell.dataset === ids.stays) {
            await expect(fresh.keys.decryptField(t.instance.storage, c.cell, c.text), c.place).rejects.toMatchObject({ code: 'HAVEN_CRYPTO_DECRYPT_FAILED' });
            refused++;
          } else {
            expect((await fresh.keys.decryptField(t.instance.storage, c.cell, c.text)).toString('utf8'), c.place).toBe(plain.get(c.place));
          }
        }
        expect(refused).toBe(60 * 6 + 2);
      } finally {
        await fresh.close();
      }
      // Re-encryption after a shred skips the shredded dataset and still covers the rest.
      await rotateWorkspace(rt.keys, t.instance.storage, t.instance.audit, WS);
      const r = await reencryptWorkspace(rt.keys, t.instance.storage, t.instance.audit, WS, { usageCounters: [] });
      expect(r.bySource).toEqual({ vault: 2, rows: 30 * 6, quarantine: 1, encounters: 9, models: 0 });

      // Shredding the encounters key: the admitting clinician now gets a coded error, not the names.
      await shredDataset(rt.keys, t.instance.storage, t.instance.audit, { actor: 'tester', requestId: 'shred-2' }, WS, 'encounters');
      const enc = await app.inject({ method: 'GET', url: '/api/workspaces/alpha/encounters/200002', headers: { authorization: `Bearer ${doc.token}` } });
      expect(enc.statusCode).toBe(422);
      expect(enc.json()).toMatchObject({ error: { code: 'HAVEN_CRYPTO_DECRYPT_FAILED' } });
      expect(enc.body).not.toContain('Family1');
      const ledger = await t.instance.storage.read.audit.page(0, 100_000);
      expect(ledger.filter((e) => e.action === 'keys.shred-dataset' && e.outcome === 'success')).toHaveLength(2);
    }, 120_000);
  });
}
