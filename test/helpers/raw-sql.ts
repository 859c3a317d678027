import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';

/** Where an instance keeps its data: the directory (for SQLite) and the database settings. */
export interface DatabaseTarget {
  readonly dataDir: string;
  readonly database: { readonly url?: string | undefined; readonly schema?: string | undefined };
}

/**
 * Run SQL directly against an instance's database, bypassing Haven (to play an attacker with database access).
 * @param t - the data directory and database settings (a TestInstance fits via `targetOf`)
 * @param statements - SQL statements, run in order
 */
export async function rawSql(
  t: DatabaseTarget | { dataDir: string; instance: { config: { database: DatabaseTarget['database'] } } },
  statements: string[],
): Promise<void> {
  const { url, schema } = 'database' in t ? t.database : t.instance.config.database;
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
