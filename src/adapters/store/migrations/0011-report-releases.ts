import type { Kysely, Migration } from 'kysely';

/**
 * The differencing guard's memory for dashboard reports: per user and workspace, the slices of records whose
 * aggregates were released to that user (salted sketches and counts only, never record ids or values), with a revision
 * number for compare-and-set updates. Two covering indexes let the reports read a workspace's data version (counts and
 * latest change times) from the indexes instead of scanning the encounter rows.
 */
export const migration0011: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('report_release_memory')
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('revision', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('report_release_memory_pk', ['user_id', 'workspace_id'])
      .execute();
    await db.schema.createIndex('encounter_report_version').on('encounter').columns(['workspace_id', 'admitted_at', 'discharged_at']).execute();
    await db.schema.createIndex('encounter_prediction_report_version').on('encounter_prediction').columns(['workspace_id', 'scored_at']).execute();
  },
};
