import { randomUUID } from 'node:crypto';
import { assertNoSecrets, DatasetClassifier } from '../../libs/classify/index.js';
import type { ColumnClassification } from '../../libs/classify/classification-types.js';
import { SchemaInferrer, type DeclaredSchema } from '../../libs/formats/csv/index.js';
import { HavenError } from '../../errors/haven-error.js';
import type { Principal } from '../access/policy.js';
import type { AuditService } from '../audit/audit-service.js';
import type { Clock, Storage } from '../ports.js';
import { decideHandling, handlingDrift, redactSchema, type ColumnHandling } from './handling-policy.js';
import { enforceDeclaredSchema } from './declared-schema-source.js';
import type { DatasetRecord, DatasetVersionRecord, StoredRow, QuarantinedRow } from './ingest-ports.js';
import { csvTabularSource, type TabularBatch, type TabularRecord, type TabularSource } from './tabular-source.js';

/** Field protection the ingest needs from the key service (KeyService satisfies it). */
export interface FieldProtection {
  datasetCipher(storage: Storage, workspace: string, dataset: string, reserve?: number): Promise<{ encrypt(column: string, recordId: string, value: string): string; readonly remainingInvocations: number }>;
  pseudonymiser(storage: Storage, workspace: string): Promise<(value: string) => string>;
}

/** What an import reports: the reconciliation (read = stored + quarantined), lineage and classification. */
export interface ImportReport {
  readonly dataset: string;
  readonly version: number;
  readonly status: DatasetVersionRecord['status'];
  readonly sha256: string;
  readonly rowsRead: number;
  readonly rowsStored: number;
  readonly rowsQuarantined: number;
  readonly classification: readonly ColumnClassification[];
  readonly handling: readonly ColumnHandling[];
}

/** Rows buffered to decide the handling policy before anything is stored. */
export const POLICY_SAMPLE_ROWS = 2000;
const BATCH_ROWS = 1000;

/** The stored form of a row: plain values, pseudonyms of join keys, ciphertexts of identifiers. */
interface RowDocument {
  v: Record<string, string>;
  p: Record<string, string>;
  e: Record<string, string>;
}

/**
 * Table import (CSV, or a worksheet of an Excel workbook) into a new dataset version: streaming parse,
 * classification, the handling policy (identifiers encrypted, join keys pseudonymised), quarantine of bad rows with
 * their raw text encrypted, reconciliation and lineage. The version is invisible until complete; any failure removes
 * its rows and marks it failed.
 */
export class IngestService {
  constructor(
    private readonly storage: Storage,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly protection: () => Promise<FieldProtection>,
    private readonly afterReady: ((actor: string, workspaceId: string, datasetName: string, version: DatasetVersionRecord, requestId: string) => Promise<unknown>) | undefined = undefined,
  ) {}

  private async openVersion(principal: Principal, workspaceId: string, datasetName: string, requestId: string): Promise<{ dataset: DatasetRecord; version: DatasetVersionRecord }> {
    return this.audit.withAudit(this.storage, { actor: principal.subject, action: 'dataset.import_begin', resource: `dataset:${datasetName}`, requestId }, async (repos) => {
      let dataset = await repos.datasets.datasetByName(workspaceId, datasetName);
      if (!dataset) {
        dataset = { id: randomUUID(), workspaceId, name: datasetName, createdAt: this.clock.now().toISOString() };
        await repos.datasets.insertDataset(dataset);
      }
      const versions = await repos.datasets.versions(dataset.id);
      const version: DatasetVersionRecord = {
        id: randomUUID(),
        datasetId: dataset.id,
        version: (versions.at(-1)?.version ?? 0) + 1,
        status: 'importing',
        sha256: null,
        rowsRead: 0,
        rowsStored: 0,
        rowsQuarantined: 0,
        header: null,
        schema: null,
        classification: null,
        policy: null,
        importedBy: principal.subject,
        createdAt: this.clock.now().toISOString(),
        finishedAt: null,
        publishedAt: null,
        publishedBy: null,
      };
      await repos.datasets.insertVersion(version);
      return { dataset, version };
    });
  }

  /**
   * Import a CSV byte stream as the next version of a dataset (created on first import).
   * @param principal - the data steward
   * @param workspaceId - workspace id
   * @param datasetName - dataset name
   * @param source - the CSV bytes (already decompressed and size-limited by the caller)
   * @param requestId - for the ledger
   */
  async importCsv(principal: Principal, workspaceId: string, datasetName: string, source: AsyncIterable<Uint8Array>, requestId: string): Promise<ImportReport> {
    return this.importTable(principal, workspaceId, datasetName, csvTabularSource(source), requestId);
  }

