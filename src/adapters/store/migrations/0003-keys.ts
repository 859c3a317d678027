import type { Kysely, Migration } from 'kysely';

/**
 * Key management and encryption at rest: wrapped key versions (the hierarchy below the root key, which never
 * sits in the database), the identifier vault of encrypted cells, encrypted blob records, resumable
 * re-encryption jobs and the public halves of signing keys.
 */
export const migration0003: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('key_version')
      .addColumn('workspace', 'text', (c) => c.notNull())
      .addColumn('key_id', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('parent_id', 'text', (c) => c.notNull())
      .addColumn('parent_version', 'integer', (c) => c.notNull())
      .addColumn('wrapped', 'text')
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('retired_at', 'text')
      .addColumn('destroyed_at', 'text')
      .addColumn('invocations', 'bigint', (c) => c.notNull().defaultTo(0))
      .addPrimaryKeyConstraint('key_version_pk', ['workspace', 'key_id', 'version'])
      .execute();
    await db.schema.createIndex('key_version_parent_idx').on('key_version').columns(['workspace', 'parent_id', 'parent_version']).execute();
    await db.schema
      .createTable('protected_field')
      .addColumn('workspace', 'text', (c) => c.notNull())
      .addColumn('dataset', 'text', (c) => c.notNull())
      .addColumn('column_name', 'text', (c) => c.notNull())
      .addColumn('record_id', 'text', (c) => c.notNull())
      .addColumn('key_version', 'integer', (c) => c.notNull())
      .addColumn('ciphertext', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('protected_field_pk', ['workspace', 'dataset', 'column_name', 'record_id'])
      .execute();
    await db.schema.createIndex('protected_field_version_idx').on('protected_field').columns(['workspace', 'dataset', 'key_version']).execute();
    await db.schema
      .createTable('blob_object')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('key_version', 'integer', (c) => c.notNull())
      .addColumn('file_name', 'text', (c) => c.notNull())
      .addColumn('size', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('key_job')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('workspace', 'text', (c) => c.notNull())
      .addColumn('cursor', 'text', (c) => c.notNull())
      .addColumn('processed', 'bigint', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('signing_key')
      .addColumn('key_id', 'text', (c) => c.primaryKey())
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('seed_version', 'integer', (c) => c.notNull())
      .addColumn('public_pem', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('retired_at', 'text')
      .execute();
  },
};

/** Wrapped key versions: every key below the root, wrapped by its parent; `wrapped` is null once destroyed. */
export interface KeyVersionTable {
  workspace: string;
  key_id: string;
  version: number;
  purpose: string;
  parent_id: string;
  parent_version: number;
  wrapped: string | null;
  state: string;
  created_at: string;
  retired_at: string | null;
  destroyed_at: string | null;
  invocations: number | string;
}

/** The identifier vault: encrypted cells, bound by AAD to (workspace, dataset, column, record, key version). */
export interface ProtectedFieldTable {
  workspace: string;
  dataset: string;
  column_name: string;
  record_id: string;
  key_version: number;
  ciphertext: string;
}

/** Encrypted blobs in the data directory's blobs/ folder; each under its own DEK `art.<id>`. */
export interface BlobObjectTable {
  id: string;
  workspace: string;
  kind: string;
  key_version: number;
  file_name: string;
  size: number | string;
  created_at: string;
}

/** Checkpoints of resumable key jobs (re-encryption). */
export interface KeyJobTable {
  id: string;
  kind: string;
  workspace: string;
  cursor: string;
  processed: number | string;
  state: string;
  updated_at: string;
}

/** Public halves of Ed25519 signing keys (the seeds are key versions `art.sig-<purpose>` under the system KEK). */
export interface SigningKeyTable {
  key_id: string;
  purpose: string;
  seed_version: number;
  public_pem: string;
  state: string;
  created_at: string;
  retired_at: string | null;
}
