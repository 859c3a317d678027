import type { Kysely } from 'kysely';
import type { SsoIdentityRecord, SsoRepository } from '../../../services/identity/oidc-ports.js';
import type { HavenDatabase } from '../database.js';
import type { SsoIdentityTable } from '../migrations/0004-sso-webauthn.js';

const toIdentity = (r: SsoIdentityTable): SsoIdentityRecord => ({
  issuer: r.issuer,
  subject: r.subject,
  userId: r.user_id,
  createdAt: r.created_at,
  lastLoginAt: r.last_login_at,
});

/**
 * Identity provider links and pending OIDC logins.
 * @param db - a Kysely handle (transaction or root)
 */
export function ssoRepository(db: Kysely<HavenDatabase>): SsoRepository {
  return {
    async link(r) {
      await db
        .insertInto('sso_identity')
        .values({ issuer: r.issuer, subject: r.subject, user_id: r.userId, created_at: r.createdAt, last_login_at: r.lastLoginAt })
        .execute();
    },
    async identity(issuer, subject) {
      const r = await db.selectFrom('sso_identity').selectAll().where('issuer', '=', issuer).where('subject', '=', subject).executeTakeFirst();
      return r ? toIdentity(r) : undefined;
    },
    async identitiesOf(userId) {
      return (await db.selectFrom('sso_identity').selectAll().where('user_id', '=', userId).execute()).map(toIdentity);
    },
    async touchIdentity(issuer, subject, at) {
      await db.updateTable('sso_identity').set({ last_login_at: at }).where('issuer', '=', issuer).where('subject', '=', subject).execute();
    },
    async putLogin(r) {
      await db
        .insertInto('sso_login')
        .values({ binding_hash: r.bindingHash, state: r.state, nonce: r.nonce, code_verifier: r.codeVerifier, expires_at: r.expiresAt })
        .execute();
    },
    async takeLogin(bindingHash) {
      const r = await db.selectFrom('sso_login').selectAll().where('binding_hash', '=', bindingHash).executeTakeFirst();
      if (!r) {
        return undefined;
      }
      // Only the caller whose delete removed the row may use it: a concurrent second take gets nothing.
      const del = await db.deleteFrom('sso_login').where('binding_hash', '=', bindingHash).executeTakeFirst();
      if (Number(del.numDeletedRows) !== 1) {
        return undefined;
      }
      return { bindingHash: r.binding_hash, state: r.state, nonce: r.nonce, codeVerifier: r.code_verifier, expiresAt: r.expires_at };
    },
    async purgeLogins(at) {
      const del = await db.deleteFrom('sso_login').where('expires_at', '<', at).executeTakeFirst();
      return Number(del.numDeletedRows);
    },
  };
}
