/**
 * Child process for the crash tests (run compiled: node dist/test/integration/keys-crash-worker.js DATA_DIR ROUNDS).
 * Rotates and re-encrypts a workspace in a loop with tiny batches, so a kill -9 lands mid-way through some step.
 * Prints `ready` once the keys are open. The root passphrase comes from HAVEN_ROOT_PASSPHRASE.
 */
import { openInstance } from '../../src/composition/open-instance.js';
import { openKeys } from '../../src/composition/keys-setup.js';
import { rotateWorkspace } from '../../src/services/keys/key-rotation.js';
import { reencryptWorkspace } from '../../src/services/keys/reencrypt-job.js';

const [dataDir, roundsText] = process.argv.slice(2);
const instance = await openInstance(dataDir!, { env: process.env });
const rt = await openKeys(dataDir!, instance.storage, instance.clock, process.env);
process.stdout.write('ready\n');
const rounds = Number(roundsText ?? '1000');
for (let i = 0; i < rounds; i++) {
  await rotateWorkspace(rt.keys, instance.storage, instance.audit, 'ws1', { batch: 3, purposes: ['dataset-dek', 'artifact-dek'] });
  await reencryptWorkspace(rt.keys, instance.storage, instance.audit, 'ws1', { batch: 7, usageCounters: [] });
  await rt.blobs.reencrypt('ws1');
}
await rt.close();
await instance.close();
