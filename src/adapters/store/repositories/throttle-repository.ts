import type { Kysely } from 'kysely';
import type { ThrottleRepository } from '../../../services/identity/identity-ports.js';
import type { HavenDatabase } from '../database.js';

/**
 * Failed-login counters, shared by every server on the same database.
 * @param db - a Kysely handle (transaction or root)
 */
export function throttleRepository(db: Kysely<HavenDatabase>): ThrottleRepository {
  return {
    async get(key) {
      const r = await db.selectFrom('login_throttle').selectAll().where('key', '=', key).executeTakeFirst();
      return r ? { key: r.key, failures: Number(r.failures), firstFailureAt: r.first_failure_at, lockedUntil: r.locked_until } : undefined;
    },
    async put(r) {
      await db
        .insertInto('login_throttle')
        .values({ key: r.key, failures: r.failures, first_failure_at: r.firstFailureAt, locked_until: r.lockedUntil })
        .onConflict((oc) => oc.column('key').doUpdateSet({ failures: r.failures, first_failure_at: r.firstFailureAt, locked_until: r.lockedUntil }))
        .execute();
    },
    async clear(key) {
      await db.deleteFrom('login_throttle').where('key', '=', key).execute();
    },
  };
}
