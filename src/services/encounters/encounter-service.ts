import { randomUUID } from 'node:crypto';
import { HavenError } from '../../errors/haven-error.js';
import { applyDischarge, mapAdmission, mapDischarge, type AdmissionRecord, type MappingNote, type UnknownCode } from '../../libs/formats/fhir/index.js';
import type { CellRef } from '../../libs/crypto/field-cipher.js';
import type { Principal } from '../access/policy.js';
import type { AuditService } from '../audit/audit-service.js';
import type { Clock, Storage } from '../ports.js';
import type { EncounterRecord } from './encounter-ports.js';
import type { AdmissionPrediction } from '../models/admission-scoring.js';

/** Scoring of admissions (AdmissionScoring satisfies it); absent when the instance serves no models. */
export interface AdmissionPredictions {
  score(
    principal: Principal,
    workspaceId: string,
    encounterId: string,
    record: Readonly<Record<string, string | number | null>>,
    requestId: string,
  ): Promise<AdmissionPrediction>;
  get(encounterId: string): Promise<AdmissionPrediction | null>;
}

/** Field encryption the service needs from the key service (KeyService satisfies it). Call outside transactions. */
export interface EncounterProtection {
  encryptField(storage: Storage, cell: CellRef, value: string): Promise<string>;
  decryptField(storage: Storage, cell: CellRef, text: string): Promise<Buffer>;
}

/** The pseudo-dataset id the per-workspace key and the ciphertexts' associated data name. */
export const ENCOUNTER_KEY_ID = 'encounters';

/** The direct identifiers of the record: the only columns stored encrypted. */
export const NAME_COLUMNS = ['First', 'Middle', 'Last'] as const;
type NameColumn = (typeof NAME_COLUMNS)[number];

/** The stored record's columns after discharge; names are present only for the admitting clinician. */
export type EncounterRecordView = Omit<AdmissionRecord, NameColumn> &
  Partial<Pick<AdmissionRecord, NameColumn>> & { discharged: string | null; lengthofstay: number | null };

/** Who did what when (no PHI). */
export interface EncounterSummary {
  readonly eid: number;
  readonly vdate: string;
  readonly admittedBy: string;
  readonly admittedAt: string;
  readonly discharged: string | null;
  readonly lengthofstay: number | null;
  readonly dischargedBy: string | null;
  readonly dischargedAt: string | null;
  /** Whether the record in this answer includes the names (only for the admitting clinician). */
  readonly namesShown: boolean;
}

/** An encounter as the API returns it. */
export interface EncounterView {
  readonly encounter: EncounterSummary;
  readonly record: EncounterRecordView;
  readonly unknownCodes: readonly UnknownCode[];
  readonly notes: readonly MappingNote[];
  /** The length-of-stay prediction made at admission (null when the instance scores nothing). */
  readonly prediction: AdmissionPrediction | null;
}

interface StoredReport {
  unknownCodes: UnknownCode[];
  notes: MappingNote[];
}

/**
 * Clinician admissions and discharges from FHIR messages. The mapped record is stored with the names encrypted at
 * field level (key of the workspace's `encounters` pseudo-dataset, associated data bound to the row); every change
 * goes through the audit ledger with ids and codes only.
 */
export class EncounterService {
  constructor(
    private readonly storage: Storage,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly protection: () => Promise<EncounterProtection>,
    private readonly predictions: AdmissionPredictions | undefined = undefined,
  ) {}

  private cell(workspaceId: string, rowId: string, column: NameColumn): CellRef {
    return { workspace: workspaceId, dataset: ENCOUNTER_KEY_ID, column, recordId: rowId };
  }

  /**
   * Map and store an admission. Throws HAVEN_FHIR_* for a bad message, HAVEN_ENCOUNTER_EXISTS for a second admission.
   * @param principal - the admitting clinician
   * @param workspaceId - workspace id
   * @param message - the parsed JSON message (untrusted)
   * @param requestId - for the ledger
   */
  async admit(principal: Principal, workspaceId: string, message: unknown, requestId: string): Promise<EncounterView> {
    const mapping = mapAdmission(message);
    const eid = mapping.record.eid;
    const event = { actor: principal.subject, action: 'encounter.admit', resource: `encounter:${eid}`, requestId };
    // Cheap early refusal (the insert below is the real guard) so a repeat does not spend key invocations.
    if (await this.storage.read.encounters.byEid(workspaceId, eid)) {
      await this.audit.record(this.storage, { ...event, outcome: 'failure', detail: { workspace: workspaceId, code: 'HAVEN_ENCOUNTER_EXISTS' } });
      throw new HavenError('HAVEN_ENCOUNTER_EXISTS', undefined, { detail: { eid } });
    }
    const id = randomUUID();
    // Encrypt before the transaction: the key service runs its own (SQLite has a single connection).
    const names: Partial<Record<NameColumn, string>> = {};
    const keys = NAME_COLUMNS.some((c) => mapping.record[c] !== null) ? await this.protection() : undefined;
    for (const c of NAME_COLUMNS) {
      const v = mapping.record[c];
      if (v !== null && keys) {
        names[c] = await keys.encryptField(this.storage, this.cell(workspaceId, id, c), v);
      }
    }
    const plain = withoutNames(mapping.record);
    const report: StoredReport = { unknownCodes: [...mapping.unknownCodes], notes: [...mapping.notes] };
    const row: EncounterRecord = {
      id,
      workspaceId,
      eid,
      record: JSON.stringify(plain),
      names: JSON.stringify(names),
      report: JSON.stringify(report),
      admittedBy: principal.subject,
      admittedAt: this.clock.now().toISOString(),
      discharged: null,
      lengthOfStay: null,
      dischargedBy: null,
      dischargedAt: null,
    };
    const detail = { workspace: workspaceId, shape: mapping.shape, unknownCodes: report.unknownCodes.length, notes: report.notes.length };
    await this.audit.withAudit(this.storage, { ...event, detail }, async (repos) => {
      if (!(await repos.encounters.insert(row))) {
        throw new HavenError('HAVEN_ENCOUNTER_EXISTS', undefined, { detail: { eid } });
      }
    });
    // Scored after the admission is stored: a scoring failure never loses the admission, it is stored as a failure.
    const prediction = this.predictions ? await this.predictions.score(principal, workspaceId, id, plain, requestId) : null;
    return {
      encounter: summary(row, true),
      record: { ...mapping.record, discharged: null, lengthofstay: null },
      unknownCodes: report.unknownCodes,
      notes: report.notes,
      prediction,
    };
  }

