import type { Kysely } from 'kysely';
import type { ScreenRepository, VersionScreenRecord } from '../../../services/ingest/screen-ports.js';
import type { HavenDatabase, VersionScreenTable } from '../database.js';

function toRecord(r: VersionScreenTable): VersionScreenRecord {
  return {
    versionId: r.version_id,
    workspaceId: r.workspace_id,
    baselineVersion: r.baseline_version === null ? null : Number(r.baseline_version),
    report: r.report,
    flags: Number(r.flags),
    screenedAt: r.screened_at,
    acknowledgedBy: r.acknowledged_by,
    acknowledgedAt: r.acknowledged_at,
    ackReason: r.ack_reason,
  };
}

/**
 * Poisoning screens of dataset versions; acknowledgement is compare-and-set (the first steward's stands).
 * @param db - a Kysely handle (transaction or root)
 */
export function screenRepository(db: Kysely<HavenDatabase>): ScreenRepository {
  return {
    async upsert(s) {
      const rest = {
        workspace_id: s.workspaceId,
        baseline_version: s.baselineVersion,
        report: s.report,
        flags: s.flags,
        screened_at: s.screenedAt,
        acknowledged_by: s.acknowledgedBy,
        acknowledged_at: s.acknowledgedAt,
        ack_reason: s.ackReason,
      };
      await db
        .insertInto('version_screen')
        .values({ version_id: s.versionId, ...rest })
        .onConflict((oc) => oc.column('version_id').doUpdateSet(rest))
        .execute();
    },
    async get(versionId) {
      const r = await db.selectFrom('version_screen').selectAll().where('version_id', '=', versionId).executeTakeFirst();
      return r ? toRecord(r) : undefined;
    },
    async acknowledge(versionId, by, at, reason) {
      const r = await db
        .updateTable('version_screen')
        .set({ acknowledged_by: by, acknowledged_at: at, ack_reason: reason })
        .where('version_id', '=', versionId)
        .where('acknowledged_by', 'is', null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
  };
}
