import type { Kysely } from 'kysely';
import type { EncounterRecord, EncounterRepository } from '../../../services/encounters/encounter-ports.js';
import type { EncounterTable, HavenDatabase } from '../database.js';

function toRecord(r: EncounterTable): EncounterRecord {
  return {
    id: r.id,
    workspaceId: r.workspace_id,
    // PostgreSQL returns bigint as a string; eids are safe integers (the mapper refuses anything else).
    eid: Number(r.eid),
    record: r.record,
    names: r.names,
    report: r.report,
    admittedBy: r.admitted_by,
    admittedAt: r.admitted_at,
    discharged: r.discharged,
    lengthOfStay: r.length_of_stay === null ? null : Number(r.length_of_stay),
    dischargedBy: r.discharged_by,
    dischargedAt: r.discharged_at,
  };
}

/**
 * Encounters: insert-if-absent and compare-and-set discharge, so concurrent requests cannot both succeed.
 * @param db - a Kysely handle (transaction or root)
 */
export function encounterRepository(db: Kysely<HavenDatabase>): EncounterRepository {
  return {
    async insert(e) {
      const res = await db
        .insertInto('encounter')
        .values({
          id: e.id,
          workspace_id: e.workspaceId,
          eid: e.eid,
          record: e.record,
          names: e.names,
          report: e.report,
          admitted_by: e.admittedBy,
          admitted_at: e.admittedAt,
          discharged: e.discharged,
          length_of_stay: e.lengthOfStay,
          discharged_by: e.dischargedBy,
          discharged_at: e.dischargedAt,
        })
        .onConflict((oc) => oc.columns(['workspace_id', 'eid']).doNothing())
        .executeTakeFirst();
      return Number(res.numInsertedOrUpdatedRows ?? 0n) === 1;
    },
    async byEid(workspaceId, eid) {
      const r = await db.selectFrom('encounter').selectAll().where('workspace_id', '=', workspaceId).where('eid', '=', eid).executeTakeFirst();
      return r ? toRecord(r) : undefined;
    },
    async discharge(id, change) {
      const res = await db
        .updateTable('encounter')
        .set({ discharged: change.discharged, length_of_stay: change.lengthOfStay, discharged_by: change.dischargedBy, discharged_at: change.dischargedAt })
        .where('id', '=', id)
        .where('discharged', 'is', null)
        .executeTakeFirst();
      return Number(res.numUpdatedRows) === 1;
    },
    async namesAfter(workspaceId, afterId, limit) {
      let q = db.selectFrom('encounter').select(['id', 'names']).where('workspace_id', '=', workspaceId);
      if (afterId !== undefined) {
        q = q.where('id', '>', afterId);
      }
      return q.orderBy('id').limit(limit).execute();
    },
    async updateNames(id, names) {
      await db.updateTable('encounter').set({ names }).where('id', '=', id).execute();
    },
  };
}
