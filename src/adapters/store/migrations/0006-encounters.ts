import type { Kysely, Migration } from 'kysely';

/**
 * Encounters admitted and discharged by clinicians. The encounter id of the message is unique per workspace (a
 * second admission is a conflict); `names` holds field ciphertexts only. eid is bigint: FHIR ids may exceed 2^31.
 */
export const migration0006: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('encounter')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('eid', 'bigint', (c) => c.notNull())
      .addColumn('record', 'text', (c) => c.notNull())
      .addColumn('names', 'text', (c) => c.notNull())
      .addColumn('report', 'text', (c) => c.notNull())
      .addColumn('admitted_by', 'text', (c) => c.notNull())
      .addColumn('admitted_at', 'text', (c) => c.notNull())
      .addColumn('discharged', 'text')
      .addColumn('length_of_stay', 'integer')
      .addColumn('discharged_by', 'text')
      .addColumn('discharged_at', 'text')
      .addUniqueConstraint('encounter_ws_eid', ['workspace_id', 'eid'])
      .execute();
  },
};
