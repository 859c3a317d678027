import type { KeyObject } from 'node:crypto';
import { exportPublicPem, publicKeyFromPem, signingKeyPairFromSeed } from '../../libs/crypto/signing.js';
import type { SigningKeyPair } from '../../libs/crypto/signing.js';
import type { AuditService } from '../audit/audit-service.js';
import type { Repositories, SigningKeyRecord, Storage } from '../ports.js';
import { SYSTEM_WORKSPACE, assertId, signingSeedKeyId } from './key-ids.js';
import { currentOf } from './key-service.js';
import type { KeyService } from './key-service.js';

/**
 * Ed25519 signing keys (audit checkpoints, model artifacts) inside the key hierarchy: the 32-byte seed of each
 * purpose is a data key `art.sig-<purpose>` under the system workspace KEK (so it is wrapped, rotated with the
 * hierarchy and covered by backups), and the public half of every version is kept in `signing_key` so signatures
 * made before a rotation still verify. After a rotation the old seed is destroyed: only its public key is needed.
 */
export class SigningKeys {
  /** @param keys - the key service */
  constructor(private readonly keys: KeyService) {}

  private async currentIn(repos: Repositories, purpose: string): Promise<SigningKeyPair> {
    await this.keys.ensureWorkspace(repos, SYSTEM_WORKSPACE);
    const rec = await this.keys.ensureDataKey(repos, SYSTEM_WORKSPACE, 'artifact-dek', `sig-${purpose}`);
    const seed = await this.keys.unwrapVersion(repos, rec);
    const pair = signingKeyPairFromSeed(Buffer.from(seed.key));
    const known = await repos.keys.signingKeys(purpose);
    if (!known.some((k) => k.keyId === pair.keyId)) {
      for (const k of known.filter((x) => x.state === 'active')) {
        await repos.keys.retireSigningKey(k.keyId, this.keys.nowIso());
      }
      await repos.keys.insertSigningKey({
        keyId: pair.keyId,
        purpose,
        seedVersion: rec.version,
        publicPem: exportPublicPem(pair.publicKey),
        state: 'active',
        createdAt: this.keys.nowIso(),
        retiredAt: null,
      });
    }
    return pair;
  }

  /**
   * The current key pair of a purpose (created on first use).
   * @param storage - the database
   * @param purpose - e.g. audit, model
   */
  current(storage: Storage, purpose: string): Promise<SigningKeyPair> {
    assertId(purpose, 'purpose');
    return storage.transaction((repos) => this.currentIn(repos, purpose));
  }

  /**
   * Rotate a purpose's signing key: a new seed version, the old public key kept (retired), the old seed destroyed.
   * Recorded in the ledger.
   * @param storage - the database
   * @param audit - the ledger
   * @param purpose - e.g. audit, model
   * @param actor - who asks
   */
  async rotate(storage: Storage, audit: AuditService, purpose: string, actor = 'haven-keys'): Promise<SigningKeyPair> {
    assertId(purpose, 'purpose');
    const event = { actor, requestId: 'keys-sign-rotate', action: 'keys.rotate-signing', resource: `signing:${purpose}`, detail: { purpose } };
    return audit.withAudit(storage, event, async (repos) => {
      await this.currentIn(repos, purpose);
      const keyId = signingSeedKeyId(purpose);
      const versions = await repos.keys.versions(SYSTEM_WORKSPACE, keyId);
      const old = currentOf(versions)!;
      await this.keys.createVersion(repos, SYSTEM_WORKSPACE, 'artifact-dek', `sig-${purpose}`, (versions.at(-1)?.version ?? 0) + 1);
      await repos.keys.destroy(SYSTEM_WORKSPACE, keyId, old.version, this.keys.nowIso());
      return this.currentIn(repos, purpose);
    });
  }

  /**
   * Every public key of a purpose by key id, retired ones included (to verify old signatures).
   * @param storage - the database
   * @param purpose - e.g. audit, model
   */
  async publicKeys(storage: Storage, purpose: string): Promise<Map<string, KeyObject>> {
    const records: SigningKeyRecord[] = await storage.read.keys.signingKeys(purpose);
    return new Map(records.map((r) => [r.keyId, publicKeyFromPem(r.publicPem)]));
  }
}
