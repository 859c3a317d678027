import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** A database a store test runs against. */
export interface TestStore {
  readonly name: 'sqlite' | 'postgres';
  /** Config values for haven.json selecting this store (a fresh schema per call for PostgreSQL). */
  config(): { database?: { url: string; schema: string } };
  /** Drop what config() created. */
  cleanup(): Promise<void>;
}

/** The PostgreSQL server the tests use (trust auth on this machine). */
export const TEST_POSTGRES_URL = process.env.HAVEN_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

function postgresStore(): TestStore {
  const schemas: string[] = [];
  return {
    name: 'postgres',
    config() {
      const schema = `haven_t_${randomBytes(6).toString('hex')}`;
      schemas.push(schema);
      return { database: { url: TEST_POSTGRES_URL, schema } };
    },
    async cleanup() {
      if (schemas.length === 0) {
        return;
      }
      const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
      await client.connect();
      try {
        for (const s of schemas.splice(0)) {
          await client.query(`drop schema if exists "${s}" cascade`);
        }
      } finally {
        await client.end();
      }
    },
  };
}

const sqliteStore: TestStore = { name: 'sqlite', config: () => ({}), cleanup: () => Promise.resolve() };

/**
 * Every store the suite runs on: SQLite and PostgreSQL. PostgreSQL is skipped only when HAVEN_TEST_POSTGRES=off,
 * and then loudly; an unreachable server makes the tests fail.
 */
export function testStores(): TestStore[] {
  if (process.env.HAVEN_TEST_POSTGRES === 'off') {
    console.warn('HAVEN_TEST_POSTGRES=off: PostgreSQL store tests are SKIPPED');
    return [sqliteStore];
  }
  return [sqliteStore, postgresStore()];
}
