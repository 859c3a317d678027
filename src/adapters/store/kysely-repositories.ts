import type { Kysely } from 'kysely';
import type { ApiTokenRecord, AuditCheckpoint, AuditEntry, Repositories } from '../../services/ports.js';
import type { HavenDatabase } from './database.js';

/**
 * Repositories over a Kysely handle (a transaction or the root database).
 * Integer columns are converted with Number() because pg returns bigint as a string.
 * @param db - a Kysely handle
 * @param afterCommit - where to queue post-commit work
 */
export function kyselyRepositories(db: Kysely<HavenDatabase>, afterCommit: (fn: () => void) => void): Repositories {
  return {
    afterCommit,
    audit: {
      async lockHead() {
        // Writing the head row first takes the write lock in both SQLite and PostgreSQL,
        // so concurrent appenders queue here and the chain stays linear.
        await db.updateTable('audit_head').set((eb) => ({ seq: eb.ref('seq') })).where('id', '=', 1).execute();
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
    },
    tokens: {
      async insert(t: ApiTokenRecord) {
        await db
          .insertInto('api_token')
          .values({
            id: t.id,
            token_hash: t.tokenHash,
            name: t.name,
            subject: t.subject,
            roles: JSON.stringify(t.roles),
            workspace: t.workspace,
            created_at: t.createdAt,
            expires_at: t.expiresAt,
            revoked_at: t.revokedAt,
            last_used_at: t.lastUsedAt,
          })
          .execute();
      },
      async findByHash(tokenHash) {
        const r = await db.selectFrom('api_token').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
        if (!r) {
          return undefined;
        }
        return {
          id: r.id,
          tokenHash: r.token_hash,
          name: r.name,
          subject: r.subject,
          roles: JSON.parse(r.roles) as string[],
          workspace: r.workspace,
          createdAt: r.created_at,
          expiresAt: r.expires_at,
          revokedAt: r.revoked_at,
          lastUsedAt: r.last_used_at,
        };
      },
      async touch(id, at) {
        await db.updateTable('api_token').set({ last_used_at: at }).where('id', '=', id).execute();
      },
    },
  };
}
