import { HavenError } from '../../errors/haven-error.js';
import { createChildKey, dataKeyLabel, generateKey, unwrapKey, workspaceKekLabel, wrappedKeyHeader } from '../../libs/crypto/key-wrap.js';
import type { ManagedKey } from '../../libs/crypto/key-wrap.js';
import { pseudonymise } from '../../libs/crypto/pseudonym.js';
import type { PseudonymOptions } from '../../libs/crypto/pseudonym.js';
import { DEFAULT_ROTATION_POLICY, reserveInvocations } from '../../libs/crypto/usage-counter.js';
import type { RotationPolicy } from '../../libs/crypto/usage-counter.js';
import type { CellRef } from '../../libs/crypto/field-cipher.js';
import type { Clock, KeyVersionRecord, Repositories, Storage } from '../ports.js';
import { DatasetCipher, fieldKeyVersion } from './dataset-cipher.js';
import { SYSTEM_WORKSPACE, assertId, assertWorkspace, kekId, labelOf } from './key-ids.js';
import type { RootKeyProvider } from './root-key-provider.js';

/** Purposes of keys below a workspace KEK. */
export type DataKeyPurpose = 'dataset-dek' | 'artifact-dek' | 'pseudonym-key';

/** Options of the key service. */
export interface KeyServiceOptions {
  /** Rotation policy per key version (default: 2^31 invocations, 90 days). */
  readonly policy?: RotationPolicy;
  /** Invocations reserved per database round trip by encryptField (default 65 536). */
  readonly reserveBlock?: number;
}

const CAS_ATTEMPTS = 8;

/** The newest active version of a key, if any. */
export function currentOf(versions: readonly KeyVersionRecord[]): KeyVersionRecord | undefined {
  return versions.filter((v) => v.state === 'active').at(-1);
}

/**
 * The key hierarchy of an instance: root (provider) → workspace KEK → dataset / artifact DEKs and the pseudonym
 * key, all random, each wrapped by its parent and stored wrapped. Unwrapped keys are cached in memory only.
 * Usage counters are reserved in blocks in the database before keys are used, and a key version whose reservation
 * would pass the policy (2^31 invocations or 90 days) is rotated first.
 */
export class KeyService {
  private readonly cache = new Map<string, ManagedKey>();
  private readonly ciphers = new Map<string, DatasetCipher>();
  readonly policy: RotationPolicy;
  private readonly reserveBlock: number;

  /**
   * @param root - the root key provider
   * @param clock - time source (key ages)
   * @param opts - rotation policy, reservation block size
   */
  constructor(
    readonly root: RootKeyProvider,
    private readonly clock: Clock,
    opts: KeyServiceOptions = {},
  ) {
    this.policy = opts.policy ?? DEFAULT_ROTATION_POLICY;
    this.reserveBlock = opts.reserveBlock ?? 65_536;
  }

  /** The current time as ISO text. */
  nowIso(): string {
    return this.clock.now().toISOString();
  }

  /**
   * Make sure a workspace has a KEK and a pseudonym key; returns the current KEK.
   * @param repos - the transaction's repositories
   * @param workspace - workspace id
   */
  async ensureWorkspace(repos: Repositories, workspace: string): Promise<ManagedKey> {
    assertWorkspace(workspace);
    const id = kekId(workspace);
    let versions = await repos.keys.versions(workspace, id);
    if (versions.length === 0) {
      const kek = generateKey(workspaceKekLabel(workspace, 1));
      const wrapped = await this.root.wrap(kek);
      kek.key.fill(0);
      await repos.keys.insertVersion(this.record(workspace, kek.id, 'workspace-kek', 1, 'root', this.root.rootVersion, wrapped));
      versions = await repos.keys.versions(workspace, id);
    }
    if (versions.every((v) => v.state === 'destroyed')) {
      throw new HavenError('HAVEN_KEYS_KEY_DESTROYED', undefined, { detail: { workspace } });
    }
    const current = currentOf(versions);
    if (current === undefined) {
      throw new HavenError('HAVEN_KEYS_KEY_NOT_FOUND', undefined, { detail: { workspace } });
    }
    const kek = await this.unwrapVersion(repos, current);
    if (workspace !== SYSTEM_WORKSPACE) {
      await this.ensureDataKey(repos, workspace, 'pseudonym-key', workspace);
    }
    return kek;
  }

  private record(workspace: string, keyId: string, purpose: string, version: number, parentId: string, parentVersion: number, wrapped: Uint8Array): KeyVersionRecord {
    return {
      workspace,
      keyId,
      version,
      purpose,
      parentId,
      parentVersion,
      wrapped: Buffer.from(wrapped).toString('base64url'),
      state: 'active',
      createdAt: this.nowIso(),
      retiredAt: null,
      destroyedAt: null,
      invocations: 0,
    };
  }

