import { HavenError } from '../../errors/haven-error.js';
import type { Repositories, Storage } from '../ports.js';
import type { CipherItem, CiphertextSource } from './ciphertext-source.js';
import { fieldKeyVersion } from './dataset-cipher.js';
import type { DatasetCipher } from './dataset-cipher.js';
import { datasetKeyId } from './key-ids.js';
import { currentOf } from './key-service.js';
import type { KeyService } from './key-service.js';

/**
 * Re-encryption of the field ciphertexts held by one CiphertextSource (rows, quarantine, encounter names…), and the
 * count of key-version uses in sources that key destruction relies on. Driven by reencrypt-job.ts.
 */

/** Pace and progress of a source walk. */
export interface SourceWalkOptions {
  /** Records per page and transaction (default 500). */
  readonly batch?: number;
  /** Called after each committed page that changed values. */
  readonly onBatch?: (dataset: string, processed: number, source: string) => void;
}

/** How many cells of these records are not under the target version. */
function staleCells(items: readonly CipherItem[], target: number): number {
  let n = 0;
  for (const item of items) {
    for (const c of item.cells) {
      if (fieldKeyVersion(c.text) !== target) {
        n++;
      }
    }
  }
  return n;
}

function moveItem(item: CipherItem, target: number, reader: DatasetCipher, writer: DatasetCipher, source: string, dataset: string): string[] {
  return item.cells.map((c) => {
    const version = fieldKeyVersion(c.text);
    if (version === target) {
      return c.text;
    }
    let plain: Buffer;
    try {
      plain = reader.decrypt(c.column, c.recordId, c.text);
    } catch (cause) {
      throw new HavenError('HAVEN_KEYS_REENCRYPT_UNREADABLE', undefined, { cause, detail: { source, key: datasetKeyId(dataset), version: version ?? -1 } });
    }
    try {
      return writer.encrypt(c.column, c.recordId, plain);
    } finally {
      plain.fill(0);
    }
  });
}

/**
 * Re-encrypt one dataset's ciphertexts in one source under the current DEK version. The walk goes through the
 * source in pages; each page's changed records are written together with the job checkpoint (`key_job`, cursor =
 * last record of the page) in one transaction, so a crash at any point leaves every value under a live version and
 * a re-run resumes after the last committed page. Records already under the target are left untouched (a re-run
 * changes nothing). The job ends with a full pass from the start that finds nothing to move. Returns the number of
 * values re-encrypted.
 * @param keys - the key service
 * @param storage - the database
 * @param workspace - workspace id
 * @param dataset - dataset id (owner of the DEK)
 * @param source - the store to walk
 * @param opts - page size, progress callback
 */
export async function reencryptSource(
  keys: KeyService,
  storage: Storage,
  workspace: string,
  dataset: string,
  source: CiphertextSource,
  opts: SourceWalkOptions,
): Promise<number> {
  const batch = opts.batch ?? 500;
  let total = 0;
  for (;;) {
    const target = currentOf(await storage.read.keys.versions(workspace, datasetKeyId(dataset)));
    if (target === undefined) {
      return total;
    }
    const jobId = `reencrypt:${source.name}:${workspace}:${dataset}:${target.version}`;
    const job = await storage.read.keys.getJob(jobId);
    const resumed = job?.state === 'running' && job.cursor !== '';
    let cursor = resumed ? job.cursor : undefined;
    let processed = job?.state === 'running' ? job.processed : 0;
    let movedInPass = 0;
    let pages = 0;
    let targetMoved = false;
    for (;;) {
      const items = await source.page(storage.read, workspace, dataset, cursor, batch);
      if (items.length === 0) {
        break;
      }
      pages++;
      const stale = staleCells(items, target.version);
      const updates: { item: CipherItem; texts: string[] }[] = [];
      if (stale > 0) {
        const reader = await keys.datasetCipher(storage, workspace, dataset, 0);
        const writer = await keys.datasetCipher(storage, workspace, dataset, stale);
        if (writer.currentVersion !== target.version) {
          targetMoved = true; // a forced rotation: restart against the new version
          break;
        }
        for (const item of items) {
          if (staleCells([item], target.version) > 0) {
            updates.push({ item, texts: moveItem(item, target.version, reader, writer, source.name, dataset) });
          }
        }
      }
      cursor = items.at(-1)!.cursor;
      processed += stale;
      const checkpoint = { id: jobId, kind: 'reencrypt', workspace, cursor, processed, state: 'running' as const, updatedAt: keys.nowIso() };
      await storage.transaction(async (repos) => {
        for (const u of updates) {
          await u.item.save(repos, u.texts);
        }
        await repos.keys.putJob(checkpoint);
      });
      total += stale;
      movedInPass += stale;
      if (stale > 0) {
        opts.onBatch?.(dataset, total, source.name);
      }
    }
    if (targetMoved) {
      continue;
    }
    if (job === undefined && pages === 0) {
      return total; // this source holds nothing of the dataset
    }
    await storage.transaction((repos) =>
      repos.keys.putJob({ id: jobId, kind: 'reencrypt', workspace, cursor: '', processed, state: 'done', updatedAt: keys.nowIso() }),
    );
    if (!resumed && movedInPass === 0) {
      return total;
    }
    // Values behind the cursor were not seen by this run (resumed) or may have been written meanwhile: one more pass.
  }
}

/**
 * Uses of each key version of a dataset in the sources (one walk per source, inside the caller's transaction).
 * @param repos - the transaction's repositories
 * @param sources - the stores to count
 * @param workspace - workspace id
 * @param dataset - dataset id
 */
export async function sourceUses(repos: Repositories, sources: readonly CiphertextSource[], workspace: string, dataset: string): Promise<Map<number, number>> {
  const uses = new Map<number, number>();
  for (const source of sources) {
    let after: string | undefined;
    for (;;) {
      const items = await source.page(repos, workspace, dataset, after, 1000);
      for (const item of items) {
        for (const c of item.cells) {
          const v = fieldKeyVersion(c.text);
          if (v !== undefined) {
            uses.set(v, (uses.get(v) ?? 0) + 1);
          }
        }
      }
      if (items.length < 1000) {
        break;
      }
      after = items.at(-1)!.cursor;
    }
  }
  return uses;
}