  /**
   * Apply a discharge message to its admitted encounter. Throws HAVEN_FHIR_UNKNOWN_ENCOUNTER,
   * HAVEN_FHIR_ALREADY_DISCHARGED (also when a concurrent discharge won), HAVEN_FHIR_DISCHARGE_BEFORE_ADMISSION.
   * @param principal - the discharging clinician
   * @param workspaceId - workspace id
   * @param message - the parsed JSON message (untrusted)
   * @param requestId - for the ledger
   */
  async discharge(principal: Principal, workspaceId: string, message: unknown, requestId: string): Promise<EncounterSummary> {
    const d = mapDischarge(message);
    const event = { actor: principal.subject, action: 'encounter.discharge', resource: `encounter:${d.eid}`, requestId, detail: { workspace: workspaceId } };
    return this.audit.withAudit(this.storage, event, async (repos) => {
      const stored = await repos.encounters.byEid(workspaceId, d.eid);
      if (!stored) {
        throw new HavenError('HAVEN_FHIR_UNKNOWN_ENCOUNTER', undefined, { detail: { eid: d.eid } });
      }
      const admitted = { ...plainRecord(stored), First: null, Middle: null, Last: null, discharged: stored.discharged };
      const done = applyDischarge(admitted, d);
      const change = {
        discharged: done.discharged,
        lengthOfStay: done.lengthofstay,
        dischargedBy: principal.subject,
        dischargedAt: this.clock.now().toISOString(),
      };
      // Compare-and-set: of two concurrent discharges that both passed applyDischarge, only one updates the row.
      if (!(await repos.encounters.discharge(stored.id, change))) {
        throw new HavenError('HAVEN_FHIR_ALREADY_DISCHARGED', undefined, { detail: { eid: d.eid } });
      }
      return summary(
        { ...stored, discharged: change.discharged, lengthOfStay: change.lengthOfStay, dischargedBy: change.dischargedBy, dischargedAt: change.dischargedAt },
        false,
      );
    });
  }

  /**
   * One encounter. The names are decrypted only for the clinician who admitted it; others get them omitted.
   * Throws HAVEN_FHIR_UNKNOWN_ENCOUNTER.
   * @param principal - the reader
   * @param workspaceId - workspace id
   * @param eid - encounter id
   */
  async get(principal: Principal, workspaceId: string, eid: number): Promise<EncounterView> {
    const stored = await this.storage.read.encounters.byEid(workspaceId, eid);
    if (!stored) {
      throw new HavenError('HAVEN_FHIR_UNKNOWN_ENCOUNTER', undefined, { detail: { eid } });
    }
    const report = JSON.parse(stored.report) as StoredReport;
    const record: EncounterRecordView = { ...plainRecord(stored), discharged: stored.discharged, lengthofstay: stored.lengthOfStay };
    const mayName = stored.admittedBy === principal.subject;
    if (mayName) {
      const names = JSON.parse(stored.names) as Partial<Record<NameColumn, string>>;
      const keys = Object.keys(names).length > 0 ? await this.protection() : undefined;
      for (const c of NAME_COLUMNS) {
        const text = names[c];
        record[c] = text === undefined || !keys ? null : (await keys.decryptField(this.storage, this.cell(workspaceId, stored.id, c), text)).toString('utf8');
      }
    }
    const prediction = this.predictions ? await this.predictions.get(stored.id) : null;
    return { encounter: summary(stored, mayName), record: orderColumns(record), unknownCodes: report.unknownCodes, notes: report.notes, prediction };
  }
}

/**
 * The record without its direct identifiers (what is stored in clear).
 * @param r - a record
 */
export function withoutNames<T extends object>(r: T): Omit<T, NameColumn> {
  return Object.fromEntries(Object.entries(r).filter(([k]) => !(NAME_COLUMNS as readonly string[]).includes(k))) as Omit<T, NameColumn>;
}

function plainRecord(stored: EncounterRecord): Omit<AdmissionRecord, NameColumn> {
  return JSON.parse(stored.record) as Omit<AdmissionRecord, NameColumn>;
}

/** Names first, like the record's column order, so answers read the same for every caller. */
function orderColumns(r: EncounterRecordView): EncounterRecordView {
  const { First, Middle, Last, ...rest } = r;
  return { ...(First === undefined ? {} : { First, Middle: Middle ?? null, Last: Last ?? null }), ...rest };
}

function summary(row: EncounterRecord, namesShown: boolean): EncounterSummary {
  const rec = JSON.parse(row.record) as { vdate: string };
  return {
    eid: row.eid,
    vdate: rec.vdate,
    admittedBy: row.admittedBy,
    admittedAt: row.admittedAt,
    discharged: row.discharged,
    lengthofstay: row.lengthOfStay,
    dischargedBy: row.dischargedBy,
    dischargedAt: row.dischargedAt,
    namesShown,
  };
}