  /**
   * Unwrap a stored key version (via its parent; cached).
   * @param repos - repositories
   * @param rec - the stored version
   */
  async unwrapVersion(repos: Repositories, rec: KeyVersionRecord): Promise<ManagedKey> {
    const cacheKey = `${rec.workspace}\u0000${rec.keyId}\u0000${rec.version}`;
    const cached = this.cache.get(cacheKey);
    if (cached !== undefined) {
      return cached;
    }
    if (rec.wrapped === null) {
      throw new HavenError('HAVEN_KEYS_KEY_DESTROYED', undefined, { detail: { workspace: rec.workspace, key: rec.keyId, version: rec.version } });
    }
    const wrapped = Buffer.from(rec.wrapped, 'base64url');
    const label = labelOf(rec.keyId, rec.purpose, rec.version);
    let key: ManagedKey;
    if (rec.purpose === 'workspace-kek') {
      key = await this.root.unwrap(wrapped, label);
    } else {
      const header = wrappedKeyHeader(wrapped);
      const parent = (await repos.keys.versions(rec.workspace, header.kekId)).find((v) => v.version === header.kekVersion);
      if (parent === undefined) {
        throw new HavenError('HAVEN_KEYS_KEY_NOT_FOUND', undefined, { detail: { workspace: rec.workspace, key: header.kekId } });
      }
      key = unwrapKey(await this.unwrapVersion(repos, parent), wrapped, label);
    }
    this.cache.set(cacheKey, key);
    return key;
  }

  /**
   * The current version of a data key, created (version 1) when the key does not exist yet.
   * @param repos - repositories
   * @param workspace - workspace id
   * @param purpose - dataset-dek, artifact-dek or pseudonym-key
   * @param ownerId - dataset, blob/artifact or workspace id
   */
  async ensureDataKey(repos: Repositories, workspace: string, purpose: DataKeyPurpose, ownerId: string): Promise<KeyVersionRecord> {
    const keyId = dataKeyLabel(purpose, ownerId, 1).id;
    const versions = await repos.keys.versions(workspace, keyId);
    const current = currentOf(versions);
    if (current !== undefined) {
      return current;
    }
    if (versions.some((v) => v.state === 'destroyed')) {
      throw new HavenError('HAVEN_KEYS_KEY_DESTROYED', undefined, { detail: { workspace, key: keyId } });
    }
    return this.createVersion(repos, workspace, purpose, ownerId, (versions.at(-1)?.version ?? 0) + 1);
  }

  /**
   * A new random data key wrapped under the workspace's current KEK, and the record to store — not stored yet, so
   * a caller can use the key first (e.g. write a blob file) and store the record with its own rows atomically.
   * @param repos - repositories
   * @param workspace - workspace id
   * @param purpose - key purpose
   * @param ownerId - owner id
   * @param version - version number
   */
  async prepareDataKey(
    repos: Repositories,
    workspace: string,
    purpose: DataKeyPurpose,
    ownerId: string,
    version: number,
  ): Promise<{ key: ManagedKey; record: KeyVersionRecord }> {
    const kekRec = currentOf(await repos.keys.versions(workspace, kekId(workspace)));
    if (kekRec === undefined) {
      throw new HavenError('HAVEN_KEYS_KEY_NOT_FOUND', undefined, { detail: { workspace } });
    }
    const kek = await this.unwrapVersion(repos, kekRec);
    const created = createChildKey(kek, dataKeyLabel(purpose, ownerId, version));
    return { key: created.key, record: this.record(workspace, created.key.id, purpose, version, kek.id, kek.version, created.wrapped) };
  }

  /**
   * Create a new version of a data key, wrapped under the workspace's current KEK (older versions are left as they are).
   * @param repos - repositories
   * @param workspace - workspace id
   * @param purpose - key purpose
   * @param ownerId - owner id
   * @param version - the new version number
   */
  async createVersion(repos: Repositories, workspace: string, purpose: DataKeyPurpose, ownerId: string, version: number): Promise<KeyVersionRecord> {
    const { key, record: rec } = await this.prepareDataKey(repos, workspace, purpose, ownerId, version);
    await repos.keys.insertVersion(rec);
    const created = { key };
    const stored = (await repos.keys.versions(workspace, created.key.id)).find((v) => v.version === version);
    if (stored?.wrapped === rec.wrapped) {
      this.cache.set(`${workspace}\u0000${rec.keyId}\u0000${version}`, created.key);
    }
    return stored ?? rec;
  }

