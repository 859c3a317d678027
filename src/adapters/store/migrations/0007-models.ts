import type { Kysely, Migration } from 'kysely';

/**
 * Training runs (experiments), the model registry (artifacts as field ciphertexts, Ed25519 signatures), per-principal
 * query budgets, and the predictions stored with admitted encounters.
 */
export const migration0007: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('training_run')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('run_no', 'integer', (c) => c.notNull())
      .addColumn('dataset_name', 'text', (c) => c.notNull())
      .addColumn('dataset_version', 'integer', (c) => c.notNull())
      .addColumn('dataset_sha256', 'text', (c) => c.notNull())
      .addColumn('target', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('params', 'text', (c) => c.notNull())
      .addColumn('seed', 'integer', (c) => c.notNull())
      .addColumn('threads', 'integer', (c) => c.notNull())
      .addColumn('haven_version', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('progress', 'text')
      .addColumn('results', 'text')
      .addColumn('error_code', 'text')
      .addColumn('cancel_requested', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('model_name', 'text', (c) => c.notNull())
      .addColumn('model_version', 'integer')
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('started_at', 'text')
      .addColumn('finished_at', 'text')
      .addUniqueConstraint('training_run_ws_no', ['workspace_id', 'run_no'])
      .execute();
    await db.schema
      .createTable('model')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('run_id', 'text')
      .addColumn('format', 'text', (c) => c.notNull())
      .addColumn('stage', 'text', (c) => c.notNull())
      .addColumn('artifact', 'text', (c) => c.notNull())
      .addColumn('artifact_sha256', 'text', (c) => c.notNull())
      .addColumn('signature', 'text', (c) => c.notNull())
      .addColumn('sign_key_id', 'text', (c) => c.notNull())
      .addColumn('card', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('approved_by', 'text')
      .addColumn('approved_at', 'text')
      .addColumn('override_reason', 'text')
      .addColumn('retired_by', 'text')
      .addColumn('retired_at', 'text')
      .addUniqueConstraint('model_ws_name_version', ['workspace_id', 'name', 'version'])
      .execute();
    await db.schema
      .createTable('model_query_use')
      .addColumn('model_id', 'text', (c) => c.notNull())
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('window_start', 'text', (c) => c.notNull())
      .addColumn('used', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('model_query_use_pk', ['model_id', 'subject', 'window_start'])
      .execute();
    await db.schema
      .createTable('encounter_prediction')
      .addColumn('encounter_id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('model_name', 'text')
      .addColumn('model_version', 'integer')
      .addColumn('predicted', 'double precision')
      .addColumn('interval_low', 'double precision')
      .addColumn('interval_high', 'double precision')
      .addColumn('ood', 'integer', (c) => c.notNull())
      .addColumn('ood_reasons', 'text', (c) => c.notNull())
      .addColumn('error_code', 'text')
      .addColumn('scored_at', 'text', (c) => c.notNull())
      .execute();
  },
};
