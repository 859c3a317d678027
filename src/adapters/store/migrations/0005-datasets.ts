import type { Kysely, Migration } from 'kysely';

/** Datasets, their immutable versions (lineage), stored rows and quarantined rows. */
export const migration0005: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('dataset')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('dataset_ws_name', ['workspace_id', 'name'])
      .execute();
    await db.schema
      .createTable('dataset_version')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('dataset_id', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('sha256', 'text')
      .addColumn('rows_read', 'integer', (c) => c.notNull())
      .addColumn('rows_stored', 'integer', (c) => c.notNull())
      .addColumn('rows_quarantined', 'integer', (c) => c.notNull())
      .addColumn('header', 'text')
      .addColumn('schema', 'text')
      .addColumn('classification', 'text')
      .addColumn('policy', 'text')
      .addColumn('imported_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('finished_at', 'text')
      .addColumn('published_at', 'text')
      .addColumn('published_by', 'text')
      .addUniqueConstraint('dataset_version_no', ['dataset_id', 'version'])
      .execute();
    await db.schema
      .createTable('dataset_row')
      .addColumn('version_id', 'text', (c) => c.notNull())
      .addColumn('row_no', 'integer', (c) => c.notNull())
      .addColumn('data', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('dataset_row_pk', ['version_id', 'row_no'])
      .execute();
    await db.schema
      .createTable('quarantine_row')
      .addColumn('version_id', 'text', (c) => c.notNull())
      .addColumn('row_no', 'integer', (c) => c.notNull())
      .addColumn('line', 'integer', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('raw', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('quarantine_row_pk', ['version_id', 'row_no'])
      .execute();
  },
};
