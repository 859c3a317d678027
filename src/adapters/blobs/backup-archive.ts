import { randomBytes } from 'node:crypto';
import {
  closeSync, createReadStream, createWriteStream, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, readSync, readdirSync, renameSync, rmSync, rmdirSync, statSync, writeFileSync, writeSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import SQLite from 'better-sqlite3';
import { loadConfig } from '../../config/load.js';
import type { HavenConfig } from '../../config/schema.js';
import { HavenError } from '../../errors/haven-error.js';
import { generateKey, workspaceKekLabel } from '../../libs/crypto/key-wrap.js';
import { createDecryptStream, createEncryptStream } from '../../libs/crypto/stream-aead.js';
import type { RootKeyProvider } from '../../services/keys/root-key-provider.js';
import { openRootFromKeystore } from '../keys/open-root-provider.js';
import { parseKeystore } from '../keys/keystore-file.js';
import type { Keystore } from '../keys/keystore-file.js';
import type { PassphrasePrompt } from '../keys/passphrase-source.js';
import { openStore } from '../store/open-store.js';
import { ArchiveReader, entryHead } from './archive-format.js';
import { dumpPostgres, postgresSchemaIsEmpty, restorePostgres } from './postgres-dump.js';

/**
 * Encrypted backups of a data directory and its database.
 *
 * File: `"HVNB" ‖ version 0x01 ‖ u32 BE header length ‖ header JSON ‖ stream-AEAD ciphertext`. The header names the
 * keystore (for the local provider: the root key sealed by the passphrase) and a fresh backup key wrapped by the
 * root key; the stream's associated data is the whole header, so any change to it fails. Inside the stream: the
 * data directory's files, a consistent copy of the SQLite database (better-sqlite3 backup API) or a logical dump of
 * the PostgreSQL schema, framed as in archive-format.ts.
 */

const MAGIC = Buffer.from('HVNB', 'latin1');
const FORMAT_V1 = 1;
const MAX_HEADER = 64 * 1024;
const SQLITE_FILE = 'haven.db';
const PG_PREFIX = 'pgdump/';
// Live database files are copied consistently through the database, never as raw files; temporaries never.
const SKIP_RE = /^(?:haven\.db(?:-wal|-shm|-journal)?|\.backup-tmp-.*)$|(?:^|\/)\.tmp-[^/]*$|\.tmp-[0-9a-f]+$/;

interface BackupHeader {
  readonly format: 'haven-backup';
  readonly version: 1;
  readonly createdAt: string;
  readonly store: 'sqlite' | 'postgres';
  readonly keystore: Keystore;
  readonly backupKey: { readonly id: string; readonly version: number; readonly wrapped: string };
}

function invalid(reason: string, cause?: unknown): HavenError {
  return new HavenError('HAVEN_KEYS_BACKUP_INVALID', undefined, { detail: { reason }, ...(cause === undefined ? {} : { cause }) });
}

function listFiles(root: string, rel = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(root, rel)).sort()) {
    const path = rel === '' ? name : `${rel}/${name}`;
    if (SKIP_RE.test(path)) {
      continue;
    }
    const st = statSync(join(root, path));
    if (st.isDirectory()) {
      out.push(...listFiles(root, path));
    } else if (st.isFile()) {
      out.push(path);
    }
  }
  return out;
}

async function* archive(dataDir: string, files: readonly string[], extra: ReadonlyMap<string, string | Buffer>): AsyncGenerator<Buffer> {
  let count = 0;
  for (const path of files) {
    const size = statSync(join(dataDir, path)).size;
    yield entryHead({ path, size });
    let seen = 0;
    for await (const chunk of createReadStream(join(dataDir, path), { end: size - 1 })) {
      seen += (chunk as Buffer).length;
      yield chunk as Buffer;
    }
    if (seen !== size) {
      throw invalid('changed');
    }
    count++;
  }
  for (const [path, content] of extra) {
    const bytes = typeof content === 'string' ? readFileSync(content) : content;
    yield entryHead({ path, size: bytes.length });
    yield bytes;
    count++;
  }
  yield entryHead({ end: true, files: count });
}

/** Options of writeBackup. */
export interface WriteBackupOptions {
  readonly dataDir: string;
  readonly outFile: string;
  readonly config: HavenConfig;
  readonly keystore: Keystore;
  readonly root: RootKeyProvider;
  readonly nowIso: string;
}

