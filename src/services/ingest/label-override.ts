import { HavenError } from '../../errors/haven-error.js';
import { ColumnTypeAccumulator, type InferredColumn } from '../../libs/formats/csv/index.js';
import type { Principal } from '../access/policy.js';
import type { AuditService } from '../audit/audit-service.js';
import type { Clock, Storage } from '../ports.js';
import { decideHandling, redactSchema, type ColumnAction } from './handling-policy.js';
import type { DatasetVersionRecord } from './ingest-ports.js';
import { moveColumn, type CellCrypto, type RowDocument } from './label-override-rows.js';
import { checkLabelKind, overriddenEntry, protectionChange, type StoredClassification, type StoredHandling } from './label-override-rules.js';
import { rowRecordId } from './row-ciphertexts.js';

/** Field protection a label override needs (KeyService satisfies it). */
export interface LabelProtection {
  datasetCipher(
    storage: Storage,
    workspace: string,
    dataset: string,
    reserve?: number,
  ): Promise<{
    encrypt(column: string, recordId: string, value: string): string;
    decrypt(column: string, recordId: string, text: string): Buffer;
    readonly remainingInvocations: number;
  }>;
  pseudonymiser(storage: Storage, workspace: string): Promise<(value: string) => string>;
}

/** What a steward asks for. */
export interface LabelOverrideInput {
  readonly column: string;
  readonly label: string;
  readonly kind?: string | undefined;
  /** Why (kept with the version, never in the ledger). */
  readonly reason: string;
  /** Required when the new label lowers the column's protection (its values are decrypted). */
  readonly confirmDecrypt?: boolean | undefined;
}

/** The outcome of an override. */
export interface LabelOverrideResult {
  readonly dataset: string;
  readonly version: number;
  readonly status: DatasetVersionRecord['status'];
  readonly column: string;
  readonly label: string;
  readonly kind: string | null;
  readonly previousLabel: string;
  readonly previousKind: string | null;
  readonly action: ColumnAction;
  readonly previousAction: ColumnAction;
  /** Stored rows whose document changed (values moved between clear, encrypted and pseudonymised). */
  readonly rowsRewritten: number;
}

/** Rows per rewrite transaction (each commits its rows with the checkpoint). */
export const REWRITE_BATCH_ROWS = 500;
const SCHEMA_PAGE_ROWS = 5000;

interface Plan {
  readonly classification: StoredClassification[];
  readonly handling: StoredHandling[];
  readonly schema: unknown;
  readonly from: StoredHandling;
  readonly to: StoredHandling;
  readonly previous: StoredClassification;
  readonly next: StoredClassification;
  readonly change: 'same' | 'more' | 'less';
}

const handlingOf = (v: DatasetVersionRecord): StoredHandling[] => (v.policy ?? []) as StoredHandling[];

/**
 * Refuse versions that cannot change (published: immutable; importing or failed: nothing to review).
 * @param v - the version
 */
function assertReady(v: DatasetVersionRecord): void {
  if (v.status === 'published') {
    throw new HavenError('HAVEN_INGEST_VERSION_PUBLISHED');
  }
  if (v.status !== 'ready') {
    throw new HavenError('HAVEN_INGEST_VERSION_STATE', undefined, { detail: { status: v.status } });
  }
}

/**
 * Decide an override against a version as stored (pure; throws coded errors for a bad request).
 * @param v - the version (must be ready)
 * @param input - the steward's request
 * @param by - the steward
 * @param at - ISO time
 */
