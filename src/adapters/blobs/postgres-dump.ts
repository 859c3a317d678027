import { readFileSync } from 'node:fs';
import pg from 'pg';
import type { HavenConfig } from '../../config/schema.js';
import { HavenError } from '../../errors/haven-error.js';

/**
 * A logical dump of Haven's PostgreSQL tables as JSON lines (one file per table), and its restore into a freshly
 * migrated schema — plain SQL over the driver, no pg_dump binary needed.
 */

const TABLE_RE = /^[a-z_][a-z0-9_]{0,62}$/;
// Kysely's own bookkeeping is recreated by migrating the target; never copied.
const SKIP = new Set(['kysely_migration', 'kysely_migration_lock']);

async function connect(config: HavenConfig): Promise<{ client: pg.Client; schema: string }> {
  const { url, passwordFile, schema } = config.database;
  const client = new pg.Client({
    connectionString: url,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
    ...(passwordFile ? { password: readFileSync(passwordFile, 'utf8').trim() } : {}),
  });
  try {
    await client.connect();
    const current = schema ?? ((await client.query<{ s: string }>('select current_schema() as s')).rows[0]?.s ?? 'public');
    return { client, schema: current };
  } catch (cause) {
    await client.end().catch(() => undefined);
    throw new HavenError('HAVEN_STORE_UNAVAILABLE', 'database unreachable', { cause, detail: { kind: 'postgres' } });
  }
}

function jsonValue(v: unknown): unknown {
  if (Buffer.isBuffer(v)) {
    return `\\x${v.toString('hex')}`;
  }
  if (v instanceof Date) {
    return v.toISOString();
  }
  return v;
}

/**
 * Whether the configured schema has no tables (a restore refuses to load into a schema in use).
 * @param config - configuration naming the database and schema
 */
export async function postgresSchemaIsEmpty(config: HavenConfig): Promise<boolean> {
  const { client, schema } = await connect(config);
  try {
    const r = await client.query<{ n: string }>("select count(*) as n from information_schema.tables where table_schema = $1", [schema]);
    return Number(r.rows[0]?.n ?? 0) === 0;
  } finally {
    await client.end();
  }
}

/**
 * Dump every table of the instance's schema (in one repeatable-read snapshot) as JSON lines.
 * @param config - the instance configuration (database.url, schema, passwordFile)
 */
export async function dumpPostgres(config: HavenConfig): Promise<Map<string, Buffer>> {
  const { client, schema } = await connect(config);
  const out = new Map<string, Buffer>();
  try {
    await client.query('begin transaction isolation level repeatable read read only');
    const tables = await client.query<{ table_name: string }>(
      "select table_name from information_schema.tables where table_schema = $1 and table_type = 'BASE TABLE' order by table_name",
      [schema],
    );
    for (const { table_name: table } of tables.rows) {
      if (!TABLE_RE.test(table) || SKIP.has(table)) {
        continue;
      }
      const rows = await client.query<Record<string, unknown>>(`select * from ${client.escapeIdentifier(schema)}.${client.escapeIdentifier(table)}`);
      const lines = rows.rows.map((r) => JSON.stringify(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, jsonValue(v)]))));
      out.set(table, Buffer.from(lines.length > 0 ? `${lines.join('\n')}\n` : '', 'utf8'));
    }
    await client.query('commit');
    return out;
  } finally {
    await client.end();
  }
}

/**
 * Load a dump into a freshly migrated schema: every table is emptied (migrations seed some rows) and refilled in
 * one transaction; tables are retried in passes so foreign keys between them resolve in any order.
 * @param config - configuration naming the target database and schema (already migrated)
 * @param dump - table name → JSON lines
 */
export async function restorePostgres(config: HavenConfig, dump: ReadonlyMap<string, Buffer>): Promise<void> {
  const { client, schema } = await connect(config);
  try {
    await client.query('begin');
    let pending = [...dump.keys()].filter((t) => TABLE_RE.test(t) && !SKIP.has(t));
    for (const table of pending) {
      await client.query(`delete from ${client.escapeIdentifier(schema)}.${client.escapeIdentifier(table)}`);
    }
    for (let pass = 0; pending.length > 0 && pass < 8; pass++) {
      const failed: string[] = [];
      for (const table of pending) {
        await client.query('savepoint haven_restore');
        try {
          await insertRows(client, schema, table, dump.get(table)!);
          await client.query('release savepoint haven_restore');
        } catch {
          await client.query('rollback to savepoint haven_restore');
          failed.push(table);
        }
      }
      pending = failed;
    }
    if (pending.length > 0) {
      throw new HavenError('HAVEN_KEYS_BACKUP_INVALID', undefined, { detail: { reason: 'tables', count: pending.length } });
    }
    await client.query('commit');
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    await client.end();
  }
}

async function insertRows(client: pg.Client, schema: string, table: string, lines: Buffer): Promise<void> {
  const rows = lines
    .toString('utf8')
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  const target = `${client.escapeIdentifier(schema)}.${client.escapeIdentifier(table)}`;
  for (let i = 0; i < rows.length; i += 200) {
    const batch = rows.slice(i, i + 200);
    const columns = Object.keys(batch[0]!);
    const params: unknown[] = [];
    const tuples = batch.map((r) => `(${columns.map((c) => `$${params.push(r[c] ?? null)}`).join(', ')})`);
    await client.query(`insert into ${target} (${columns.map((c) => client.escapeIdentifier(c)).join(', ')}) values ${tuples.join(', ')}`, params);
  }
}
