import type { Kysely } from 'kysely';
import type { AuditCheckpoint, AuditEntry, AuditRepository } from '../../../services/ports.js';
import type { HavenDatabase } from '../database.js';

/**
 * The ledger's repository. Integer columns go through Number() because pg returns bigint as a string.
 * @param db - a Kysely handle (transaction or root)
 */
export function auditRepository(db: Kysely<HavenDatabase>): AuditRepository {
  return {
    async lockHead() {
      // Writing the head row first takes the write lock in both SQLite and PostgreSQL,
      // so concurrent appenders queue here and the chain stays linear.
      await db
        .updateTable('audit_head')
        .set((eb) => ({ seq: eb.ref('seq') }))
        .where('id', '=', 1)
        .execute();
      return this.head();
    },
    async head() {
      const row = await db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow();
      return { seq: Number(row.seq), hash: row.hash };
    },
    async insert(e: AuditEntry) {
      await db
        .insertInto('audit_log')
        .values({
          seq: e.seq,
          ts: e.ts,
          actor: e.actor,
          action: e.action,
          resource: e.resource,
          outcome: e.outcome,
          request_id: e.requestId,
          detail: JSON.stringify(e.detail),
          prev_hash: e.prevHash,
          hash: e.hash,
        })
        .execute();
    },
    async setHead(seq, hash) {
      await db.updateTable('audit_head').set({ seq, hash }).where('id', '=', 1).execute();
    },
    async insertCheckpoint(c: AuditCheckpoint) {
      await db.insertInto('audit_checkpoint').values({ seq: c.seq, hash: c.hash, ts: c.ts, key_id: c.keyId, signature: c.signature }).execute();
    },
    async page(afterSeq, limit) {
      const rows = await db.selectFrom('audit_log').selectAll().where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute();
      return rows.map((r) => ({
        seq: Number(r.seq),
        ts: r.ts,
        actor: r.actor,
        action: r.action,
        resource: r.resource,
        outcome: r.outcome as AuditEntry['outcome'],
        requestId: r.request_id,
        detail: JSON.parse(r.detail) as AuditEntry['detail'],
        prevHash: r.prev_hash,
        hash: r.hash,
      }));
    },
    async checkpoints() {
      const rows = await db.selectFrom('audit_checkpoint').selectAll().orderBy('seq').execute();
      return rows.map((r) => ({ seq: Number(r.seq), hash: r.hash, ts: r.ts, keyId: r.key_id, signature: r.signature }));
    },
  };
}
