import type { Kysely } from 'kysely';
import type { WebauthnCredentialRecord, WebauthnRepository } from '../../../services/identity/webauthn-ports.js';
import type { HavenDatabase } from '../database.js';
import type { WebauthnCredentialTable } from '../migrations/0004-sso-webauthn.js';

const toCredential = (r: WebauthnCredentialTable): WebauthnCredentialRecord => ({
  id: r.id,
  userId: r.user_id,
  publicKey: r.public_key,
  // PostgreSQL returns bigint as a string; counters are 32-bit so Number is exact.
  counter: Number(r.counter),
  transports: JSON.parse(r.transports) as string[],
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
});

/**
 * WebAuthn credentials and single-use challenges.
 * @param db - a Kysely handle (transaction or root)
 */
export function webauthnRepository(db: Kysely<HavenDatabase>): WebauthnRepository {
  return {
    async insertCredential(c) {
      await db
        .insertInto('webauthn_credential')
        .values({
          id: c.id,
          user_id: c.userId,
          public_key: c.publicKey,
          counter: c.counter,
          transports: JSON.stringify(c.transports),
          created_at: c.createdAt,
          last_used_at: c.lastUsedAt,
        })
        .execute();
    },
    async credential(id) {
      const r = await db.selectFrom('webauthn_credential').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? toCredential(r) : undefined;
    },
    async credentialsOf(userId) {
      return (await db.selectFrom('webauthn_credential').selectAll().where('user_id', '=', userId).orderBy('created_at').execute()).map(toCredential);
    },
    async advanceCounter(id, expected, next, at) {
      const r = await db.updateTable('webauthn_credential').set({ counter: next, last_used_at: at }).where('id', '=', id).where('counter', '=', expected).executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    async putChallenge(c) {
      await db.deleteFrom('webauthn_challenge').where('session_hash', '=', c.sessionHash).where('purpose', '=', c.purpose).execute();
      await db.insertInto('webauthn_challenge').values({ session_hash: c.sessionHash, purpose: c.purpose, challenge: c.challenge, expires_at: c.expiresAt }).execute();
    },
    async takeChallenge(sessionHash, purpose) {
      const r = await db.selectFrom('webauthn_challenge').selectAll().where('session_hash', '=', sessionHash).where('purpose', '=', purpose).executeTakeFirst();
      if (!r) {
        return undefined;
      }
      const del = await db.deleteFrom('webauthn_challenge').where('session_hash', '=', sessionHash).where('purpose', '=', purpose).executeTakeFirst();
      if (Number(del.numDeletedRows) !== 1) {
        return undefined;
      }
      return { sessionHash: r.session_hash, purpose, challenge: r.challenge, expiresAt: r.expires_at };
    },
  };
}
