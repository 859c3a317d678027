import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openKeys } from '../../src/composition/keys-setup.js';
import { decodeFieldCiphertext } from '../../src/libs/crypto/field-cipher.js';
import { EncounterService } from '../../src/services/encounters/encounter-service.js';
import { IngestService } from '../../src/services/ingest/ingest-service.js';
import { principalOf } from '../../src/services/identity/principal-factory.js';
import { completeRotation } from '../../src/services/keys/key-rotation.js';
import { reencryptWorkspace } from '../../src/services/keys/reencrypt-job.js';
import { createPersona } from '../helpers/personas.js';
import { testStores } from '../helpers/stores.js';
import { admission, sampleCsv, storedCiphertexts, type StoredCiphertext } from './keys-coverage-fixture.js';
import { createKeysInstance, type KeysTestInstance } from './keys-helpers.js';

// The existing crash worker rotates and re-encrypts workspace ws1 in a loop (batch 7) until killed.
const WORKER = fileURLToPath(new URL('../../dist/test/integration/keys-crash-worker.js', import.meta.url));
const KILLS = 8;

function runAndKill(t: KeysTestInstance, delayMs: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WORKER, t.dataDir], { env: { PATH: process.env.PATH ?? '', ...t.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let ready = false;
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      if (!ready && d.toString().includes('ready')) {
        ready = true;
        setTimeout(() => child.kill('SIGKILL'), delayMs);
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (_code, signal) => (ready ? resolve(signal) : reject(new Error(`worker failed before ready: ${stderr.slice(0, 500)}`))));
  });
}

for (const store of testStores()) {
  describe(`kill -9 during re-encryption of rows, quarantine and encounter names [${store.name}]`, () => {
    afterAll(() => store.cleanup());

    it(`leaves every stored value decryptable after ${KILLS} kills at random points, then completes`, { timeout: 600_000 }, async () => {
      expect(existsSync(WORKER), 'build first: npx tsc -p tsconfig.json (npm test does)').toBe(true);
      const t = await createKeysInstance(store);
      try {
        const steward = await createPersona(t.instance, 'steward');
        const user = (await t.instance.storage.read.users.byUsername(steward.username))!;
        const principal = await principalOf(t.instance.storage.read, user, {
          via: 'token',
          tokenScopes: null,
          tokenWorkspace: null,
          mfaAt: t.instance.clock.now().toISOString(),
        });
        const csv = sampleCsv(1, 41, { badLines: ['Ann,Bee,Cee,1', 'Dee,Eff'] });
        const ingest = new IngestService(t.instance.storage, t.instance.audit, t.instance.clock, () => Promise.resolve(t.rt.keys));
        const report = await ingest.importCsv(principal, 'ws1', 'stays', Readable.from([Buffer.from(csv)]), 'crash-test');
        expect(report).toMatchObject({ rowsStored: 40, rowsQuarantined: 2 });
        const encounters = new EncounterService(t.instance.storage, t.instance.audit, t.instance.clock, () => Promise.resolve(t.rt.keys));
        for (const eid of [300001, 300002, 300003]) {
          await encounters.admit(principal, 'ws1', admission(eid, [`G${eid}`, `M${eid}`, `F${eid}`]), 'crash-test');
        }
        await t.rt.vault.protect(t.instance.storage, 'ws1', 'visits', [{ column: 'Last', recordId: '1', value: 'Hopper' }]);

        const decryptAll = async (cts: readonly StoredCiphertext[]): Promise<Map<string, string>> => {
          const fresh = await openKeys(t.dataDir, t.instance.storage, t.instance.clock, t.env);
          try {
            const out = new Map<string, string>();
            for (const c of cts) {
              out.set(c.place, (await fresh.keys.decryptField(t.instance.storage, c.cell, c.text)).toString('utf8'));
            }
            return out;
          } finally {
            await fresh.close();
          }
        };
        const initial = await storedCiphertexts(t);
        expect(initial.filter((c) => c.store === 'rows').length).toBe(40 * 6);
        expect(initial.filter((c) => c.store === 'encounters').length).toBe(9);
        const plain = await decryptAll(initial);

        let killed = 0;
        for (let i = 0; i < KILLS; i++) {
          if ((await runAndKill(t, 20 + Math.floor(Math.random() * 900))) === 'SIGKILL') {
            killed++;
          }
          expect(await decryptAll(await storedCiphertexts(t))).toEqual(plain);
        }
        expect(killed).toBe(KILLS);
        expect((await t.instance.storage.read.keys.versions('ws1', 'ds.encounters')).length).toBeGreaterThan(2); // the worker did rotate

        await completeRotation(t.rt.keys, t.instance.storage, 'ws1');
        await reencryptWorkspace(t.rt.keys, t.instance.storage, t.instance.audit, 'ws1', { usageCounters: [] });
        const done = await storedCiphertexts(t);
        expect(await decryptAll(done)).toEqual(plain);
        const all = await t.instance.storage.read.keys.list('ws1');
        for (const c of done) {
          const live = all.filter((k) => k.keyId === `ds.${c.cell.dataset}` && k.state !== 'destroyed');
          expect(
            live.map((k) => k.state),
            c.place,
          ).toEqual(['active']);
          expect(decodeFieldCiphertext(Buffer.from(c.text, 'base64url')).keyVersion, c.place).toBe(live[0]!.version);
        }
      } finally {
        await t.cleanup();
      }
    });
  });
}