function planOverride(v: DatasetVersionRecord, input: LabelOverrideInput, by: string, at: string): Plan {
  assertReady(v);
  const classification = (v.classification ?? []) as StoredClassification[];
  const handling = handlingOf(v);
  const i = classification.findIndex((c) => c.column === input.column);
  const h = handling.findIndex((x) => x.column === input.column);
  if (i < 0 || h < 0) {
    throw new HavenError('HAVEN_INGEST_LABEL_UNKNOWN_COLUMN');
  }
  const wanted = checkLabelKind(input.label, input.kind);
  const previous = classification[i]!;
  const next = overriddenEntry(previous, wanted, by, at, input.reason);
  const to: StoredHandling = decideHandling([next])[0]!;
  const from = handling[h]!;
  const change = protectionChange(from.action, to.action);
  if (change === 'less' && input.confirmDecrypt !== true) {
    throw new HavenError('HAVEN_INGEST_DECRYPT_NOT_CONFIRMED');
  }
  const nextClassification = classification.map((c, k) => (k === i ? next : c));
  const pendingTo: StoredHandling = change === 'same' ? to : { ...to, pending: { from: from.action, afterRowNo: 0 } };
  const nextHandling = handling.map((x, k) => (k === h ? pendingTo : x));
  const schema = Array.isArray(v.schema) ? redactSchema(v.schema as { name: string }[], nextHandling) : v.schema;
  return { classification: nextClassification, handling: nextHandling, schema, from, to, previous, next, change };
}

/**
 * A data steward's review of a ready version's classification: a column's label (and kind) is overridden, with a
 * reason. The classification entry keeps the detector's evidence and records who overrode it; the handling follows
 * the new label. When the handling changes, the stored values move: to encrypted `e` (and pseudonym `p`) when the
 * protection goes up, back to clear `v` when it goes down (only with `confirmDecrypt`, recorded as a downgrade). The
 * move runs in batches, each committed with its checkpoint; the version is `relabelling` (neither readable nor
 * publishable) until it ends, and an interrupted move is finished by the next override of the version or by
 * `resumeInterrupted`. Published versions are immutable. See ADR 0031.
 */
export class LabelOverrideService {
  /**
   * @param storage - the database
   * @param audit - the ledger
   * @param clock - time source
   * @param protection - field encryption and pseudonyms (opened on first use)
   * @param batchRows - rows per rewrite transaction
   */
  constructor(
    private readonly storage: Storage,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly protection: () => Promise<LabelProtection>,
    private readonly batchRows = REWRITE_BATCH_ROWS,
  ) {}

  private async load(workspaceId: string, datasetName: string, version: number): Promise<{ workspaceId: string; datasetId: string; v: DatasetVersionRecord }> {
    const d = await this.storage.read.datasets.datasetByName(workspaceId, datasetName);
    const v = d ? await this.storage.read.datasets.version(d.id, version) : undefined;
    if (!d || !v) {
      throw new HavenError('HAVEN_HTTP_NOT_FOUND');
    }
    return { workspaceId, datasetId: d.id, v };
  }

  /**
   * Override one column's label of a ready version.
   * @param principal - the data steward
   * @param workspaceId - workspace id
   * @param datasetName - dataset name
   * @param version - version number
   * @param input - column, label, kind, reason, confirmDecrypt
   * @param requestId - for the ledger
   */
  async override(
    principal: Principal,
    workspaceId: string,
    datasetName: string,
    version: number,
    input: LabelOverrideInput,
    requestId: string,
  ): Promise<LabelOverrideResult> {
    const loaded = await this.load(workspaceId, datasetName, version);
    const datasetId = loaded.datasetId;
    let v = loaded.v;
    const resource = `dataset:${datasetName}@${version}`;
    // An interrupted rewrite is finished first (its rows count in this call's result).
    let rowsRewritten = 0;
    if (v.status === 'relabelling') {
      rowsRewritten += await this.finish(principal.subject, workspaceId, datasetId, resource, v, requestId);
      v = (await this.storage.read.datasets.versionById(v.id))!;
    }
    const at = this.clock.now().toISOString();
    let plan: Plan;
    try {
      plan = planOverride(v, input, principal.subject, at);
    } catch (err) {
      const code = err instanceof HavenError ? err.code : 'HAVEN_INTERNAL';
      await this.audit.record(this.storage, {
        actor: principal.subject,
        action: 'dataset.label_override',
        resource,
        outcome: 'failure',
        requestId,
        detail: { code },
      });
      throw err;
    }
    const detail = {
      column: input.column,
      fromLabel: plan.previous.label,
      toLabel: plan.next.label,
      fromKind: plan.previous.kind ?? '',
      toKind: plan.next.kind ?? '',
      fromAction: plan.from.action,
      toAction: plan.to.action,
    };
    const action = plan.change === 'less' ? 'dataset.label_downgrade' : 'dataset.label_override';
    await this.audit.withAudit(this.storage, { actor: principal.subject, action, resource, requestId, detail }, async (repos) => {
      // Decided again inside the transaction: a publish or another override in between must not be overwritten.
      const current = (await repos.datasets.versionById(v.id))!;
      const again = planOverride(current, input, principal.subject, at);
      if (again.change !== plan.change || again.from.action !== plan.from.action) {
        throw new HavenError('HAVEN_INGEST_VERSION_STATE', undefined, { detail: { status: 'changed' } });
      }
      await repos.datasets.updateVersion(v.id, {
        classification: again.classification,
        policy: again.handling,
        schema: again.schema,
        status: again.change === 'same' ? 'ready' : 'relabelling',
      });
    });
    if (plan.change !== 'same') {
      rowsRewritten += await this.finish(principal.subject, workspaceId, datasetId, resource, (await this.storage.read.datasets.versionById(v.id))!, requestId);
    }
    const done = (await this.storage.read.datasets.versionById(v.id))!;
    return {
      dataset: datasetName,
      version,
      status: done.status,
      column: input.column,
      label: plan.next.label,
      kind: plan.next.kind ?? null,
      previousLabel: plan.previous.label,
      previousKind: plan.previous.kind ?? null,
      action: plan.to.action,
      previousAction: plan.from.action,
      rowsRewritten,
    };
  }

