import { readFileSync } from 'node:fs';
import { HavenError } from '../../errors/haven-error.js';
import type { RootKeyProvider } from '../../services/keys/root-key-provider.js';
import { readKeystore } from './keystore-file.js';
import type { Keystore } from './keystore-file.js';
import { openLocalRoot } from './local-root-provider.js';
import { requirePassphrase } from './passphrase-source.js';
import type { PassphrasePrompt } from './passphrase-source.js';
import { openPkcs11Root } from './pkcs11-root-provider.js';

/**
 * The PKCS#11 user PIN: env HAVEN_PKCS11_PIN, or the file named by HAVEN_PKCS11_PIN_FILE. Never the config file.
 * @param env - the environment
 */
export function pkcs11Pin(env: Readonly<Record<string, string | undefined>>): string {
  if (env.HAVEN_PKCS11_PIN) {
    return env.HAVEN_PKCS11_PIN;
  }
  if (env.HAVEN_PKCS11_PIN_FILE) {
    try {
      return readFileSync(env.HAVEN_PKCS11_PIN_FILE, 'utf8').replace(/\r?\n$/, '');
    } catch (cause) {
      throw new HavenError('HAVEN_KEYS_PROVIDER_UNAVAILABLE', 'the PKCS#11 PIN file cannot be read', { cause, detail: { provider: 'pkcs11' } });
    }
  }
  throw new HavenError('HAVEN_KEYS_PROVIDER_UNAVAILABLE', 'no PKCS#11 PIN given (HAVEN_PKCS11_PIN or HAVEN_PKCS11_PIN_FILE)', { detail: { provider: 'pkcs11' } });
}

/**
 * Open the root key provider a keystore names (local: unseal with the passphrase; pkcs11: log in with the PIN).
 * @param keystore - the keystore
 * @param env - the environment (passphrase or PIN)
 * @param prompt - terminal prompt for the passphrase, when there is a terminal
 */
export async function openRootFromKeystore(
  keystore: Keystore,
  env: Readonly<Record<string, string | undefined>>,
  prompt?: PassphrasePrompt,
): Promise<RootKeyProvider> {
  if (keystore.provider === 'pkcs11') {
    return openPkcs11Root(keystore, pkcs11Pin(env));
  }
  const passphrase = await requirePassphrase(env, prompt);
  return openLocalRoot(keystore, passphrase.value);
}

/**
 * Open the root key provider of a data directory.
 * @param dataDir - the data directory
 * @param env - the environment (passphrase or PIN)
 * @param prompt - terminal prompt for the passphrase, when there is a terminal
 */
export function openRootProvider(dataDir: string, env: Readonly<Record<string, string | undefined>>, prompt?: PassphrasePrompt): Promise<RootKeyProvider> {
  return openRootFromKeystore(readKeystore(dataDir), env, prompt);
}
