import { HavenError } from '../../errors/haven-error.js';
import type { ColumnClassification } from '../../libs/classify/index.js';
import { formatCsvRecord } from '../../libs/formats/csv/index.js';
import {
  createDeidentifier,
  type ColumnLabels,
  type ColumnReport,
  type DeidAction,
  type DeidRow,
  type DeidValue,
} from '../../libs/privacy/deidentify/index.js';
import { planColumn } from '../../libs/privacy/deidentify/plan-columns.js';
import type { Principal } from '../access/policy.js';
import type { AuditService } from '../audit/audit-service.js';
import type { Clock, Storage } from '../ports.js';
import { deidLabelsOf } from './deidentified-export-labels.js';
import type { ColumnHandling } from './handling-policy.js';
import type { RowDocument } from './label-override-rows.js';
import { rowRecordId } from './row-ciphertexts.js';

/** Field protection the export needs (KeyService satisfies it): reading ciphertexts and keyed pseudonyms. */
export interface ExportProtection {
  datasetCipher(
    storage: Storage,
    workspace: string,
    dataset: string,
    reserve?: number,
  ): Promise<{ decrypt(column: string, recordId: string, text: string): Buffer }>;
  pseudonymiser(storage: Storage, workspace: string): Promise<(value: string, opts?: { domain?: string; length?: number }) => string>;
}

/** How dates are de-identified: the year only (Safe Harbor), or shifted per patient (intervals kept). */
export type ExportDates = 'year' | 'shift';

/** Options of a de-identified export. */
export interface DeidExportOptions {
  readonly dates?: ExportDates | undefined;
  /** The pseudonymised column naming the patient, which keys the date shift (default: an MRN column, else the first pseudonymised one). */
  readonly patientColumn?: string | undefined;
}

/** What an export will do, known before any row is read: the action of every column. */
export interface DeidExportPlan {
  readonly dataset: string;
  readonly version: number;
  readonly dates: ExportDates;
  /** Birth years at or before referenceYear - 90 are top-coded. */
  readonly referenceYear: number;
  readonly patientColumn: string | null;
  readonly maxShiftDays: number | null;
  /** Output columns, in order. */
  readonly columns: readonly string[];
  readonly dropped: readonly string[];
  readonly generalised: readonly string[];
  readonly shifted: readonly string[];
  readonly pseudonymised: readonly string[];
  readonly kept: readonly string[];
  /** Every input column: its Safe Harbor label and kind, and the action. */
  readonly actions: readonly { readonly column: string; readonly label: string; readonly kind: string | null; readonly action: DeidAction }[];
  /** Set when the column lists were left out of an HTTP header (a table too wide to list there). */
  readonly listsOmitted?: boolean;
}

/** Counts of one export (never values). */
export interface DeidExportTotals {
  /** Values changed: generalised, shifted, coded or removed. */
  readonly changed: number;
  /** Values that could not be transformed safely and were left empty. */
  readonly suppressed: number;
  /** Ages written as 90+ and birth years top-coded. */
  readonly topCoded: number;
  /** ZIP codes of a restricted 3-digit area, written 000. */
  readonly restrictedZip: number;
}

/** What an export did: the plan, the rows written, the totals, and per column (counts only, never values). */
export interface DeidExportReport extends DeidExportPlan {
  readonly rows: number;
  readonly totals: DeidExportTotals;
  readonly perColumn: readonly ColumnReport[];
}

/** An export ready to stream: the plan now, the CSV text in chunks, then the report. */
export interface DeidExportStream {
  readonly plan: DeidExportPlan;
  /** The CSV (header first), in chunks of rows. Iterate once; the audit entry is written when it ends or stops. */
  csv(): AsyncGenerator<string>;
  /** The report, once `csv()` has been read to the end. */
  report(): DeidExportReport | undefined;
}

