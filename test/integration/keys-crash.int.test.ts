import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openKeys } from '../../src/composition/keys-setup.js';
import { completeRotation } from '../../src/services/keys/key-rotation.js';
import { reencryptWorkspace } from '../../src/services/keys/reencrypt-job.js';
import { testStores } from '../helpers/stores.js';
import { createKeysInstance, type KeysTestInstance } from './keys-helpers.js';

const WORKER = fileURLToPath(new URL('../../dist/test/integration/keys-crash-worker.js', import.meta.url));
const KILLS = 22;

/** Start the worker, wait until it has opened its keys, let it run a random while, then SIGKILL it. */
function runAndKill(t: KeysTestInstance, delayMs: number): Promise<{ ready: boolean; signal: string | null }> {
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
    child.on('close', (_code, signal) => (ready ? resolve({ ready, signal }) : reject(new Error(`worker failed before ready: ${stderr.slice(0, 500)}`))));
  });
}

for (const store of testStores()) {
  describe(`kill -9 during rotation and re-encryption [${store.name}]`, () => {
    afterAll(() => store.cleanup());

    it(`leaves every value decryptable after ${KILLS} kills at random points, then completes`, { timeout: 600_000 }, async () => {
      expect(existsSync(WORKER), 'build first: npx tsc -p tsconfig.json (npm test does)').toBe(true);
      const t = await createKeysInstance(store);
      try {
        const cells = new Map<string, string>();
        for (const dataset of ['visits', 'labs']) {
          const batch = Array.from({ length: 60 }, (_, i) => ({ column: i % 2 ? 'First' : 'Last', recordId: String(1000 + i), value: `${dataset}-${randomBytes(6).toString('hex')}` }));
          await t.rt.vault.protect(t.instance.storage, 'ws1', dataset, batch);
          for (const c of batch) {
            cells.set(`${dataset}|${c.column}|${c.recordId}`, c.value);
          }
        }
        const blobs = new Map<string, Buffer>();
        for (let i = 0; i < 3; i++) {
          const content = randomBytes(20_000 + i);
          blobs.set((await t.rt.blobs.put('ws1', 'upload', content)).id, content);
        }
        const verifyAll = async (): Promise<void> => {
          // A fresh key service (no cached keys) in this process, as a restarted server would be.
          const fresh = await openKeys(t.dataDir, t.instance.storage, t.instance.clock, t.env);
          try {
            for (const [k, v] of cells) {
              const [dataset, column, recordId] = k.split('|') as [string, string, string];
              expect((await fresh.vault.reveal(t.instance.storage, 'ws1', dataset, column, recordId))?.toString()).toBe(v);
            }
            for (const [id, content] of blobs) {
              expect(await fresh.blobs.read(id)).toEqual(content);
            }
          } finally {
            await fresh.close();
          }
        };
        let killed = 0;
        for (let i = 0; i < KILLS; i++) {
          const run = await runAndKill(t, 20 + Math.floor(Math.random() * 700));
          if (run.signal === 'SIGKILL') {
            killed++;
          }
          await verifyAll();
        }
        expect(killed).toBe(KILLS);
        const kekVersions = await t.instance.storage.read.keys.versions('ws1', 'wsk.ws1');
        expect(kekVersions.length).toBeGreaterThan(2); // the worker did rotate between kills

        // Resume: finish the interrupted rewrap and re-encryption; then only current versions remain live.
        await completeRotation(t.rt.keys, t.instance.storage, 'ws1');
        await reencryptWorkspace(t.rt.keys, t.instance.storage, t.instance.audit, 'ws1', { usageCounters: [] });
        await t.rt.blobs.reencrypt('ws1');
        await verifyAll();
        const all = await t.instance.storage.read.keys.list('ws1');
        const liveKeks = all.filter((k) => k.keyId === 'wsk.ws1' && k.state !== 'destroyed');
        expect(liveKeks).toHaveLength(1);
        for (const dataset of ['visits', 'labs']) {
          const live = all.filter((k) => k.keyId === `ds.${dataset}` && k.state !== 'destroyed');
          expect(live.map((k) => k.state)).toEqual(['active']);
          expect(await t.instance.storage.read.keys.fieldsNotAtVersion('ws1', dataset, live[0]!.version, undefined, 10)).toEqual([]);
        }
        expect(all.filter((k) => k.state !== 'destroyed').every((k) => k.purpose === 'workspace-kek' || k.parentVersion === liveKeks[0]!.version)).toBe(true);
      } finally {
        await t.cleanup();
      }
    });
  });
}