/**
 * Write an encrypted, integrity-protected backup (to a temporary file renamed at the end; an existing file is
 * never overwritten).
 * @param opts - data directory, output file, configuration, keystore and open root provider, time
 */
export async function writeBackup(opts: WriteBackupOptions): Promise<{ files: number; bytes: number }> {
  const outFile = resolve(opts.outFile);
  if (existsSync(outFile)) {
    throw new HavenError('HAVEN_USAGE', 'the backup file already exists');
  }
  const backupKey = generateKey(workspaceKekLabel(`:backup-${randomBytes(8).toString('hex')}`, 1));
  const header: BackupHeader = {
    format: 'haven-backup',
    version: 1,
    createdAt: opts.nowIso,
    store: opts.config.database.url ? 'postgres' : 'sqlite',
    keystore: opts.keystore,
    backupKey: { id: backupKey.id, version: 1, wrapped: (await opts.root.wrap(backupKey)).toString('base64url') },
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const head = Buffer.alloc(9);
  MAGIC.copy(head, 0);
  head[4] = FORMAT_V1;
  head.writeUInt32BE(json.length, 5);
  const headerBytes = Buffer.concat([head, json]);

  const extra = new Map<string, string | Buffer>();
  const tmpDb = join(opts.dataDir, `.backup-tmp-${randomBytes(6).toString('hex')}.db`);
  const tmpOut = `${outFile}.tmp-${randomBytes(6).toString('hex')}`;
  try {
    if (header.store === 'sqlite') {
      const db = new SQLite(join(opts.dataDir, SQLITE_FILE), { readonly: true, fileMustExist: true });
      try {
        await db.backup(tmpDb);
      } finally {
        db.close();
      }
      extra.set(SQLITE_FILE, tmpDb);
    } else {
      for (const [table, lines] of await dumpPostgres(opts.config)) {
        extra.set(`${PG_PREFIX}${table}.jsonl`, lines);
      }
    }
    const files = listFiles(opts.dataDir);
    const fd = openSync(tmpOut, 'wx', 0o600);
    writeSync(fd, headerBytes);
    await pipeline(Readable.from(archive(opts.dataDir, files, extra)), createEncryptStream(backupKey, { aad: headerBytes }), createWriteStream('', { fd }));
    const sync = openSync(tmpOut, 'r');
    fsyncSync(sync);
    closeSync(sync);
    renameSync(tmpOut, outFile);
    return { files: files.length + extra.size, bytes: statSync(outFile).size };
  } catch (err) {
    rmSync(tmpOut, { force: true });
    throw err;
  } finally {
    rmSync(tmpDb, { force: true });
    backupKey.key.fill(0);
  }
}

function readHeader(inFile: string): { header: BackupHeader; headerBytes: Buffer } {
  const fd = openSync(inFile, 'r');
  try {
    const head = Buffer.alloc(9);
    if (readSync(fd, head, 0, 9, 0) !== 9 || !head.subarray(0, 4).equals(MAGIC) || head[4] !== FORMAT_V1) {
      throw invalid('magic');
    }
    const len = head.readUInt32BE(5);
    if (len > MAX_HEADER) {
      throw invalid('header');
    }
    const json = Buffer.alloc(len);
    if (readSync(fd, json, 0, len, 9) !== len) {
      throw invalid('header');
    }
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(json.toString('utf8')) as Record<string, unknown>;
    } catch (cause) {
      throw invalid('header', cause);
    }
    const bk = (parsed['backupKey'] ?? {}) as Record<string, unknown>;
    if (parsed['format'] !== 'haven-backup' || parsed['version'] !== 1 || (parsed['store'] !== 'sqlite' && parsed['store'] !== 'postgres')) {
      throw invalid('header');
    }
    if (typeof bk['id'] !== 'string' || bk['version'] !== 1 || typeof bk['wrapped'] !== 'string') {
      throw invalid('header');
    }
    const header: BackupHeader = {
      format: 'haven-backup',
      version: 1,
      createdAt: String(parsed['createdAt']),
      store: parsed['store'],
      keystore: parseKeystore(parsed['keystore']),
      backupKey: { id: bk['id'], version: 1, wrapped: bk['wrapped'] },
    };
    return { header, headerBytes: Buffer.concat([head, json]) };
  } finally {
    closeSync(fd);
  }
}

