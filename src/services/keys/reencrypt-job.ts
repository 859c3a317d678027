import type { AuditService } from '../audit/audit-service.js';
import type { FieldCursor, Repositories, Storage } from '../ports.js';
import type { CiphertextSource } from './ciphertext-source.js';
import { assertWorkspace, datasetKeyId } from './key-ids.js';
import type { KeyService } from './key-service.js';
import { reencryptSource, sourceUses } from './source-reencryption.js';
import { STORED_CIPHERTEXTS } from './stored-ciphertexts.js';

/**
 * Counts uses of a key version in a store that is neither the vault nor listed in STORED_CIPHERTEXTS, so a retired
 * version is destroyed only when nothing uses it.
 */
export type KeyUseCounter = (repos: Repositories, workspace: string, keyId: string, version: number) => Promise<number>;

/** Options of reencryptWorkspace. */
export interface ReencryptOptions {
  /** Cells (vault) or records (other sources) per transaction (default 500). */
  readonly batch?: number;
  /**
   * Stores of field ciphertext besides the vault to re-encrypt (default: STORED_CIPHERTEXTS — ingested rows,
   * quarantined rows, encounter names). Key destruction always counts every store in STORED_CIPHERTEXTS as well.
   */
  readonly sources?: readonly CiphertextSource[];
  /**
   * Destroy retired versions nothing uses any more. When absent, no version is destroyed. When given (even empty),
   * a retired version is destroyed only if the vault, every source and these extra counters all count zero uses.
   */
  readonly usageCounters?: readonly KeyUseCounter[];
  /** Called after each committed batch that changed values (progress; tests use it to pace crashes). */
  readonly onBatch?: (dataset: string, processed: number, source: string) => void;
  readonly actor?: string;
  readonly requestId?: string;
}

/** What a re-encryption run did. */
export interface ReencryptReport {
  readonly workspace: string;
  /** Values re-encrypted, all stores together. */
  readonly reencrypted: number;
  /** Values re-encrypted per store (`vault` and each source's name). */
  readonly bySource: Readonly<Record<string, number>>;
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
    const updated = rows.map((r) => ({
      ...r,
      keyVersion: target.version,
      ciphertext: writer.encrypt(r.column, r.recordId, reader.decrypt(r.column, r.recordId, r.ciphertext)),
    }));
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
    opts.onBatch?.(dataset, total, 'vault');
  }
}

/**
 * Destroy retired versions of a dataset's DEK that nothing uses any more (vault, every source and the registered
 * counters agree, checked in the same transaction as the destruction).
 */
async function destroyUnused(
  keys: KeyService,
  storage: Storage,
  workspace: string,
  dataset: string,
  sources: readonly CiphertextSource[],
  counters: readonly KeyUseCounter[],
): Promise<number> {
  const keyId = datasetKeyId(dataset);
  return storage.transaction(async (repos) => {
    const retired = (await repos.keys.versions(workspace, keyId)).filter((v) => v.state === 'retired');
    if (retired.length === 0) {
      return 0;
    }
    const inSources = await sourceUses(repos, sources, workspace, dataset);
    let destroyed = 0;
    for (const v of retired) {
      let uses = (await repos.keys.countFieldsAtVersion(workspace, dataset, v.version)) + (inSources.get(v.version) ?? 0);
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
 * Re-encrypt every stored field ciphertext of a workspace — vault cells and every source (ingested rows,
 * quarantined rows, encounter names) — under the current DEK versions, then (when `usageCounters` is given) destroy
 * retired versions nothing uses. Resumable and idempotent: progress is checkpointed per batch in the database
 * (`key_job`), so after a crash a re-run carries on, and values already under the current version are not touched.
 * @param keys - the key service
 * @param storage - the database
 * @param audit - the ledger
 * @param workspace - workspace id
 * @param opts - batch size, sources, usage counters, progress callback, actor
 */
export async function reencryptWorkspace(
  keys: KeyService,
  storage: Storage,
  audit: AuditService,
  workspace: string,
  opts: ReencryptOptions = {},
): Promise<ReencryptReport> {
  assertWorkspace(workspace);
  const sources = opts.sources ?? STORED_CIPHERTEXTS;
  const datasets = new Set(await storage.read.keys.fieldDatasets(workspace));
  for (const rec of await storage.read.keys.list(workspace)) {
    if (rec.purpose === 'dataset-dek') {
      datasets.add(rec.keyId.slice(3));
    }
  }
  const bySource: Record<string, number> = { vault: 0 };
  for (const source of sources) {
    bySource[source.name] = 0;
  }
  let destroyedVersions = 0;
  for (const dataset of datasets) {
    const versions = await storage.read.keys.versions(workspace, datasetKeyId(dataset));
    if (versions.every((v) => v.state === 'destroyed')) {
      continue; // crypto-shredded: nothing can be moved, and nothing needs to be
    }
    bySource.vault! += await reencryptDataset(keys, storage, workspace, dataset, opts);
    for (const source of sources) {
      bySource[source.name]! += await reencryptSource(keys, storage, workspace, dataset, source, opts);
    }
    if (opts.usageCounters !== undefined) {
      // Every known store is counted, even one this run was not asked to re-encrypt.
      const counted = [...new Set([...STORED_CIPHERTEXTS, ...sources])];
      destroyedVersions += await destroyUnused(keys, storage, workspace, dataset, counted, opts.usageCounters);
    }
  }
  keys.forget(workspace);
  const reencrypted = Object.values(bySource).reduce((a, b) => a + b, 0);
  await audit.record(storage, {
    actor: opts.actor ?? 'haven-keys',
    requestId: opts.requestId ?? 'keys-reencrypt',
    action: 'keys.reencrypt',
    resource: `workspace:${workspace}`,
    outcome: 'success',
    detail: { workspace, reencrypted, destroyedVersions, ...bySource },
  });
  return { workspace, reencrypted, bySource, destroyedVersions };
}
