import type { Kysely } from 'kysely';
import type { PrivacyLedgerRecord, PrivacyLedgerRepository } from '../../../services/models/privacy-ledger-ports.js';
import type { HavenDatabase, PrivacyLedgerTable } from '../database.js';

function toRecord(r: PrivacyLedgerTable): PrivacyLedgerRecord {
  return { versionId: r.version_id, workspaceId: r.workspace_id, state: r.state, revision: Number(r.revision), updatedAt: r.updated_at };
}

/**
 * Privacy ledgers of dataset versions. `save` is one conditional INSERT (first save) or UPDATE (later saves) keyed on
 * the revision the caller read, so concurrent spenders cannot both succeed.
 * @param db - a Kysely handle (transaction or root)
 */
export function privacyLedgerRepository(db: Kysely<HavenDatabase>): PrivacyLedgerRepository {
  return {
    async get(versionId) {
      const r = await db.selectFrom('privacy_ledger').selectAll().where('version_id', '=', versionId).executeTakeFirst();
      return r ? toRecord(r) : undefined;
    },
    async save(record, expectedRevision) {
      const values = {
        version_id: record.versionId,
        workspace_id: record.workspaceId,
        state: record.state,
        revision: record.revision,
        updated_at: record.updatedAt,
      };
      if (expectedRevision === 0) {
        const inserted = await db
          .insertInto('privacy_ledger')
          .values(values)
          .onConflict((oc) => oc.column('version_id').doNothing())
          .returning('version_id')
          .executeTakeFirst();
        return inserted !== undefined;
      }
      const updated = await db
        .updateTable('privacy_ledger')
        .set({ state: values.state, revision: values.revision, updated_at: values.updated_at })
        .where('version_id', '=', record.versionId)
        .where('revision', '=', expectedRevision)
        .returning('version_id')
        .executeTakeFirst();
      return updated !== undefined;
    },
  };
}
