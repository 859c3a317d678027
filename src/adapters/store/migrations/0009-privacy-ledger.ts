import type { Kysely, Migration } from 'kysely';

/**
 * The privacy ledger: per dataset version, the accountant state of the differentially private training runs on it
 * (costs and safe labels only), with a revision number for compare-and-set updates.
 */
export const migration0009: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('privacy_ledger')
      .addColumn('version_id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('revision', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
  },
};