  /**
   * Import a table (CSV bytes or a worksheet, read as it streams) as the next version of a dataset.
   * @param principal - the data steward
   * @param workspaceId - workspace id
   * @param datasetName - dataset name
   * @param source - the table; its hash becomes the version's sha256
   * @param requestId - for the ledger
   * @param declared - a declared schema to enforce (header checked before the version opens; bad rows quarantined)
   */
  async importTable(principal: Principal, workspaceId: string, datasetName: string, source: TabularSource, requestId: string, declared?: DeclaredSchema): Promise<ImportReport> {
    if (declared !== undefined) {
      source = await this.declaredSource(principal, datasetName, source, declared, requestId);
    }
    const { dataset, version } = await this.openVersion(principal, workspaceId, datasetName, requestId);
    try {
      const report = await this.run(workspaceId, dataset, version, source);
      const duplicate = (await this.storage.read.datasets.versions(dataset.id)).find((v) => v.id !== version.id && v.sha256 === report.sha256 && v.status !== 'failed');
      if (duplicate) {
        throw new HavenError('HAVEN_INGEST_DUPLICATE', undefined, { detail: { version: duplicate.version } });
      }
      await this.audit.withAudit(
        this.storage,
        {
          actor: principal.subject,
          action: 'dataset.import',
          resource: `dataset:${datasetName}@${version.version}`,
          requestId,
          detail: { format: source.format, rowsRead: report.rowsRead, rowsStored: report.rowsStored, rowsQuarantined: report.rowsQuarantined, declaredSchema: declared !== undefined },
        },
        (repos) =>
          repos.datasets.updateVersion(version.id, {
            status: 'ready',
            sha256: report.sha256,
            rowsRead: report.rowsRead,
            rowsStored: report.rowsStored,
            rowsQuarantined: report.rowsQuarantined,
            classification: report.classification,
            policy: report.handling,
            finishedAt: this.clock.now().toISOString(),
          }),
      );
      if (this.afterReady) {
        // The poisoning screen. A screen that fails leaves no record, which blocks training until it is re-run: fail closed.
        const ready = await this.storage.read.datasets.versionById(version.id);
        await this.afterReady(principal.subject, workspaceId, datasetName, ready!, requestId).catch(() => undefined);
      }
      return { ...report, status: 'ready' };
    } catch (err) {
      await this.withdraw(version.id, principal.subject, datasetName, requestId, err);
      throw err;
    }
  }

  /** The declared-schema hook: a header that does not match is refused (and recorded) before anything is written. */
  private async declaredSource(principal: Principal, datasetName: string, source: TabularSource, declared: DeclaredSchema, requestId: string): Promise<TabularSource> {
    try {
      return await enforceDeclaredSchema(source, declared);
    } catch (err) {
      const code = err instanceof HavenError ? err.code : 'HAVEN_INTERNAL';
      await this.audit.record(this.storage, { actor: principal.subject, action: 'dataset.import', resource: `dataset:${datasetName}`, outcome: 'failure', requestId, detail: { code, declaredSchema: true } });
      throw err;
    }
  }

  /** Remove a failed version's rows and mark it failed (recorded in the ledger). */
  private async withdraw(versionId: string, actor: string, datasetName: string, requestId: string, err: unknown): Promise<void> {
    const code = err instanceof HavenError ? err.code : 'HAVEN_INTERNAL';
    await this.audit.withAudit(this.storage, { actor, action: 'dataset.import_withdrawn', resource: `dataset:${datasetName}`, requestId, detail: { code } }, async (repos) => {
      await repos.datasets.deleteVersionData(versionId);
      await repos.datasets.updateVersion(versionId, { status: 'failed', finishedAt: this.clock.now().toISOString() });
    });
  }

  /**
   * At start-up: versions left 'importing' by a crash are withdrawn, so no partial version is ever visible.
   * @param requestId - for the ledger
   */
  async recoverInterrupted(requestId: string): Promise<number> {
    const stale = await this.storage.read.datasets.versionsWithStatus('importing');
    for (const v of stale) {
      await this.withdraw(v.id, 'haven', v.datasetId, requestId, new HavenError('HAVEN_INGEST_INTERRUPTED'));
    }
    return stale.length;
  }

