import type { AuditService } from '../audit/audit-service.js';
import type { BlobRecord, Storage } from '../ports.js';
import { assertId, assertWorkspace, datasetKeyId } from './key-ids.js';
import type { KeyService } from './key-service.js';

/** Who asks (recorded in the ledger). */
export interface ShredActor {
  readonly actor: string;
  readonly requestId: string;
}

/**
 * Crypto-shred a dataset: destroy every version of its DEK (wrapped bytes erased) and drop its vault cells, in one
 * audited transaction. Copies of ciphertext elsewhere (backups, replicas) become unreadable with the key.
 * @param keys - the key service
 * @param storage - the database
 * @param audit - the ledger
 * @param who - actor and request id
 * @param workspace - workspace id
 * @param dataset - dataset id
 */
export async function shredDataset(
  keys: KeyService,
  storage: Storage,
  audit: AuditService,
  who: ShredActor,
  workspace: string,
  dataset: string,
): Promise<{ versions: number; cells: number }> {
  assertWorkspace(workspace);
  assertId(dataset, 'dataset');
  const event = { ...who, action: 'keys.shred-dataset', resource: `dataset:${workspace}/${dataset}`, detail: { workspace, dataset } };
  const result = await audit.withAudit(storage, event, async (repos) => {
    const versions = await repos.keys.destroy(workspace, datasetKeyId(dataset), undefined, keys.nowIso());
    const cells = await repos.keys.deleteFields(workspace, dataset);
    return { versions, cells };
  });
  keys.forget(workspace);
  return result;
}

/**
 * Crypto-shred a workspace: destroy its KEK and every key below it, drop its vault cells and blob records, in one
 * audited transaction. `onCommitted` gets the blob records so their files can be removed (they are unreadable
 * already: their DEKs are gone).
 * @param keys - the key service
 * @param storage - the database
 * @param audit - the ledger
 * @param who - actor and request id
 * @param workspace - workspace id
 * @param onCommitted - called after commit with the removed blob records
 */
export async function shredWorkspace(
  keys: KeyService,
  storage: Storage,
  audit: AuditService,
  who: ShredActor,
  workspace: string,
  onCommitted?: (blobs: readonly BlobRecord[]) => void,
): Promise<{ versions: number; cells: number; blobs: number }> {
  assertId(workspace, 'workspace');
  const event = { ...who, action: 'keys.shred-workspace', resource: `workspace:${workspace}`, detail: { workspace } };
  const result = await audit.withAudit(storage, event, async (repos) => {
    const versions = await repos.keys.destroyWorkspace(workspace, keys.nowIso());
    const cells = await repos.keys.deleteFields(workspace, undefined);
    const blobs = await repos.keys.blobs(workspace);
    for (const b of blobs) {
      await repos.keys.deleteBlob(b.id);
    }
    if (onCommitted) {
      repos.afterCommit(() => onCommitted(blobs));
    }
    return { versions, cells, blobs: blobs.length };
  });
  keys.forget(workspace);
  return result;
}
