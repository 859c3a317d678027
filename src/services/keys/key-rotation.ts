import { generateKey, rewrapKey, workspaceKekLabel } from '../../libs/crypto/key-wrap.js';
import { HavenError } from '../../errors/haven-error.js';
import type { AuditService } from '../audit/audit-service.js';
import type { KeyVersionRecord, Storage } from '../ports.js';
import { assertWorkspace, kekId, labelOf } from './key-ids.js';
import { currentOf } from './key-service.js';
import type { DataKeyPurpose, KeyService } from './key-service.js';

/** What a rotation did. */
export interface RotationReport {
  readonly workspace: string;
  readonly kekVersion: number;
  /** Data keys that got a new version. */
  readonly rotatedKeys: number;
  /** Data key versions re-wrapped under the new KEK. */
  readonly rewrapped: number;
  /** Old KEK versions destroyed (nothing was wrapped by them any more). */
  readonly destroyedKekVersions: number;
}

/** Options of rotateWorkspace. */
export interface RotateOptions {
  /** Key versions re-wrapped per transaction (default 2000). */
  readonly batch?: number;
  /** Which data keys get a new version (default: dataset DEKs; blob DEKs are single-use and only re-wrapped). */
  readonly purposes?: readonly DataKeyPurpose[];
  /** Who asks (ledger). */
  readonly actor?: string;
  readonly requestId?: string;
}

/**
 * Finish a KEK rotation: re-wrap every key version still wrapped by an older KEK version under the current one
 * in small transactions (readers keep working throughout: both KEK versions exist until the end), then destroy
 * the older KEK versions once nothing is wrapped by them. Idempotent; safe to re-run after a crash.
 * @param keys - the key service
 * @param storage - the database
 * @param workspace - workspace id
 * @param batch - key versions per transaction
 */
export async function completeRotation(keys: KeyService, storage: Storage, workspace: string, batch = 2000): Promise<{ rewrapped: number; destroyed: number }> {
  const id = kekId(workspace);
  let rewrapped = 0;
  for (;;) {
    const n = await storage.transaction(async (repos) => {
      const keks = await repos.keys.versions(workspace, id);
      const current = currentOf(keks);
      if (current === undefined) {
        return 0;
      }
      const newKek = await keys.unwrapVersion(repos, current);
      const rows = await repos.keys.wrappedByOtherVersion(workspace, id, current.version, batch);
      const moved: KeyVersionRecord[] = [];
      for (const row of rows) {
        const parent = keks.find((k) => k.version === row.parentVersion);
        if (parent === undefined || row.wrapped === null) {
          throw new HavenError('HAVEN_KEYS_KEY_NOT_FOUND', undefined, { detail: { workspace, key: row.keyId, version: row.version } });
        }
        const oldKek = await keys.unwrapVersion(repos, parent);
        const wrapped = rewrapKey(oldKek, newKek, Buffer.from(row.wrapped, 'base64url'), labelOf(row.keyId, row.purpose, row.version));
        moved.push({ ...row, parentVersion: current.version, wrapped: wrapped.toString('base64url') });
      }
      await repos.keys.rewrapMany(moved);
      return rows.length;
    });
    rewrapped += n;
    if (n < batch) {
      break;
    }
  }
  const destroyed = await storage.transaction(async (repos) => {
    const keks = await repos.keys.versions(workspace, id);
    const current = currentOf(keks);
    if (current === undefined || (await repos.keys.wrappedByOtherVersion(workspace, id, current.version, 1)).length > 0) {
      return 0;
    }
    let count = 0;
    for (const k of keks) {
      if (k.version !== current.version && k.state !== 'destroyed') {
        count += await repos.keys.destroy(workspace, id, k.version, keys.nowIso());
      }
    }
    return count;
  });
  return { rewrapped, destroyed };
}

/**
 * Rotate a workspace: a new KEK version (wrapped by the root), new versions of its dataset DEKs (older versions
 * are retired: they still decrypt until `reencryptWorkspace` moves their values), then re-wrap every key under the
 * new KEK and destroy the old KEK. No downtime: every step leaves all values decryptable. Recorded in the ledger.
 * @param keys - the key service
 * @param storage - the database
 * @param audit - the ledger
 * @param workspace - workspace id
 * @param opts - batch size, which purposes get new versions, actor
 */
export async function rotateWorkspace(keys: KeyService, storage: Storage, audit: AuditService, workspace: string, opts: RotateOptions = {}): Promise<RotationReport> {
  assertWorkspace(workspace);
  const batch = opts.batch ?? 2000;
  const purposes = opts.purposes ?? ['dataset-dek'];
  await completeRotation(keys, storage, workspace, batch);
  const event = { actor: opts.actor ?? 'haven-keys', requestId: opts.requestId ?? 'keys-rotate', action: 'keys.rotate', resource: `workspace:${workspace}` };
  const started = await audit.withAudit(storage, { ...event, detail: { workspace } }, async (repos) => {
    await keys.ensureWorkspace(repos, workspace);
    const id = kekId(workspace);
    const keks = await repos.keys.versions(workspace, id);
    const version = (keks.at(-1)?.version ?? 0) + 1;
    const kek = generateKey(workspaceKekLabel(workspace, version));
    const wrapped = await keys.root.wrap(kek);
    kek.key.fill(0);
    for (const old of keks.filter((k) => k.state === 'active')) {
      await repos.keys.retire(workspace, id, old.version, keys.nowIso());
    }
    await repos.keys.insertVersion({
      workspace,
      keyId: id,
      version,
      purpose: 'workspace-kek',
      parentId: 'root',
      parentVersion: keys.root.rootVersion,
      wrapped: wrapped.toString('base64url'),
      state: 'active',
      createdAt: keys.nowIso(),
      retiredAt: null,
      destroyedAt: null,
      invocations: 0,
    });
    const latest = new Map<string, KeyVersionRecord>();
    for (const rec of await repos.keys.list(workspace)) {
      if (rec.state !== 'destroyed' && purposes.includes(rec.purpose as DataKeyPurpose)) {
        latest.set(rec.keyId, rec);
      }
    }
    for (const rec of latest.values()) {
      for (const v of (await repos.keys.versions(workspace, rec.keyId)).filter((x) => x.state === 'active')) {
        await repos.keys.retire(workspace, rec.keyId, v.version, keys.nowIso());
      }
      const ownerId = rec.keyId.slice(rec.keyId.indexOf('.') + 1);
      await keys.createVersion(repos, workspace, rec.purpose as DataKeyPurpose, ownerId, rec.version + 1);
    }
    return { kekVersion: version, rotatedKeys: latest.size };
  });
  keys.forget(workspace);
  const done = await completeRotation(keys, storage, workspace, batch);
  await audit.record(storage, {
    ...event,
    action: 'keys.rewrap',
    outcome: 'success',
    detail: { workspace, kekVersion: started.kekVersion, rewrapped: done.rewrapped, destroyedKekVersions: done.destroyed },
  });
  return { workspace, ...started, rewrapped: done.rewrapped, destroyedKekVersions: done.destroyed };
}
