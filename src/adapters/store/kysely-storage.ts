import type { Storage } from '../../services/ports.js';
import { kyselyRepositories } from './kysely-repositories.js';
import type { Store } from './open-store.js';

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
      const result = await store.db.transaction().execute((trx) => fn(kyselyRepositories(trx, (cb) => pending.push(cb))));
      for (const cb of pending) {
        cb();
      }
      return result;
    },
    close: () => store.close(),
  };
}
