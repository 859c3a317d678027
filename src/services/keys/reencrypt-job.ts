import type { AuditService } from '../audit/audit-service.js';
import type { FieldCursor, Repositories, Storage } from '../ports.js';
import { assertWorkspace, datasetKeyId } from './key-ids.js';
import type { KeyService } from './key-service.js';

/**
 * Counts uses of a key version outside the vault (e.g. an ingest table with encrypted columns), so a retired
 * version is destroyed only when nothing uses it.
 */
export type KeyUseCounter = (repos: Repositories, workspace: string, keyId: string, version: number) => Promise<number>;

/** Options of reencryptWorkspace. */
export interface ReencryptOptions {
  /** Cells per transaction (default 500). */
  readonly batch?: number;
  /**
   * Every user of dataset keys outside the vault, asked before a retired version is destroyed. When absent, no
   * version is destroyed (other services, e.g. ingest, may hold ciphertext under it); an empty list asserts that the
   * vault is the only user.
   */
  readonly usageCounters?: readonly KeyUseCounter[];
  /** Called after each committed batch (progress; tests use it to pace crashes). */
  readonly onBatch?: (dataset: string, processed: number) => void;
  readonly actor?: string;
  readonly requestId?: string;
}

/** What a re-encryption run did. */
export interface ReencryptReport {
  readonly workspace: string;
  readonly reencrypted: number;
  readonly destroyedVersions: number;
}

function parseCursor(text: string): FieldCursor | undefined {
  if (text === '') {
    return undefined;
  }
  const parsed = JSON.parse(text) as FieldCursor;
  return { column: parsed.column, recordId: parsed.recordId };
}

/**
 * Re-encrypt one dataset's vault cells under its current DEK version, in batches. Each batch decrypts, re-encrypts,
 * writes the cells and the job checkpoint in one transaction, so a crash at any point leaves every cell under a
 * live version and a re-run resumes after the last committed cell.
 */
async function reencryptDataset(keys: KeyService, storage: Storage, workspace: string, dataset: string, opts: ReencryptOptions): Promise<number> {
  const batch = opts.batch ?? 500;
  let total = 0;
  for (;;) {
    const reader = await keys.datasetCipher(storage, workspace, dataset, 0);
    const target = (await storage.read.keys.versions(workspace, datasetKeyId(dataset))).filter((v) => v.state === 'active').at(-1);
    if (target === undefined) {
      return total;
    }
    const jobId = `reencrypt:${workspace}:${dataset}:${target.version}`;
    const job = await storage.read.keys.getJob(jobId);
    const cursor = job === undefined || job.state === 'done' ? undefined : parseCursor(job.cursor);
    const rows = await storage.read.keys.fieldsNotAtVersion(workspace, dataset, target.version, cursor, batch);
    if (rows.length === 0) {
      await storage.transaction((repos) =>
        repos.keys.putJob({ id: jobId, kind: 'reencrypt', workspace, cursor: '', processed: job?.processed ?? 0, state: 'done', updatedAt: keys.nowIso() }),
      );
      if (cursor === undefined) {
        return total;
      }
      continue; // rows before the cursor may have been written under an old version meanwhile: one more pass
    }
    const writer = await keys.datasetCipher(storage, workspace, dataset, rows.length);
    if (writer.currentVersion !== target.version) {
      continue; // the version moved (forced rotation): restart against the new target
    }
    const updated = rows.map((r) => ({ ...r, keyVersion: target.version, ciphertext: writer.encrypt(r.column, r.recordId, reader.decrypt(r.column, r.recordId, r.ciphertext)) }));
    const last = rows.at(-1)!;
    await storage.transaction(async (repos) => {
      for (const row of updated) {
        await repos.keys.putField(row);
      }
      await repos.keys.putJob({
        id: jobId,
        kind: 'reencrypt',
        workspace,
        cursor: JSON.stringify({ column: last.column, recordId: last.recordId }),
        processed: (job?.state === 'running' ? job.processed : 0) + rows.length,
        state: 'running',
        updatedAt: keys.nowIso(),
      });
    });
    total += rows.length;
    opts.onBatch?.(dataset, total);
  }
}

/**
 * Destroy retired versions of a dataset's DEK that nothing uses any more (vault and registered counters agree,
 * checked in the same transaction as the destruction).
 */
async function destroyUnused(keys: KeyService, storage: Storage, workspace: string, dataset: string, counters: readonly KeyUseCounter[]): Promise<number> {
  const keyId = datasetKeyId(dataset);
  return storage.transaction(async (repos) => {
    let destroyed = 0;
    for (const v of await repos.keys.versions(workspace, keyId)) {
      if (v.state !== 'retired') {
        continue;
      }
      let uses = await repos.keys.countFieldsAtVersion(workspace, dataset, v.version);
      for (const count of counters) {
        uses += await count(repos, workspace, keyId, v.version);
      }
      if (uses === 0) {
        destroyed += await repos.keys.destroy(workspace, keyId, v.version, keys.nowIso());
      }
    }
    return destroyed;
  });
}

/**
 * Re-encrypt every vault cell of a workspace under the current DEK versions, then (when every other user is
 * counted, see `usageCounters`) destroy retired versions nothing uses. Resumable: progress is checkpointed per batch in the database (`key_job`), so after a crash a re-run carries on.
 * @param keys - the key service
 * @param storage - the database
 * @param audit - the ledger
 * @param workspace - workspace id
 * @param opts - batch size, usage counters, progress callback, actor
 */
export async function reencryptWorkspace(keys: KeyService, storage: Storage, audit: AuditService, workspace: string, opts: ReencryptOptions = {}): Promise<ReencryptReport> {
  assertWorkspace(workspace);
  const datasets = new Set(await storage.read.keys.fieldDatasets(workspace));
  for (const rec of await storage.read.keys.list(workspace)) {
    if (rec.purpose === 'dataset-dek') {
      datasets.add(rec.keyId.slice(3));
    }
  }
  let reencrypted = 0;
  let destroyedVersions = 0;
  for (const dataset of datasets) {
    const versions = await storage.read.keys.versions(workspace, datasetKeyId(dataset));
    if (versions.every((v) => v.state === 'destroyed')) {
      continue;
    }
    reencrypted += await reencryptDataset(keys, storage, workspace, dataset, opts);
    if (opts.usageCounters !== undefined) {
      destroyedVersions += await destroyUnused(keys, storage, workspace, dataset, opts.usageCounters);
    }
  }
  keys.forget(workspace);
  await audit.record(storage, {
    actor: opts.actor ?? 'haven-keys',
    requestId: opts.requestId ?? 'keys-reencrypt',
    action: 'keys.reencrypt',
    resource: `workspace:${workspace}`,
    outcome: 'success',
    detail: { workspace, reencrypted, destroyedVersions },
  });
  return { workspace, reencrypted, destroyedVersions };
}
