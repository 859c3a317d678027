import { sql, type Kysely } from 'kysely';
import type { Repositories, Storage } from '../../services/ports.js';
import type { HavenDatabase } from './database.js';
import { kyselyRepositories } from './kysely-repositories.js';
import type { Store } from './open-store.js';

/**
 * SQLite: `BEGIN IMMEDIATE`, so a transaction takes the write lock when it starts. A deferred transaction that reads
 * and then writes can fail at once with SQLITE_BUSY when another process (a second server, a CLI command) is
 * writing, without waiting for the busy timeout; an immediate one waits its turn.
 */
async function sqliteTransaction<T>(db: Kysely<HavenDatabase>, fn: (conn: Kysely<HavenDatabase>) => Promise<T>): Promise<T> {
  return db.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
    try {
      const result = await fn(conn);
      await sql`commit`.execute(conn);
      return result;
    } catch (err) {
      await sql`rollback`.execute(conn).catch(() => undefined);
      throw err;
    }
  });
}

/**
 * The Storage port over an open Kysely store. Post-commit callbacks run only when the transaction commits.
 * @param store - an open store
 */
export function kyselyStorage(store: Store): Storage {
  return {
    kind: store.kind,
    read: kyselyRepositories(store.db, (fn) => fn()),
    async transaction(fn) {
      const pending: (() => void)[] = [];
      const run = (db: Kysely<HavenDatabase>): Promise<Awaited<ReturnType<typeof fn>>> =>
        fn(kyselyRepositories(db, (cb) => pending.push(cb)) as Repositories) as Promise<Awaited<ReturnType<typeof fn>>>;
      const result = store.kind === 'sqlite' ? await sqliteTransaction(store.db, run) : await store.db.transaction().execute(run);
      for (const cb of pending) {
        cb();
      }
      return result;
    },
    close: () => store.close(),
  };
}
