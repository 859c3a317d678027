import { randomBytes } from 'node:crypto';
import { closeSync, createReadStream, createWriteStream, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Readable, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { HavenError } from '../../errors/haven-error.js';
import { canonicalEncode } from '../../libs/crypto/aead-core.js';
import type { ManagedKey } from '../../libs/crypto/key-wrap.js';
import { createDecryptStream, createEncryptStream } from '../../libs/crypto/stream-aead.js';
import { assertId, assertWorkspace, blobKeyId } from '../../services/keys/key-ids.js';
import { currentOf } from '../../services/keys/key-service.js';
import type { KeyService } from '../../services/keys/key-service.js';
import type { BlobRecord, Storage } from '../../services/ports.js';

/** Folder of blob files inside the data directory. */
export const BLOBS_DIR = 'blobs';
const TMP_PREFIX = '.tmp-';

function blobAad(workspace: string, id: string, kind: string): Buffer {
  return canonicalEncode(['haven.blob.v1', workspace, id, kind]);
}

function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Encrypted blobs (uploads, model artifacts) as files in `<dataDir>/blobs/`: each blob under its own DEK
 * `art.<id>` (random, wrapped by the workspace KEK, stored in the database with the blob record), encrypted with
 * the chunked stream AEAD bound to (workspace, id, kind). Writes go to a temporary file that is renamed only after
 * the whole stream is written and synced; reads verify every chunk and the end of the stream.
 */
export class EncryptedBlobStore {
  private readonly dir: string;

  /**
   * @param dataDir - the data directory
   * @param keys - the key service
   * @param storage - the database
   */
  constructor(
    dataDir: string,
    private readonly keys: KeyService,
    private readonly storage: Storage,
  ) {
    this.dir = join(dataDir, BLOBS_DIR);
  }

  private ensureDir(): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
  }

  private async writeFile(key: ManagedKey, aad: Buffer, source: Readable, fileName: string): Promise<number> {
    this.ensureDir();
    const tmp = join(this.dir, `${TMP_PREFIX}${randomBytes(8).toString('hex')}`);
    let size = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        size += chunk.length;
        cb(null, chunk);
      },
    });
    try {
      const out = createWriteStream(tmp, { mode: 0o600, flags: 'wx' });
      await pipeline(source, counter, createEncryptStream(key, { aad }), out);
      fsyncPath(tmp);
      renameSync(tmp, join(this.dir, fileName));
      fsyncPath(this.dir);
      return size;
    } catch (err) {
      rmSync(tmp, { force: true });
      throw err;
    }
  }

  /**
   * Store a blob: encrypt to a temporary file, rename, then record the blob and its wrapped DEK in one transaction.
   * @param workspace - workspace id
   * @param kind - artifact class (e.g. upload, model)
   * @param content - bytes or a readable stream
   */
  async put(workspace: string, kind: string, content: Uint8Array | Readable): Promise<BlobRecord> {
    assertWorkspace(workspace);
    assertId(kind, 'purpose');
    const id = randomBytes(16).toString('hex');
    const prepared = await this.storage.transaction(async (repos) => {
      await this.keys.ensureWorkspace(repos, workspace);
      return this.keys.prepareDataKey(repos, workspace, 'artifact-dek', id, 1);
    });
    const fileName = `${id}.v1.hvb`;
    const source = content instanceof Readable ? content : Readable.from([Buffer.from(content)]);
    const size = await this.writeFile(prepared.key, blobAad(workspace, id, kind), source, fileName);
    const record: BlobRecord = { id, workspace, kind, keyVersion: 1, fileName, size, createdAt: this.keys.nowIso() };
    try {
      await this.storage.transaction(async (repos) => {
        await repos.keys.insertVersion(prepared.record);
        await repos.keys.insertBlob(record);
      });
    } catch (err) {
      rmSync(join(this.dir, fileName), { force: true });
      throw err;
    }
    return record;
  }

  private async keyOf(blob: BlobRecord): Promise<ManagedKey> {
    return this.storage.transaction(async (repos) => {
      const rec = (await repos.keys.versions(blob.workspace, blobKeyId(blob.id))).find((v) => v.version === blob.keyVersion);
      if (rec === undefined) {
        throw new HavenError('HAVEN_KEYS_BLOB_NOT_FOUND');
      }
      return this.keys.unwrapVersion(repos, rec);
    });
  }

  /**
   * Decrypt a blob into a stream written to `sink`. Output is provisional until this resolves (a failure rejects).
   * @param id - blob id
   * @param sink - where plaintext goes
   */
  async readTo(id: string, sink: Writable): Promise<BlobRecord> {
    const blob = await this.storage.read.keys.getBlob(id);
    if (blob === undefined) {
      throw new HavenError('HAVEN_KEYS_BLOB_NOT_FOUND');
    }
    const key = await this.keyOf(blob);
    const path = join(this.dir, blob.fileName);
    if (!existsSync(path)) {
      throw new HavenError('HAVEN_KEYS_BLOB_CORRUPT', undefined, { detail: { blob: id } });
    }
    await pipeline(createReadStream(path), createDecryptStream(key, { aad: blobAad(blob.workspace, blob.id, blob.kind) }), sink);
    return blob;
  }

  /**
   * Read a whole blob, verified (for small blobs; large ones use readTo with a temporary file).
   * @param id - blob id
   */
  async read(id: string): Promise<Buffer> {
    const parts: Buffer[] = [];
    await this.readTo(
      id,
      new Writable({
        write(chunk: Buffer, _enc, cb) {
          parts.push(chunk);
          cb();
        },
      }),
    );
    return Buffer.concat(parts);
  }

  /**
   * Delete a blob: its record and every version of its DEK (crypto-shred), then the file.
   * @param id - blob id
   */
  async delete(id: string): Promise<void> {
    const blob = await this.storage.read.keys.getBlob(id);
    if (blob === undefined) {
      throw new HavenError('HAVEN_KEYS_BLOB_NOT_FOUND');
    }
    await this.storage.transaction(async (repos) => {
      await repos.keys.deleteBlob(id);
      await repos.keys.destroy(blob.workspace, blobKeyId(id), undefined, this.keys.nowIso());
    });
    rmSync(join(this.dir, blob.fileName), { force: true });
  }

  /**
   * Re-encrypt blobs whose DEK has a newer version than the one they are under (after a rotation that included
   * artifact keys). Per blob: new file under a new name, then one transaction points the record at it and destroys
   * the old DEK version, then the old file is removed. A crash leaves either the old or the new state, both readable.
   * @param workspace - workspace id
   */
  async reencrypt(workspace: string): Promise<number> {
    let moved = 0;
    for (const blob of await this.storage.read.keys.blobs(workspace)) {
      const versions = await this.storage.read.keys.versions(workspace, blobKeyId(blob.id));
      const current = currentOf(versions);
      if (current === undefined || current.version === blob.keyVersion) {
        await this.destroyOtherVersions(blob.workspace, blob.id, blob.keyVersion);
        continue;
      }
      const oldKey = await this.keyOf(blob);
      const newKey = await this.keyOf({ ...blob, keyVersion: current.version });
      const aad = blobAad(workspace, blob.id, blob.kind);
      const fileName = `${blob.id}.v${current.version}.hvb`;
      const plain = createReadStream(join(this.dir, blob.fileName)).pipe(createDecryptStream(oldKey, { aad }));
      await this.writeFile(newKey, aad, plain, fileName);
      await this.storage.transaction(async (repos) => {
        await repos.keys.updateBlob(blob.id, current.version, fileName);
        await repos.keys.destroy(workspace, blobKeyId(blob.id), blob.keyVersion, this.keys.nowIso());
      });
      rmSync(join(this.dir, blob.fileName), { force: true });
      await this.destroyOtherVersions(blob.workspace, blob.id, current.version);
      moved++;
    }
    return moved;
  }

  // Versions a blob is not under (retired by rotations it skipped) are unused: destroy them.
  private async destroyOtherVersions(workspace: string, id: string, keep: number): Promise<void> {
    await this.storage.transaction(async (repos) => {
      for (const v of await repos.keys.versions(workspace, blobKeyId(id))) {
        if (v.version !== keep && v.state !== 'destroyed') {
          await repos.keys.destroy(workspace, v.keyId, v.version, this.keys.nowIso());
        }
      }
    });
  }

  /**
   * Remove files no blob record points at (left by a crash or a shredded workspace), older than `minAgeMs`
   * so a write in progress elsewhere is not touched.
   * @param minAgeMs - minimum file age
   * @param nowMs - current time (ms)
   */
  async sweep(minAgeMs: number, nowMs: number): Promise<number> {
    if (!existsSync(this.dir)) {
      return 0;
    }
    const live = new Set((await this.storage.read.keys.blobs(undefined)).map((b) => b.fileName));
    let removed = 0;
    for (const name of readdirSync(this.dir)) {
      const path = join(this.dir, name);
      if (!live.has(name) && nowMs - statSync(path).mtimeMs >= minAgeMs) {
        rmSync(path, { force: true });
        removed++;
      }
    }
    return removed;
  }

  /**
   * Remove the files of blobs whose records were dropped (crypto-shredded workspace).
   * @param blobs - the dropped records
   */
  removeFiles(blobs: readonly BlobRecord[]): void {
    for (const b of blobs) {
      rmSync(join(this.dir, b.fileName), { force: true });
    }
  }
}
