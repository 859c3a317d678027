import type { Kysely } from 'kysely';
import type { ReleaseMemoryRecord, ReportRepository } from '../../../services/reports/report-ports.js';
import type { HavenDatabase, ReportReleaseMemoryTable } from '../database.js';

function toMemory(r: ReportReleaseMemoryTable): ReleaseMemoryRecord {
  return { userId: r.user_id, workspaceId: r.workspace_id, state: r.state, revision: Number(r.revision), updatedAt: r.updated_at };
}

/**
 * Reads for the dashboard reports and the differencing memory. The memory is saved with one conditional INSERT (first
 * save) or UPDATE keyed on the revision the caller read, so two concurrent releases to one user cannot both pass.
 * @param db - a Kysely handle (transaction or root)
 */
export function reportRepository(db: Kysely<HavenDatabase>): ReportRepository {
  return {
    async dataVersion(workspaceId) {
      const e = await db
        .selectFrom('encounter')
        .select((eb) => [eb.fn.countAll().as('n'), eb.fn.count('discharged_at').as('d'), eb.fn.max('admitted_at').as('a'), eb.fn.max('discharged_at').as('x')])
        .where('workspace_id', '=', workspaceId)
        .executeTakeFirstOrThrow();
      const p = await db
        .selectFrom('encounter_prediction')
        .select((eb) => [eb.fn.countAll().as('n'), eb.fn.max('scored_at').as('s')])
        .where('workspace_id', '=', workspaceId)
        .executeTakeFirstOrThrow();
      return [e.n, e.d, e.a ?? '', e.x ?? '', p.n, p.s ?? ''].map(String).join('|');
    },
    async stays(workspaceId) {
      const rows = await db
        .selectFrom('encounter as e')
        .leftJoin('encounter_prediction as p', 'p.encounter_id', 'e.id')
        .select([
          'e.id',
          'e.eid',
          'e.record',
          'e.admitted_by',
          'e.length_of_stay',
          'p.status',
          'p.predicted',
          'p.interval_low',
          'p.interval_high',
          'p.ood',
          'p.ood_reasons',
          'p.model_name',
          'p.model_version',
          'p.error_code',
        ])
        .where('e.workspace_id', '=', workspaceId)
        .orderBy('e.eid')
        .execute();
      const num = (v: number | string | null): number | null => (v === null ? null : Number(v));
      return rows.map((r) => ({
        id: r.id,
        // PostgreSQL returns bigint as a string; eids are safe integers (the FHIR mapper refuses anything else).
        eid: Number(r.eid),
        record: r.record,
        admittedBy: r.admitted_by,
        lengthOfStay: num(r.length_of_stay),
        prediction:
          r.status === null
            ? null
            : {
                status: r.status,
                predicted: num(r.predicted),
                intervalLow: num(r.interval_low),
                intervalHigh: num(r.interval_high),
                ood: Number(r.ood) === 1,
                oodReasons: r.ood_reasons ?? '[]',
                modelName: r.model_name,
                modelVersion: num(r.model_version),
                errorCode: r.error_code,
              },
      }));
    },
    async namesOf(workspaceId, encounterIds) {
      if (encounterIds.length === 0) {
        return [];
      }
      return db
        .selectFrom('encounter')
        .select(['id', 'names'])
        .where('workspace_id', '=', workspaceId)
        .where('id', 'in', [...encounterIds])
        .execute();
    },
    async releaseMemory(userId, workspaceId) {
      const r = await db
        .selectFrom('report_release_memory')
        .selectAll()
        .where('user_id', '=', userId)
        .where('workspace_id', '=', workspaceId)
        .executeTakeFirst();
      return r ? toMemory(r) : undefined;
    },
    async saveReleaseMemory(record, expectedRevision) {
      if (expectedRevision === 0) {
        const inserted = await db
          .insertInto('report_release_memory')
          .values({ user_id: record.userId, workspace_id: record.workspaceId, state: record.state, revision: record.revision, updated_at: record.updatedAt })
          .onConflict((oc) => oc.columns(['user_id', 'workspace_id']).doNothing())
          .returning('user_id')
          .executeTakeFirst();
        return inserted !== undefined;
      }
      const updated = await db
        .updateTable('report_release_memory')
        .set({ state: record.state, revision: record.revision, updated_at: record.updatedAt })
        .where('user_id', '=', record.userId)
        .where('workspace_id', '=', record.workspaceId)
        .where('revision', '=', expectedRevision)
        .returning('user_id')
        .executeTakeFirst();
      return updated !== undefined;
    },
  };
}
