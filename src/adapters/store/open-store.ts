import { closeSync, chmodSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import type { HavenConfig } from '../../config/schema.js';
import { HavenError } from '../../errors/haven-error.js';
import type { HavenDatabase } from './database.js';
import { migrationProvider } from './migrations/index.js';

/** Which database engine a store runs on. */
export type StoreKind = 'sqlite' | 'postgres';

/** An open database with its migrations applied. */
export interface Store {
  readonly db: Kysely<HavenDatabase>;
  readonly kind: StoreKind;
  close(): Promise<void>;
}

/** The embedded database file inside a data directory. */
export const SQLITE_FILE_NAME = 'haven.db';

function openSqlite(dataDir: string): Kysely<HavenDatabase> {
  const file = join(dataDir, SQLITE_FILE_NAME);
  // Create the file with owner-only permissions before SQLite opens it (it would use the umask).
  closeSync(openSync(file, 'a', 0o600));
  chmodSync(file, 0o600);
  const database = new SQLite(file, { fileMustExist: true });
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = FULL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  database.pragma('secure_delete = ON');
  return new Kysely<HavenDatabase>({ dialect: new SqliteDialect({ database }) });
}

function openPostgres(config: HavenConfig): Kysely<HavenDatabase> {
  const { url, passwordFile, schema, statementTimeoutMs, poolSize } = config.database;
  const options = [`-c statement_timeout=${statementTimeoutMs}`];
  if (schema) {
    options.push(`-c search_path=${schema}`);
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: 5_000,
    options: options.join(' '),
    ...(passwordFile ? { password: readFileSync(passwordFile, 'utf8').trim() } : {}),
  });
  // An idle client error (e.g. the server restarted) must not crash the process; the next query fails cleanly.
  pool.on('error', () => undefined);
  return new Kysely<HavenDatabase>({ dialect: new PostgresDialect({ pool }) });
}

/**
 * Open the configured database (PostgreSQL when `database.url` is set, else SQLite in the data directory),
 * check it answers, and apply pending migrations.
 * @param config - validated configuration
 * @param dataDir - the data directory (holds the SQLite file)
 */
export async function openStore(config: HavenConfig, dataDir: string): Promise<Store> {
  const kind: StoreKind = config.database.url ? 'postgres' : 'sqlite';
  let db: Kysely<HavenDatabase>;
  try {
    db = kind === 'postgres' ? openPostgres(config) : openSqlite(dataDir);
  } catch (cause) {
    throw new HavenError('HAVEN_STORE_UNAVAILABLE', 'database cannot be opened', { cause });
  }
  try {
    if (kind === 'postgres' && config.database.schema) {
      await sql`create schema if not exists ${sql.id(config.database.schema)}`.execute(db);
    }
    await sql`select 1`.execute(db);
  } catch (cause) {
    await db.destroy().catch(() => undefined);
    throw new HavenError('HAVEN_STORE_UNAVAILABLE', 'database unreachable', { cause, detail: { kind } });
  }
  const { error, results } = await new Migrator({
    db,
    provider: migrationProvider,
    // Kysely looks for its own tables across every schema unless told which one is ours.
    ...(kind === 'postgres' && config.database.schema ? { migrationTableSchema: config.database.schema } : {}),
  }).migrateToLatest();
  if (error) {
    await db.destroy().catch(() => undefined);
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new HavenError('HAVEN_STORE_MIGRATION_FAILED', `migration ${failed} failed`, { cause: error });
  }
  return { db, kind, close: () => db.destroy() };
}