  /**
   * Reserve invocations of a data key's current version (own transactions; call outside any open transaction).
   * A version whose reservation would pass the policy is retired and a new version created first.
   * @param storage - the database
   * @param workspace - workspace id
   * @param purpose - key purpose
   * @param ownerId - owner id
   * @param count - invocations to reserve
   */
  async reserve(storage: Storage, workspace: string, purpose: DataKeyPurpose, ownerId: string, count: number): Promise<KeyVersionRecord> {
    for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
      const done = await storage.transaction(async (repos) => {
        await this.ensureWorkspace(repos, workspace);
        let rec = await this.ensureDataKey(repos, workspace, purpose, ownerId);
        const nowMs = this.clock.now().getTime();
        let next: number;
        try {
          next = reserveInvocations({ invocations: rec.invocations, createdAtMs: Date.parse(rec.createdAt) }, count, nowMs, this.policy).invocations;
        } catch (err) {
          if (!(err instanceof HavenError) || err.code !== 'HAVEN_CRYPTO_KEY_EXHAUSTED' || rec.invocations === 0) {
            throw err;
          }
          // Forced rotation: this version is used up (count or age); new values go to a fresh version.
          await repos.keys.retire(workspace, rec.keyId, rec.version, this.nowIso());
          rec = await this.createVersion(repos, workspace, purpose, ownerId, rec.version + 1);
          next = reserveInvocations({ invocations: 0, createdAtMs: nowMs }, count, nowMs, this.policy).invocations;
        }
        const ok = await repos.keys.reserve(workspace, rec.keyId, rec.version, rec.invocations, next);
        return ok ? { ...rec, invocations: next } : undefined;
      });
      if (done !== undefined) {
        return done;
      }
    }
    throw new HavenError('HAVEN_CRYPTO_KEY_EXHAUSTED', undefined, { detail: { reason: 'contention' } });
  }

  /**
   * A dataset's cipher: every live DEK version for reading, and (when `reserve` > 0) the current version with that
   * many invocations reserved. Call outside any open transaction (it runs its own).
   * @param storage - the database
   * @param workspace - workspace id
   * @param dataset - dataset id
   * @param reserve - invocations to reserve for encryption (0 = read only)
   */
  async datasetCipher(storage: Storage, workspace: string, dataset: string, reserve = this.reserveBlock): Promise<DatasetCipher> {
    assertWorkspace(workspace);
    assertId(dataset, 'dataset');
    const current = reserve > 0 ? await this.reserve(storage, workspace, 'dataset-dek', dataset, reserve) : undefined;
    const keyId = dataKeyLabel('dataset-dek', dataset, 1).id;
    const versions = new Map<number, ManagedKey>();
    await storage.transaction(async (repos) => {
      for (const rec of await repos.keys.versions(workspace, keyId)) {
        if (rec.state !== 'destroyed') {
          versions.set(rec.version, await this.unwrapVersion(repos, rec));
        }
      }
    });
    const currentKey = current === undefined ? undefined : versions.get(current.version);
    return new DatasetCipher(workspace, dataset, currentKey, currentKey === undefined ? 0 : reserve, versions);
  }

  /**
   * Encrypt one cell (for callers without a prepared cipher). Reserves usage in blocks; call outside transactions.
   * @param storage - the database
   * @param cell - workspace, dataset, column and record id
   * @param value - the value
   */
  async encryptField(storage: Storage, cell: CellRef, value: Uint8Array | string): Promise<string> {
    const key = `${cell.workspace}\u0000${cell.dataset}`;
    let cipher = this.ciphers.get(key);
    if (cipher === undefined || cipher.remainingInvocations <= 0) {
      cipher = await this.datasetCipher(storage, cell.workspace, cell.dataset);
      this.ciphers.set(key, cipher);
    }
    return cipher.encrypt(cell.column, cell.recordId, value);
  }

  /**
   * Decrypt one cell; reloads the dataset's keys when the ciphertext names a version not loaded yet.
   * @param storage - the database
   * @param cell - workspace, dataset, column and record id
   * @param text - the stored ciphertext
   */
  async decryptField(storage: Storage, cell: CellRef, text: string): Promise<Buffer> {
    const key = `${cell.workspace}\u0000${cell.dataset}`;
    let cipher = this.ciphers.get(key);
    const version = fieldKeyVersion(text);
    if (cipher === undefined || (version !== undefined && !cipher.hasVersion(version))) {
      cipher = await this.datasetCipher(storage, cell.workspace, cell.dataset, 0);
      this.ciphers.set(key, cipher);
    }
    return cipher.decrypt(cell.column, cell.recordId, text);
  }

  /**
   * A pseudonymiser for a workspace's join keys (keyed HMAC; same value → same pseudonym within the workspace).
   * @param storage - the database
   * @param workspace - workspace id
   */
  async pseudonymiser(storage: Storage, workspace: string): Promise<(value: string, opts?: PseudonymOptions) => string> {
    const key = await storage.transaction(async (repos) => {
      await this.ensureWorkspace(repos, workspace);
      return this.unwrapVersion(repos, await this.ensureDataKey(repos, workspace, 'pseudonym-key', workspace));
    });
    return (value, opts) => pseudonymise(key.key, value, opts);
  }

  /**
   * Drop cached keys of a workspace (after rotation or shredding). Not zeroed here: a DatasetCipher handed out
   * earlier may still hold the same key object, and zeroing it would make it encrypt under an all-zero key.
   * @param workspace - workspace id
   */
  forget(workspace: string): void {
    for (const k of [...this.cache.keys()]) {
      if (k.startsWith(`${workspace}\u0000`)) {
        this.cache.delete(k);
      }
    }
    for (const k of [...this.ciphers.keys()]) {
      if (k.startsWith(`${workspace}\u0000`)) {
        this.ciphers.delete(k);
      }
    }
  }

  /** Zero every cached key and close the root provider. */
  async close(): Promise<void> {
    for (const v of this.cache.values()) {
      v.key.fill(0);
    }
    this.cache.clear();
    this.ciphers.clear();
    await this.root.close();
  }
}
