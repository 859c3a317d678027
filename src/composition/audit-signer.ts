import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DATA_DIR_LAYOUT, keyIdOf } from '../adapters/datadir/data-dir.js';
import { writeFileDurably } from '../adapters/datadir/durable-file.js';
import { exportPublicPem } from '../libs/crypto/signing.js';
import type { AuditService } from '../services/audit/audit-service.js';
import type { KeyService } from '../services/keys/key-service.js';
import { SigningKeys } from '../services/keys/signing-keys.js';
import type { Storage } from '../services/ports.js';
import type { KeysRuntime } from './keys-setup.js';

/** The signing-key purpose of audit checkpoints in the key hierarchy. */
export const AUDIT_SIGNING_PURPOSE = 'audit';

/**
 * Once the key hierarchy is unlocked, sign audit checkpoints with its `audit` signing key (an Ed25519 seed wrapped
 * under the system KEK, so it rotates with the hierarchy and is unusable without the root key) instead of the data
 * directory's key. Its public key is first published durably beside the data directory's audit public keys
 * (`keys/audit-public/<key id>.pem`), which is where `haven audit verify` loads keys from — so offline
 * verification needs no passphrase, and checkpoints signed earlier with the data-directory key still verify.
 * @param dataDir - the data directory
 * @param storage - the database
 * @param audit - the ledger
 * @param keys - the unlocked key service
 * @returns the key id checkpoints now name
 */
export async function signCheckpointsWithHierarchy(dataDir: string, storage: Storage, audit: AuditService, keys: KeyService): Promise<string> {
  const signing = new SigningKeys(keys);
  // The first unlock ever creates the key; two processes doing that at once on PostgreSQL may collide on the
  // insert of its public half, and then the other's row is committed: one retry reads it.
  const pair = await signing.current(storage, AUDIT_SIGNING_PURPOSE).catch(() => signing.current(storage, AUDIT_SIGNING_PURPOSE));
  const keyId = keyIdOf(pair.publicKey);
  const published = join(dataDir, DATA_DIR_LAYOUT.auditPublicKeys, `${keyId}.pem`);
  if (!existsSync(published)) {
    writeFileDurably(published, exportPublicPem(pair.publicKey));
  }
  audit.useSigningKey(keyId, pair.privateKey, pair.publicKey);
  return keyId;
}

/**
 * Attach the hierarchy's audit signer to a freshly opened key runtime (see signCheckpointsWithHierarchy); on failure
 * the runtime is closed and the error passed on, so an instance never runs unlocked with a half-done setup.
 * @param rt - the opened key runtime
 * @param dataDir - the data directory
 * @param storage - the database
 * @param audit - the ledger
 */
export async function withAuditSigner(rt: KeysRuntime, dataDir: string, storage: Storage, audit: AuditService): Promise<KeysRuntime> {
  try {
    await signCheckpointsWithHierarchy(dataDir, storage, audit, rt.keys);
    return rt;
  } catch (err) {
    await rt.close();
    throw err;
  }
}