/** Largest per-patient date shift, in days either way (never zero). */
export const MAX_SHIFT_DAYS = 365;
const PAGE_ROWS = 1000;
/** Domain labels of the keyed HMACs (the workspace pseudonym key), so export codes never equal the internal pseudonyms. */
const EXPORT_PSEUDONYM_DOMAIN = 'haven.deid.export.v1';
const DATE_SHIFT_DOMAIN = 'haven.deid.date-shift.v1';
const GENERALISING: ReadonlySet<DeidAction> = new Set(['zip3', 'age_top_code', 'date_to_year', 'birth_date_to_year']);
/** Actions that need the value itself; for a column stored encrypted it is decrypted inside the server, transformed, and never written as it was. */
const NEEDS_VALUE: ReadonlySet<DeidAction> = new Set(['zip3', 'date_to_year', 'birth_date_to_year', 'date_shift']);

/**
 * A shift in [-maxDays, -1] ∪ [1, maxDays] from a keyed digest (base64url of at least 8 bytes).
 * @param digest - base64url HMAC output
 * @param maxDays - largest shift
 */
export function shiftFromDigest(digest: string, maxDays: number): number {
  const r = Number(Buffer.from(digest, 'base64url').readBigUInt64BE(0) % BigInt(2 * maxDays));
  return r < maxDays ? r - maxDays : r - maxDays + 1;
}

/** Where each output cell comes from in a stored row. */
type Source = 'plain' | 'pseudonym' | 'decrypt' | 'presence';

function summary(
  actions: ReadonlyMap<string, DeidAction>,
  header: readonly string[],
): Pick<DeidExportPlan, 'dropped' | 'generalised' | 'shifted' | 'pseudonymised' | 'kept'> {
  const of = (test: (a: DeidAction) => boolean) => header.filter((c) => test(actions.get(c) ?? 'drop'));
  return {
    dropped: of((a) => a === 'drop'),
    generalised: of((a) => GENERALISING.has(a)),
    shifted: of((a) => a === 'date_shift'),
    pseudonymised: of((a) => a === 'pseudonymise'),
    kept: of((a) => a === 'keep'),
  };
}

function totalsOf(perColumn: readonly ColumnReport[]): DeidExportTotals {
  const sum = (k: keyof DeidExportTotals) => perColumn.reduce((n, c) => n + c[k], 0);
  return { changed: sum('changed'), suppressed: sum('suppressed'), topCoded: sum('topCoded'), restrictedZip: sum('restrictedZip') };
}

/**
 * De-identified export of a dataset version as CSV (HIPAA Safe Harbor, libs/privacy/deidentify): direct identifiers
 * dropped or generalised (ZIP3 with the small-population rule, dates to the year or shifted per patient with a keyed
 * per-workspace shift, birth years top-coded), ages over 89 grouped, unique ids replaced by keyed export codes, free
 * text and unlabelled columns dropped; every cell through the formula-injection guard. Encrypted values are decrypted
 * only to be generalised or shifted, never written as they were. Audited with counts. See ADR 0031.
 */
export class DeidentifiedExport {
  /**
   * @param storage - the database
   * @param audit - the ledger
   * @param clock - time source (the reference year for top-coding)
   * @param protection - decryption and keyed pseudonyms
   */
  constructor(
    private readonly storage: Storage,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly protection: () => Promise<ExportProtection>,
  ) {}

  /**
   * Check the request and prepare the stream (nothing is read from the rows yet; every refusal happens here).
   * @param principal - the data steward
   * @param workspaceId - workspace id
   * @param datasetName - dataset name
   * @param version - version number
   * @param opts - dates and patient column
   * @param requestId - for the ledger
   */
  async open(
    principal: Principal,
    workspaceId: string,
    datasetName: string,
    version: number,
    opts: DeidExportOptions,
    requestId: string,
  ): Promise<DeidExportStream> {
    const event = { actor: principal.subject, action: 'dataset.export_deidentified', resource: `dataset:${datasetName}@${version}`, requestId };
    try {
      return await this.prepare(workspaceId, datasetName, version, opts, (outcome, detail) =>
        this.audit.record(this.storage, { ...event, outcome, detail }).then(() => undefined),
      );
    } catch (err) {
      await this.audit.record(this.storage, { ...event, outcome: 'failure', detail: { code: err instanceof HavenError ? err.code : 'HAVEN_INTERNAL' } });
      throw err;
    }
  }