  private async run(workspaceId: string, dataset: DatasetRecord, version: DatasetVersionRecord, source: TabularSource) {
    const protection = await this.protection();
    let classifier: DatasetClassifier | undefined;
    let inferrer: SchemaInferrer | undefined;
    let handling: ColumnHandling[] | undefined;
    let header: readonly string[] = [];
    let pending: TabularRecord[] = [];
    let quarantined: QuarantinedRow[] = [];
    let stored = 0;
    let quarantineCount = 0;
    let cipher = await protection.datasetCipher(this.storage, workspaceId, dataset.id, 0);
    const pseudonym = await protection.pseudonymiser(this.storage, workspaceId);
    const recordId = (row: number) => `${version.version}:${row}`;

    const ensureCipher = async (needed: number) => {
      if (cipher.remainingInvocations < needed) {
        cipher = await protection.datasetCipher(this.storage, workspaceId, dataset.id, Math.max(needed, 100_000));
      }
    };
    const flush = async (final: boolean) => {
      if (!handling || (!final && pending.length < BATCH_ROWS && quarantined.length < BATCH_ROWS)) {
        return;
      }
      const encryptedCols = handling.filter((h) => h.action !== 'plain').length;
      await ensureCipher(pending.length * encryptedCols + quarantined.length + 1);
      const rows: StoredRow[] = pending.map((r) => ({ rowNo: r.row, data: JSON.stringify(this.toDocument(r, header, handling!, cipher, pseudonym, recordId(r.row))) }));
      const q = quarantined.map((r) => ({ ...r, raw: cipher.encrypt('_raw', recordId(r.rowNo), r.raw) }));
      await this.storage.transaction(async (repos) => {
        await repos.datasets.insertRows(version.id, rows);
        await repos.datasets.insertQuarantine(version.id, q);
      });
      stored += rows.length;
      quarantineCount += q.length;
      pending = [];
      quarantined = [];
    };
    const take = async (batch: TabularBatch) => {
      if (!classifier && batch.header) {
        header = batch.header;
        classifier = new DatasetClassifier(header);
        inferrer = new SchemaInferrer(header);
      }
      for (const r of batch.records) {
        classifier!.observe(r.fields);
        inferrer!.observe(r.fields);
        pending.push(r);
      }
      for (const r of batch.rejected) {
        quarantined.push({ rowNo: r.row, line: r.line, reason: r.code, raw: r.raw });
      }
      if (!handling && pending.length >= POLICY_SAMPLE_ROWS) {
        handling = this.decide(classifier!);
      }
      await flush(false);
    };

    for await (const batch of source.batches()) {
      await take(batch);
    }
    if (!classifier) {
      // Every source throws its own coded error for a table without a header; this is the backstop.
      throw new HavenError('HAVEN_INTERNAL');
    }
    if (!handling) {
      handling = this.decide(classifier!);
    }
    await flush(true);
    const classification = classifier!.result();
    assertNoSecrets(classification);
    const drift = handlingDrift(handling, classification);
    if (drift.length > 0) {
      throw new HavenError('HAVEN_INGEST_POLICY_DRIFT', undefined, { detail: { columns: drift.join(',') } });
    }
    const schema = redactSchema(inferrer!.finish(), handling);
    await this.storage.transaction((repos) => repos.datasets.updateVersion(version.id, { header: [...header], schema }));
    return {
      dataset: dataset.name,
      version: version.version,
      status: 'ready' as const,
      sha256: source.sha256(),
      rowsRead: stored + quarantineCount,
      rowsStored: stored,
      rowsQuarantined: quarantineCount,
      classification,
      handling,
    };
  }

  private decide(classifier: DatasetClassifier): ColumnHandling[] {
    const sample = classifier.result();
    assertNoSecrets(sample);
    return decideHandling(sample);
  }

  private toDocument(
    r: TabularRecord,
    header: readonly string[],
    handling: readonly ColumnHandling[],
    cipher: { encrypt(column: string, recordId: string, value: string): string },
    pseudonym: (value: string) => string,
    recordId: string,
  ): RowDocument {
    const doc: RowDocument = { v: {}, p: {}, e: {} };
    for (let i = 0; i < header.length; i++) {
      const column = header[i]!;
      const value = r.fields[i] ?? '';
      const action = handling[i]!.action;
      if (action === 'plain') {
        doc.v[column] = value;
        continue;
      }
      if (value === '') {
        continue;
      }
      if (action === 'pseudonymise') {
        doc.p[column] = pseudonym(value);
      }
      doc.e[column] = cipher.encrypt(column, recordId, value);
    }
    return doc;
  }
}
