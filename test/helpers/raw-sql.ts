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

type RawTarget = Parameters<typeof rawSql>[0];

/**
 * Run one SELECT directly against an instance's database, bypassing Haven (an attacker's or auditor's view).
 * @param t - the data directory and database settings
 * @param sql - the query
 */
export async function rawQuery(t: RawTarget, sql: string): Promise<Record<string, unknown>[]> {
  const { url, schema } = 'database' in t ? t.database : t.instance.config.database;
  if (!url) {
    const db = new SQLite(join(t.dataDir, 'haven.db'), { readonly: true });
    try {
      return db.prepare(sql).all() as Record<string, unknown>[];
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: url, ...(schema ? { options: `-c search_path=${schema}` } : {}) });
  await client.connect();
  try {
    return (await client.query(sql)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

/** One text value found in a raw table scan. */
export interface RawTextValue {
  readonly table: string;
  readonly column: string;
  readonly value: string;
}

/**
 * Every non-null text value of every table of an instance's database (SQLite: every column of every table, as text;
 * PostgreSQL: every text, varchar, json and jsonb column of the instance's schema).
 * @param t - the data directory and database settings
 */
export async function rawTextValues(t: RawTarget): Promise<RawTextValue[]> {
  const { url, schema } = 'database' in t ? t.database : t.instance.config.database;
  const out: RawTextValue[] = [];
  if (!url) {
    const db = new SQLite(join(t.dataDir, 'haven.db'), { readonly: true });
    try {
      const tables = (db.prepare("select name from sqlite_master where type = 'table'").all() as { name: string }[]).map((r) => r.name);
      for (const table of tables) {
        for (const { name: column } of db.prepare(`pragma table_info("${table}")`).all() as { name: string }[]) {
          for (const r of db.prepare(`select cast("${column}" as text) as v from "${table}" where "${column}" is not null`).all() as { v: string }[]) {
            out.push({ table, column, value: String(r.v) });
          }
        }
      }
    } finally {
      db.close();
    }
    return out;
  }
  const client = new pg.Client({ connectionString: url, ...(schema ? { options: `-c search_path=${schema}` } : {}) });
  await client.connect();
  try {
    const columns = await client.query<{ table_name: string; column_name: string }>(
      "select table_name, column_name from information_schema.columns where table_schema = $1 and data_type in ('text', 'character varying', 'json', 'jsonb')",
      [schema ?? 'public'],
    );
    for (const { table_name: table, column_name: column } of columns.rows) {
      for (const r of (await client.query<{ v: string }>(`select "${column}"::text as v from "${table}" where "${column}" is not null`)).rows) {
        out.push({ table, column, value: r.v });
      }
    }
  } finally {
    await client.end();
  }
  return out;
}
