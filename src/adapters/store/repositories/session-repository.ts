import type { Kysely } from 'kysely';
import type { SessionRepository } from '../../../services/identity/identity-ports.js';
import type { HavenDatabase } from '../database.js';

/**
 * Browser sessions, keyed by the hash of the session id.
 * @param db - a Kysely handle (transaction or root)
 */
export function sessionRepository(db: Kysely<HavenDatabase>): SessionRepository {
  return {
    async insert(s) {
      await db
        .insertInto('user_session')
        .values({
          id_hash: s.idHash,
          user_id: s.userId,
          csrf_hash: s.csrfHash,
          created_at: s.createdAt,
          last_seen_at: s.lastSeenAt,
          expires_at: s.expiresAt,
          mfa_at: s.mfaAt,
          revoked_at: s.revokedAt,
        })
        .execute();
    },
    async byIdHash(idHash) {
      const r = await db.selectFrom('user_session').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
      return r
        ? {
            idHash: r.id_hash,
            userId: r.user_id,
            csrfHash: r.csrf_hash,
            createdAt: r.created_at,
            lastSeenAt: r.last_seen_at,
            expiresAt: r.expires_at,
            mfaAt: r.mfa_at,
            revokedAt: r.revoked_at,
          }
        : undefined;
    },
    async touch(idHash, at) {
      await db.updateTable('user_session').set({ last_seen_at: at }).where('id_hash', '=', idHash).execute();
    },
    async revoke(idHash, at) {
      await db.updateTable('user_session').set({ revoked_at: at }).where('id_hash', '=', idHash).where('revoked_at', 'is', null).execute();
    },
    async revokeAllFor(userId, at) {
      await db.updateTable('user_session').set({ revoked_at: at }).where('user_id', '=', userId).where('revoked_at', 'is', null).execute();
    },
  };
}
