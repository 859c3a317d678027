/**
 * The storage port of key management (re-exported by services/ports.ts; implemented by
 * adapters/store/repositories/key-repository.ts on SQLite and PostgreSQL).
 */

/** Lifecycle of a key version: active (newest encrypts), retired (decrypts only), destroyed (wrapped bytes gone). */
export type KeyState = 'active' | 'retired' | 'destroyed';

/** One version of one key, wrapped by its parent (the root for workspace KEKs). */
export interface KeyVersionRecord {
  readonly workspace: string;
  readonly keyId: string;
  readonly version: number;
  readonly purpose: string;
  readonly parentId: string;
  readonly parentVersion: number;
  /** base64url wrapped key; null once destroyed. */
  readonly wrapped: string | null;
  readonly state: KeyState;
  readonly createdAt: string;
  readonly retiredAt: string | null;
  readonly destroyedAt: string | null;
  /** Invocations reserved so far (usage counter; reserved in blocks, so an upper bound of real use). */
  readonly invocations: number;
}

/** One encrypted cell of the identifier vault. */
export interface ProtectedFieldRecord {
  readonly workspace: string;
  readonly dataset: string;
  readonly column: string;
  readonly recordId: string;
  readonly keyVersion: number;
  readonly ciphertext: string;
}

/** One encrypted blob file. */
export interface BlobRecord {
  readonly id: string;
  readonly workspace: string;
  readonly kind: string;
  readonly keyVersion: number;
  readonly fileName: string;
  readonly size: number;
  readonly createdAt: string;
}

/** Checkpoint of a resumable key job. */
export interface KeyJobRecord {
  readonly id: string;
  readonly kind: string;
  readonly workspace: string;
  readonly cursor: string;
  readonly processed: number;
  readonly state: 'running' | 'done';
  readonly updatedAt: string;
}

/** Public half of an Ed25519 signing key (the seed is the key version `art.sig-<purpose>`/seedVersion of the system KEK). */
export interface SigningKeyRecord {
  readonly keyId: string;
  readonly purpose: string;
  readonly seedVersion: number;
  readonly publicPem: string;
  readonly state: 'active' | 'retired';
  readonly createdAt: string;
  readonly retiredAt: string | null;
}

/** Where a vault scan resumes: strictly after this (column, record id). */
export interface FieldCursor {
  readonly column: string;
  readonly recordId: string;
}

/** Storage of keys, vault cells, blob records, key jobs and signing keys. */
export interface KeyRepository {
  /** Insert a version; a concurrent insert of the same (workspace, key, version) wins silently (re-read after). */
  insertVersion(record: KeyVersionRecord): Promise<void>;
  /** Insert many versions in few statements (same conflict rule as insertVersion). */
  insertVersions(records: readonly KeyVersionRecord[]): Promise<void>;
  /** All versions of one key, ascending. */
  versions(workspace: string, keyId: string): Promise<KeyVersionRecord[]>;
  /** Every key version of a workspace (or of all workspaces), ordered by key id and version. */
  list(workspace?: string): Promise<KeyVersionRecord[]>;
  /** Not-destroyed key versions wrapped by `parentId` at a version below `parentVersion`, at most `limit`. */
  wrappedByOtherVersion(workspace: string, parentId: string, parentVersion: number, limit: number): Promise<KeyVersionRecord[]>;
  /** Replace wrapped bytes and parent versions of many versions in few statements; destroyed versions stay destroyed. */
  rewrapMany(records: readonly KeyVersionRecord[]): Promise<void>;
  /** Mark a version retired (it keeps decrypting). */
  retire(workspace: string, keyId: string, version: number, at: string): Promise<void>;
  /** Destroy versions: wrapped bytes erased, state destroyed. `version` undefined = every version of the key. */
  destroy(workspace: string, keyId: string, version: number | undefined, at: string): Promise<number>;
  /** Destroy every key of a workspace. */
  destroyWorkspace(workspace: string, at: string): Promise<number>;
  /** Compare-and-set the usage counter; false when another writer moved it first. */
  reserve(workspace: string, keyId: string, version: number, expected: number, next: number): Promise<boolean>;

  putField(record: ProtectedFieldRecord): Promise<void>;
  getField(workspace: string, dataset: string, column: string, recordId: string): Promise<ProtectedFieldRecord | undefined>;
  /** Cells of a dataset not under `keyVersion`, in (column, record) order after `after`, at most `limit`. */
  fieldsNotAtVersion(workspace: string, dataset: string, keyVersion: number, after: FieldCursor | undefined, limit: number): Promise<ProtectedFieldRecord[]>;
  /** How many cells of a dataset use a key version. */
  countFieldsAtVersion(workspace: string, dataset: string, keyVersion: number): Promise<number>;
  /** Datasets of a workspace that have vault cells. */
  fieldDatasets(workspace: string): Promise<string[]>;
  deleteFields(workspace: string, dataset: string | undefined): Promise<number>;

  insertBlob(record: BlobRecord): Promise<void>;
  getBlob(id: string): Promise<BlobRecord | undefined>;
  updateBlob(id: string, keyVersion: number, fileName: string): Promise<void>;
  deleteBlob(id: string): Promise<void>;
  blobs(workspace: string | undefined): Promise<BlobRecord[]>;

  getJob(id: string): Promise<KeyJobRecord | undefined>;
  putJob(record: KeyJobRecord): Promise<void>;

  insertSigningKey(record: SigningKeyRecord): Promise<void>;
  signingKeys(purpose: string): Promise<SigningKeyRecord[]>;
  retireSigningKey(keyId: string, at: string): Promise<void>;
}
