import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { commitStagedFile, stageFile, stagedPrefix } from '../datadir/durable-file.js';
import { KEYSTORE_FILE } from './keystore-file.js';
import type { Keystore } from './keystore-file.js';

/**
 * Crash-safe replacement of the root keystore file (passphrase change): the new keystore is staged beside the old
 * one (0600, fsynced) and renamed over it; a crash before the rename leaves the old keystore in place and usable.
 */

function pathOf(dataDir: string): string {
  return join(dataDir, KEYSTORE_FILE);
}

/**
 * The keystore file's bytes (to detect a concurrent change before replacing it).
 * @param dataDir - the data directory
 */
export function keystoreBytes(dataDir: string): Buffer {
  return readFileSync(pathOf(dataDir));
}

/**
 * Write a new keystore to a durable temporary file beside the current one; returns its path.
 * @param dataDir - the data directory
 * @param content - the keystore, or exact file bytes (to put an old keystore back)
 */
export function stageKeystore(dataDir: string, content: Keystore | Buffer): string {
  return stageFile(pathOf(dataDir), Buffer.isBuffer(content) ? content : `${JSON.stringify(content, null, 2)}\n`);
}

/**
 * Replace the keystore by a staged one (atomic rename, directory fsynced).
 * @param dataDir - the data directory
 * @param staged - path returned by stageKeystore
 */
export function commitKeystore(dataDir: string, staged: string): void {
  commitStagedFile(staged, pathOf(dataDir));
}

/**
 * Remove keystores staged by an interrupted passphrase change (each holds the root key sealed under a passphrase
 * that never took effect). Returns how many were removed.
 * @param dataDir - the data directory
 */
export function discardStagedKeystores(dataDir: string): number {
  const dir = dirname(pathOf(dataDir));
  const prefix = stagedPrefix(pathOf(dataDir));
  let removed = 0;
  for (const name of readdirSync(dir)) {
    if (name.startsWith(prefix)) {
      rmSync(join(dir, name), { force: true });
      removed++;
    }
  }
  return removed;
}
