import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import type { TestInstance } from './test-instance.js';

/**
 * Run SQL directly against an instance's database, bypassing Haven (to play an attacker with database access).
 * @param t - the test instance
 * @param statements - SQL statements, run in order
 */
export async function rawSql(t: TestInstance, statements: string[]): Promise<void> {
  const { url, schema } = t.instance.config.database;
  if (!url) {
    const db = new SQLite(join(t.dataDir, 'haven.db'));
    try {
      for (const s of statements) {
        db.exec(s);
      }
    } finally {
      db.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: url, ...(schema ? { options: `-c search_path=${schema}` } : {}) });
  await client.connect();
  try {
    for (const s of statements) {
      await client.query(s);
    }
  } finally {
    await client.end();
  }
}