  private async prepare(
    workspaceId: string,
    datasetName: string,
    version: number,
    opts: DeidExportOptions,
    record: (outcome: 'success' | 'failure', detail: Record<string, string | number | boolean>) => Promise<void>,
  ): Promise<DeidExportStream> {
    const d = await this.storage.read.datasets.datasetByName(workspaceId, datasetName);
    const v = d ? await this.storage.read.datasets.version(d.id, version) : undefined;
    if (!d || !v) {
      throw new HavenError('HAVEN_HTTP_NOT_FOUND');
    }
    if (v.status !== 'ready' && v.status !== 'published') {
      throw new HavenError('HAVEN_INGEST_VERSION_STATE', undefined, { detail: { status: v.status } });
    }
    const header = v.header ?? [];
    const handling = new Map(((v.policy ?? []) as ColumnHandling[]).map((h) => [h.column, h.action]));
    const protectedColumns = new Set(header.filter((c) => handling.get(c) !== 'plain'));
    const labels: Record<string, ColumnLabels[string]> = { ...deidLabelsOf((v.classification ?? []) as ColumnClassification[], protectedColumns) };
    const dates = opts.dates ?? 'year';
    const referenceYear = this.clock.now().getUTCFullYear();
    const planOpts = { dates, hasPseudonym: true, hasShift: true, hasReferenceYear: true };
    // A unique id that was encrypted but not pseudonymised has no stored code to export from: drop it (never decrypt it).
    for (const c of header) {
      const label = labels[c];
      if (label !== undefined && planColumn(label, planOpts) === 'pseudonymise' && handling.get(c) !== 'pseudonymise') {
        labels[c] = { label: 'direct_identifier', kind: 'other' };
      }
    }
    const actions = new Map(header.map((c) => [c, planColumn(labels[c], planOpts)]));
    const patientColumn =
      dates === 'shift' ? this.patientColumnOf(header, handling, (v.classification ?? []) as ColumnClassification[], opts.patientColumn) : null;
    const sources = new Map<string, Source>(
      header.map((c) => {
        const action = actions.get(c)!;
        const stored = handling.get(c) ?? 'plain';
        const source: Source =
          action === 'drop'
            ? 'presence'
            : action === 'pseudonymise'
              ? 'pseudonym'
              : stored === 'plain'
                ? 'plain'
                : NEEDS_VALUE.has(action)
                  ? 'decrypt'
                  : 'presence';
        return [c, source];
      }),
    );
    const columns = header.filter((c) => actions.get(c) !== 'drop');
    const plan: DeidExportPlan = {
      dataset: datasetName,
      version,
      dates,
      referenceYear,
      patientColumn,
      maxShiftDays: dates === 'shift' ? MAX_SHIFT_DAYS : null,
      columns,
      ...summary(actions, header),
      actions: header.map((c) => {
        const label = labels[c];
        return { column: c, label: label?.label ?? 'unlabelled', kind: label !== undefined && 'kind' in label ? label.kind : null, action: actions.get(c)! };
      }),
    };
    const protection = await this.protection();
    const cipher = await protection.datasetCipher(this.storage, workspaceId, d.id, 0);
    const keyed = await protection.pseudonymiser(this.storage, workspaceId);
    let currentPatient: string | null = null;
    let currentRecord = '';
    const deidentifier = createDeidentifier({
      labels,
      dates,
      referenceYear,
      // Hex (96 bits): base64url codes may begin with '-', which the formula guard would alter.
      pseudonym: (value) => Buffer.from(keyed(value, { domain: EXPORT_PSEUDONYM_DOMAIN }), 'base64url').toString('hex'),
      patientKey: () => (currentPatient !== null ? `patient:${currentPatient}` : `row:${currentRecord}`),
      shiftDays: (key) => shiftFromDigest(keyed(key, { domain: DATE_SHIFT_DOMAIN, length: 43 }), MAX_SHIFT_DAYS),
    });
    const cell = (column: string, doc: RowDocument, recordId: string): DeidValue => {
      switch (sources.get(column)!) {
        case 'plain':
          return doc.v?.[column] ?? null;
        case 'pseudonym':
          return doc.p?.[column] ?? null;
        case 'presence':
          return doc.v?.[column] !== undefined || doc.e?.[column] !== undefined ? '' : null;
        case 'decrypt': {
          const text = doc.e?.[column];
          if (text === undefined) {
            return doc.v?.[column] ?? null;
          }
          const plain = cipher.decrypt(column, recordId, text);
          try {
            return plain.toString('utf8');
          } finally {
            plain.fill(0);
          }
        }
      }
    };
    let finished: DeidExportReport | undefined;
    const storage = this.storage;
    async function* csv(): AsyncGenerator<string> {
      let rows = 0;
      let outcome: 'success' | 'failure' = 'failure';
      let code = 'HAVEN_INGEST_INTERRUPTED';
      try {
        yield formatCsvRecord(columns);
        for (let after = 0; ;) {
          const page = await storage.read.datasets.rows(v!.id, after, PAGE_ROWS);
          let chunk = '';
          for (const r of page) {
            const doc = JSON.parse(r.data) as RowDocument;
            currentRecord = rowRecordId(v!.version, r.rowNo);
            currentPatient = patientColumn !== null ? (doc.p?.[patientColumn] ?? null) : null;
            const row: Record<string, DeidValue> = {};
            for (const c of header) {
              row[c] = cell(c, doc, currentRecord);
            }
            const out = deidentifier.transform(row as DeidRow, rows);
            chunk += formatCsvRecord(columns.map((c) => (out[c] === null || out[c] === undefined ? '' : String(out[c]))));
            rows++;
          }
          if (chunk !== '') {
            yield chunk;
          }
          if (page.length < PAGE_ROWS) {
            break;
          }
          after = page.at(-1)!.rowNo;
        }
        const perColumn = deidentifier.report();
        finished = { ...plan, rows, totals: totalsOf(perColumn), perColumn };
        outcome = 'success';
      } catch (err) {
        code = err instanceof HavenError ? err.code : 'HAVEN_INTERNAL';
        throw err;
      } finally {
        const s = finished;
        const detail =
          outcome === 'success' && s
            ? {
                rows,
                dates,
                columns: s.columns.length,
                dropped: s.dropped.length,
                generalised: s.generalised.length,
                shifted: s.shifted.length,
                pseudonymised: s.pseudonymised.length,
                ...s.totals,
              }
            : { rows, code };
        await record(outcome, detail);
      }
    }
    return { plan, csv, report: () => finished };
  }

  /** The pseudonymised column that names the patient: the one asked for, else an MRN column, else the first pseudonymised one. */
  private patientColumnOf(
    header: readonly string[],
    handling: ReadonlyMap<string, string>,
    classification: readonly ColumnClassification[],
    asked: string | undefined,
  ): string {
    const pseudonymised = header.filter((c) => handling.get(c) === 'pseudonymise');
    if (asked !== undefined) {
      if (!pseudonymised.includes(asked)) {
        throw new HavenError('HAVEN_INGEST_EXPORT_NO_PATIENT_KEY', undefined, { detail: { reason: 'not_pseudonymised' } });
      }
      return asked;
    }
    const mrn = classification.find((c) => c.kind === 'mrn' && pseudonymised.includes(c.column));
    const chosen = mrn?.column ?? pseudonymised[0];
    if (chosen === undefined) {
      throw new HavenError('HAVEN_INGEST_EXPORT_NO_PATIENT_KEY', undefined, { detail: { reason: 'none' } });
    }
    return chosen;
  }
}