  /**
   * Finish every interrupted rewrite (versions left `relabelling` by a crash); call at start-up.
   * @param requestId - for the ledger
   */
  async resumeInterrupted(requestId: string): Promise<number> {
    const stale = await this.storage.read.datasets.versionsWithStatus('relabelling');
    for (const v of stale) {
      const d = await this.datasetOf(v);
      if (!d) {
        continue;
      }
      await this.finish('haven', d.workspaceId, d.id, `dataset:${d.name}@${v.version}`, v, requestId);
    }
    return stale.length;
  }

  private async datasetOf(v: DatasetVersionRecord): Promise<{ id: string; workspaceId: string; name: string } | undefined> {
    // Versions name their dataset by id and the repository lists datasets by workspace: walk the workspaces.
    for (const ws of await this.storage.read.workspaces.list()) {
      const d = (await this.storage.read.datasets.datasets(ws.id)).find((x) => x.id === v.datasetId);
      if (d) {
        return d;
      }
    }
    return undefined;
  }

  /** Move the pending column's values, then return the version to ready (with the schema the new handling allows). */
  private async finish(actor: string, workspaceId: string, datasetId: string, resource: string, v: DatasetVersionRecord, requestId: string): Promise<number> {
    let rewritten = 0;
    const pending = handlingOf(v).filter((x) => x.pending !== undefined);
    if (pending.length === 0) {
      // Nothing left to move (a crash after the last batch): only the status is behind.
      await this.audit.withAudit(this.storage, { actor, action: 'dataset.label_rewrite', resource, requestId }, async (repos) => {
        if ((await repos.datasets.versionById(v.id))?.status === 'relabelling') {
          await repos.datasets.updateVersion(v.id, { status: 'ready' });
        }
      });
      return 0;
    }
    for (const h of pending) {
      const event = { actor, action: 'dataset.label_rewrite', resource, requestId };
      let schema: InferredColumn | undefined;
      try {
        rewritten += await this.rewrite(workspaceId, datasetId, v, h);
        schema = h.action === 'plain' ? await this.columnSchema(v, h.column) : undefined;
      } catch (err) {
        await this.audit
          .record(this.storage, { ...event, outcome: 'failure', detail: { column: h.column, code: err instanceof HavenError ? err.code : 'HAVEN_INTERNAL' } })
          .catch(() => undefined);
        throw err;
      }
      await this.audit.withAudit(
        this.storage,
        { ...event, detail: { column: h.column, fromAction: h.pending!.from, toAction: h.action, rows: rewritten } },
        async (repos) => {
          const current = (await repos.datasets.versionById(v.id))!;
          if (current.status !== 'relabelling') {
            // Published or withdrawn under the rewrite: never turn it back to ready.
            throw new HavenError('HAVEN_INGEST_VERSION_STATE', undefined, { detail: { status: current.status } });
          }
          const policy = handlingOf(current).map((x) => (x.column === h.column ? withoutPending(x) : x));
          const status = policy.some((x) => x.pending !== undefined) ? 'relabelling' : 'ready';
          if (schema && Array.isArray(current.schema)) {
            const next = (current.schema as { name: string }[]).map((c) => (c.name === h.column ? schema : c));
            await repos.datasets.updateVersion(v.id, { policy, status, schema: next });
          } else {
            await repos.datasets.updateVersion(v.id, { policy, status });
          }
        },
      );
    }
    return rewritten;
  }

