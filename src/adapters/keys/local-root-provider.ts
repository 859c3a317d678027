import { generateKey, unwrapKey, wrapKey } from '../../libs/crypto/key-wrap.js';
import type { ManagedKey } from '../../libs/crypto/key-wrap.js';
import { sealRootKeyAsync, unsealRootKeyAsync } from '../../libs/crypto/passphrase-kdf.js';
import type { ScryptParams } from '../../libs/crypto/passphrase-kdf.js';
import type { RootKeyProvider } from '../../services/keys/root-key-provider.js';
import type { Keystore } from './keystore-file.js';

/** Id of the root key in every wrap's associated data. */
export const ROOT_KEY_ID = 'root';

function providerOf(root: ManagedKey): RootKeyProvider {
  let key: ManagedKey | undefined = root;
  const live = (): ManagedKey => {
    if (key === undefined) {
      throw new Error('root key provider is closed');
    }
    return key;
  };
  return {
    kind: 'local',
    rootVersion: root.version,
    wrap: async (child) => wrapKey(live(), child),
    unwrap: async (wrapped, label) => unwrapKey(live(), wrapped, label),
    close() {
      if (key !== undefined) {
        key.key.fill(0);
        key = undefined;
      }
      return Promise.resolve();
    },
  };
}

/**
 * Create a new random root key sealed under a passphrase (scrypt, libs/crypto/passphrase-kdf).
 * @param passphrase - the operator's passphrase
 * @param params - scrypt parameters (default: N = 2^17, r = 8, p = 1; never below the production floor)
 */
export async function createLocalRoot(passphrase: string, params?: ScryptParams): Promise<{ keystore: Keystore; provider: RootKeyProvider }> {
  const root = generateKey({ id: ROOT_KEY_ID, purpose: 'root', version: 1 });
  const sealed = await sealRootKeyAsync(passphrase, root.key, params ? { params } : {});
  return { keystore: { format: 'haven-keystore', version: 1, provider: 'local', rootVersion: 1, sealed }, provider: providerOf(root) };
}

/**
 * Open the local provider: unseal the root key. A wrong passphrase throws HAVEN_CRYPTO_WRONG_PASSPHRASE.
 * @param keystore - the local keystore
 * @param passphrase - the operator's passphrase
 */
export async function openLocalRoot(keystore: Extract<Keystore, { provider: 'local' }>, passphrase: string): Promise<RootKeyProvider> {
  const bytes = await unsealRootKeyAsync(passphrase, keystore.sealed);
  return providerOf({ id: ROOT_KEY_ID, purpose: 'root', version: keystore.rootVersion, key: bytes });
}
