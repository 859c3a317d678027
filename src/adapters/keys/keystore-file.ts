import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { HavenError } from '../../errors/haven-error.js';
import { writePrivateFile } from '../datadir/data-dir.js';

/** Where the root keystore lives inside the data directory. */
export const KEYSTORE_FILE = 'keys/root-keystore.json';

/** Where the PKCS#11 root key lives: module, token and key label (no PIN: that comes from the environment). */
export interface Pkcs11Location {
  readonly library: string;
  readonly tokenLabel: string;
  readonly keyLabel: string;
}

/** The keystore file: which provider holds the root key, and (local provider) the root key sealed by a passphrase. */
export type Keystore =
  | { readonly format: 'haven-keystore'; readonly version: 1; readonly provider: 'local'; readonly rootVersion: number; readonly sealed: string }
  | { readonly format: 'haven-keystore'; readonly version: 1; readonly provider: 'pkcs11'; readonly rootVersion: number; readonly pkcs11: Pkcs11Location };

function invalid(reason: string): HavenError {
  return new HavenError('HAVEN_KEYS_KEYSTORE_INVALID', undefined, { detail: { reason } });
}

/**
 * Check and narrow a parsed keystore.
 * @param value - parsed JSON
 */
export function parseKeystore(value: unknown): Keystore {
  const v = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  if (v['format'] !== 'haven-keystore' || v['version'] !== 1 || !Number.isInteger(v['rootVersion']) || (v['rootVersion'] as number) < 1) {
    throw invalid('format');
  }
  if (v['provider'] === 'local' && typeof v['sealed'] === 'string') {
    return { format: 'haven-keystore', version: 1, provider: 'local', rootVersion: v['rootVersion'] as number, sealed: v['sealed'] };
  }
  const p = (typeof v['pkcs11'] === 'object' && v['pkcs11'] !== null ? v['pkcs11'] : {}) as Record<string, unknown>;
  if (v['provider'] === 'pkcs11' && typeof p['library'] === 'string' && typeof p['tokenLabel'] === 'string' && typeof p['keyLabel'] === 'string') {
    return {
      format: 'haven-keystore',
      version: 1,
      provider: 'pkcs11',
      rootVersion: v['rootVersion'] as number,
      pkcs11: { library: p['library'], tokenLabel: p['tokenLabel'], keyLabel: p['keyLabel'] },
    };
  }
  throw invalid('provider');
}

/**
 * Whether the data directory has a keystore.
 * @param dataDir - the data directory
 */
export function hasKeystore(dataDir: string): boolean {
  return existsSync(join(dataDir, KEYSTORE_FILE));
}

/**
 * Read the keystore, refusing a file readable by group or others (it holds the sealed root key).
 * @param dataDir - the data directory
 */
export function readKeystore(dataDir: string): Keystore {
  const path = join(dataDir, KEYSTORE_FILE);
  if (!existsSync(path)) {
    throw new HavenError('HAVEN_KEYS_NOT_INITIALISED');
  }
  if ((statSync(path).mode & 0o077) !== 0) {
    throw invalid('permissions');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw invalid('json');
  }
  return parseKeystore(parsed);
}

/**
 * Write the keystore atomically with mode 0600.
 * @param dataDir - the data directory
 * @param keystore - the keystore
 */
export function writeKeystore(dataDir: string, keystore: Keystore): void {
  writePrivateFile(join(dataDir, KEYSTORE_FILE), `${JSON.stringify(keystore, null, 2)}\n`);
}