  /** Rewrite the rows after the checkpoint, one batch per transaction with the new checkpoint. */
  private async rewrite(workspaceId: string, datasetId: string, v: DatasetVersionRecord, h: StoredHandling): Promise<number> {
    const protection = await this.protection();
    const from = h.pending!.from;
    const encrypts = from === 'plain' && h.action !== 'plain';
    let cipher = await protection.datasetCipher(this.storage, workspaceId, datasetId, encrypts ? this.batchRows : 0);
    const pseudonym = h.action === 'pseudonymise' ? await protection.pseudonymiser(this.storage, workspaceId) : (): string => '';
    let rewritten = 0;
    for (;;) {
      if (encrypts && cipher.remainingInvocations < this.batchRows) {
        cipher = await protection.datasetCipher(this.storage, workspaceId, datasetId, Math.max(this.batchRows, 10_000));
      }
      const c = cipher;
      const step = await this.storage.transaction(async (repos) => {
        const current = (await repos.datasets.versionById(v.id))!;
        const entry = handlingOf(current).find((x) => x.column === h.column);
        if (current.status !== 'relabelling') {
          throw new HavenError('HAVEN_INGEST_VERSION_STATE', undefined, { detail: { status: current.status } });
        }
        if (entry?.pending === undefined) {
          return { done: true, changed: 0 };
        }
        const rows = await repos.datasets.rows(v.id, entry.pending.afterRowNo, this.batchRows);
        let changed = 0;
        for (const r of rows) {
          const doc = JSON.parse(r.data) as RowDocument;
          const recordId = rowRecordId(v.version, r.rowNo);
          const crypto: CellCrypto = {
            encrypt: (value) => c.encrypt(h.column, recordId, value),
            decrypt: (text) => {
              const plain = c.decrypt(h.column, recordId, text);
              try {
                return plain.toString('utf8');
              } finally {
                plain.fill(0);
              }
            },
            pseudonym,
          };
          if (moveColumn(doc, h.column, h.action, crypto)) {
            await repos.datasets.updateRowData(v.id, r.rowNo, JSON.stringify(doc));
            changed++;
          }
        }
        if (rows.length > 0) {
          const policy = handlingOf(current).map((x) => (x.column === h.column ? { ...x, pending: { from, afterRowNo: rows.at(-1)!.rowNo } } : x));
          await repos.datasets.updateVersion(v.id, { policy });
        }
        return { done: rows.length < this.batchRows, changed };
      });
      rewritten += step.changed;
      if (step.done) {
        return rewritten;
      }
    }
  }

  /** The inferred schema of a column now stored in clear (its value fields were withheld while it was protected). */
  private async columnSchema(v: DatasetVersionRecord, column: string): Promise<InferredColumn> {
    const acc = new ColumnTypeAccumulator(column);
    for (let after = 0; ;) {
      const page = await this.storage.read.datasets.rows(v.id, after, SCHEMA_PAGE_ROWS);
      for (const r of page) {
        acc.observe((JSON.parse(r.data) as RowDocument).v?.[column] ?? '');
      }
      if (page.length < SCHEMA_PAGE_ROWS) {
        return acc.finish();
      }
      after = page.at(-1)!.rowNo;
    }
  }
}

function withoutPending(h: StoredHandling): StoredHandling {
  const { pending: _pending, ...rest } = h;
  void _pending;
  return rest;
}
