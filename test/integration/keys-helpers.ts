import type { TestStore } from '../helpers/stores.js';
import { createTestInstance, type TestInstance } from '../helpers/test-instance.js';
import { openKeys, setUpKeysAtInit, type KeysRuntime } from '../../src/composition/keys-setup.js';
import type { KeyServiceOptions } from '../../src/services/keys/key-service.js';

/** scrypt at the production floor (N = 2^15): fast enough for tests, accepted by production unsealing. */
export const TEST_SCRYPT = { N: 2 ** 15, r: 8, p: 1 } as const;
/** The passphrase tests use. */
export const TEST_PASSPHRASE = 'correct horse battery staple 42';

/** A test instance with keys set up and opened. */
export interface KeysTestInstance extends TestInstance {
  readonly rt: KeysRuntime;
  readonly env: Record<string, string>;
}

/**
 * Create an instance on a store, set up the local keystore and open the key runtime.
 * @param store - the store
 * @param keyOptions - key service options (policy)
 */
export async function createKeysInstance(store: TestStore, keyOptions?: KeyServiceOptions): Promise<KeysTestInstance> {
  const t = await createTestInstance(store);
  const env = { HAVEN_ROOT_PASSPHRASE: TEST_PASSPHRASE };
  await setUpKeysAtInit(t.dataDir, t.instance.storage, env, { scryptParams: TEST_SCRYPT, audit: t.instance.audit });
  const rt = await openKeys(t.dataDir, t.instance.storage, t.instance.clock, env, keyOptions ? { keyOptions } : {});
  return {
    ...t,
    rt,
    env,
    async cleanup() {
      await rt.close();
      await t.cleanup();
    },
  };
}