/** Options of restoreBackup. */
export interface RestoreOptions {
  readonly inFile: string;
  readonly targetDir: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly prompt?: PassphrasePrompt;
  /** PostgreSQL: restore into this (empty or absent) schema instead of the one in the backed-up configuration. */
  readonly databaseSchema?: string;
}

/**
 * Restore a backup into an empty or absent directory. The root key is opened (passphrase or PIN) and the backup
 * key unwrapped before anything is written; files are decrypted into a staging directory beside the target that is
 * renamed into place only after the whole stream verified (and, for PostgreSQL, the tables loaded). Any failure
 * removes the staging directory: nothing is left behind.
 * @param opts - backup file, target directory, environment, prompt, PostgreSQL schema override
 */
export async function restoreBackup(opts: RestoreOptions): Promise<{ files: number; store: 'sqlite' | 'postgres' }> {
  const target = resolve(opts.targetDir);
  if (existsSync(target) && (!statSync(target).isDirectory() || readdirSync(target).length > 0)) {
    throw new HavenError('HAVEN_KEYS_RESTORE_TARGET_NOT_EMPTY');
  }
  const { header, headerBytes } = readHeader(opts.inFile);
  const root = await openRootFromKeystore(header.keystore, opts.env, opts.prompt);
  let key;
  try {
    key = await root.unwrap(Buffer.from(header.backupKey.wrapped, 'base64url'), workspaceKekLabel(header.backupKey.id.slice(4), 1));
  } catch (cause) {
    throw invalid('key', cause);
  } finally {
    await root.close();
  }
  mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
  const staging = `${target}.restore-${randomBytes(6).toString('hex')}`;
  mkdirSync(staging, { mode: 0o700 });
  const pgDump = new Map<string, Buffer>();
  try {
    let fd = -1;
    let pgParts: Buffer[] | undefined;
    let pgName = '';
    const reader = new ArchiveReader({
      begin(h) {
        if (h.path.startsWith(PG_PREFIX)) {
          pgParts = [];
          pgName = h.path.slice(PG_PREFIX.length).replace(/\.jsonl$/, '');
          return;
        }
        const path = join(staging, h.path);
        mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
        fd = openSync(path, 'wx', 0o600);
      },
      data(bytes) {
        if (pgParts) {
          pgParts.push(Buffer.from(bytes));
        } else {
          writeSync(fd, bytes);
        }
      },
      end() {
        if (pgParts) {
          pgDump.set(pgName, Buffer.concat(pgParts));
          pgParts = undefined;
          return;
        }
        fsyncSync(fd);
        closeSync(fd);
        fd = -1;
      },
    });
    try {
      const decrypt = createDecryptStream(key, { aad: headerBytes });
      const source = createReadStream(opts.inFile, { start: headerBytes.length });
      source.on('error', (e) => decrypt.destroy(e));
      for await (const chunk of source.pipe(decrypt)) {
        reader.push(chunk as Buffer);
      }
    } catch (cause) {
      throw cause instanceof HavenError && cause.code === 'HAVEN_KEYS_BACKUP_INVALID' ? cause : invalid('stream', cause);
    } finally {
      if (fd >= 0) {
        closeSync(fd);
      }
    }
    const files = reader.finish();
    if (header.store === 'postgres') {
      if (opts.databaseSchema !== undefined) {
        const configPath = join(staging, 'haven.json');
        const cfg = JSON.parse(readFileSync(configPath, 'utf8')) as { database?: Record<string, unknown> };
        cfg.database = { ...cfg.database, schema: opts.databaseSchema };
        writeFileSync(configPath, `${JSON.stringify(cfg, null, 2)}\n`, { mode: 0o600 });
      }
      const config = loadConfig(staging, opts.env);
      if (!(await postgresSchemaIsEmpty(config))) {
        throw new HavenError('HAVEN_KEYS_RESTORE_TARGET_NOT_EMPTY', 'the PostgreSQL schema to restore into is not empty');
      }
      const store = await openStore(config, staging);
      await store.close();
      await restorePostgres(config, pgDump);
    }
    if (existsSync(target)) {
      rmdirSync(target);
    }
    renameSync(staging, target);
    return { files, store: header.store };
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    throw err;
  } finally {
    key.key.fill(0);
  }
}
