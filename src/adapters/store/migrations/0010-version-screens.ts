import type { Kysely, Migration } from 'kysely';

/** The poisoning screen of each imported dataset version, and the steward's acknowledgement of its flags. */
export const migration0010: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('version_screen')
      .addColumn('version_id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('baseline_version', 'integer')
      .addColumn('report', 'text', (c) => c.notNull())
      .addColumn('flags', 'integer', (c) => c.notNull())
      .addColumn('screened_at', 'text', (c) => c.notNull())
      .addColumn('acknowledged_by', 'text')
      .addColumn('acknowledged_at', 'text')
      .addColumn('ack_reason', 'text')
      .execute();
  },
};
