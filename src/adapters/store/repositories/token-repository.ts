import type { Kysely } from 'kysely';
import type { ApiTokenRecord, TokenRepository } from '../../../services/ports.js';
import type { ApiTokenTable, HavenDatabase } from '../database.js';

function toRecord(r: ApiTokenTable): ApiTokenRecord {
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
    scopes: r.scopes === null ? null : (JSON.parse(r.scopes) as string[]),
    mfaAt: r.mfa_at,
  };
}

/**
 * API tokens (only hashes are stored).
 * @param db - a Kysely handle (transaction or root)
 */
export function tokenRepository(db: Kysely<HavenDatabase>): TokenRepository {
  return {
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
          scopes: t.scopes === null ? null : JSON.stringify(t.scopes),
          mfa_at: t.mfaAt,
        })
        .execute();
    },
    async findByHash(tokenHash) {
      const r = await db.selectFrom('api_token').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
      return r ? toRecord(r) : undefined;
    },
    async touch(id, at) {
      await db.updateTable('api_token').set({ last_used_at: at }).where('id', '=', id).execute();
    },
    async listFor(subject) {
      return (await db.selectFrom('api_token').selectAll().where('subject', '=', subject).orderBy('created_at').execute()).map(toRecord);
    },
    async revoke(id, subject, at) {
      let q = db.updateTable('api_token').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null);
      if (subject !== null) {
        q = q.where('subject', '=', subject);
      }
      return Number((await q.executeTakeFirst()).numUpdatedRows);
    },
  };
}
