import type { CellRef } from '../../libs/crypto/field-cipher.js';
import { actualStaySection, type ComputedSection } from '../../libs/stay-reports/actual-stay.js';
import { EXACT_FIGURES, isProtected, PROTECTED_DISCLOSURE, type DisclosureOptions } from '../../libs/stay-reports/disclosure-options.js';
import { patientSlices } from '../../libs/stay-reports/patient-list.js';
import { dischargedSection, inHospitalSection } from '../../libs/stay-reports/predicted-stay.js';
import type {
  ActualStayReport,
  DisclosureApplied,
  PatientList,
  PatientRow,
  PredictedStayReport,
  Section,
  StayFilter,
} from '../../libs/stay-reports/report-types.js';
import { sliceLabel } from '../../libs/stay-reports/stay-filter.js';
import type { StayRow } from '../../libs/stay-reports/stay-row.js';
import { can, type Principal } from '../access/policy.js';
import type { AuditService } from '../audit/audit-service.js';
import { ENCOUNTER_KEY_ID, NAME_COLUMNS, type EncounterProtection } from '../encounters/encounter-service.js';
import type { Clock, Storage } from '../ports.js';
import { ReleaseGuard, type SliceDecision } from './release-guard.js';
import { StayCache } from './stay-cache.js';

/** Settings of the report service. */
export interface ReportSettings {
  /** Secret salt of the differencing guard's sketches (derived from a deployment secret; never stored with them). */
  readonly salt: string;
  /** Disclosure control for roles without row-level access (default PROTECTED_DISCLOSURE). */
  readonly disclosure?: DisclosureOptions | undefined;
  /** The most patients of each list in the row-level view (default 500). */
  readonly patientLimit?: number | undefined;
}

type SectionName = 'actual.discharged' | 'predicted.inHospital' | 'predicted.discharged' | 'predicted.patients';

/**
 * The dashboard's length-of-stay reports. Aggregates are computed on the server from the workspace's encounters
 * (parsed once per data version) and, for roles without row-level access, published under disclosure control: small
 * and dominated cells suppressed with secondary suppression, counts rounded, and every slice checked by the
 * differencing guard against what the same user was shown before. Roles with row-level access (clinicians, who admit
 * the patients) get exact figures and the patient list; names only for patients they admitted.
 */
export class ReportService {
  private readonly stays: StayCache;
  private readonly guard: ReleaseGuard;
  private readonly disclosure: DisclosureOptions;
  private readonly patientLimit: number;
  private readonly sections = new Map<string, ComputedSection<unknown>>();

  constructor(
    private readonly storage: Storage,
    audit: AuditService,
    clock: Clock,
    private readonly protection: () => Promise<EncounterProtection>,
    settings: ReportSettings,
  ) {
    this.disclosure = settings.disclosure ?? PROTECTED_DISCLOSURE;
    this.patientLimit = settings.patientLimit ?? 500;
    this.stays = new StayCache(storage);
    this.guard = new ReleaseGuard(storage, audit, clock, settings.salt, this.disclosure.threshold);
  }

  /**
   * Actual length of stay of the workspace's discharged encounters in a slice.
   * @param principal - the reader
   * @param workspaceId - workspace id
   * @param filter - facility and admission months (validated by the caller)
   * @param requestId - for the ledger
   */
  async actual(principal: Principal, workspaceId: string, filter: StayFilter, requestId: string): Promise<ActualStayReport> {
    const o = this.optionsFor(principal, workspaceId);
    const { version, rows } = await this.stays.get(workspaceId);
    const computed = this.computed(workspaceId, version, 'actual.discharged', filter, o, () => actualStaySection(rows, filter, o));
    const [decision] = await this.decide(principal, workspaceId, version, o, [{ name: 'actual.discharged', filter, computed }], requestId);
    return { filter, disclosure: disclosureOf(o, [decision!.released ? computed : undefined]), discharged: sectionOf(computed, decision!, o) };
  }

  /**
   * Predicted length of stay: patients in hospital, and predicted against actual after discharge.
   * @param principal - the reader
   * @param workspaceId - workspace id
   * @param filter - the facility (months do not apply)
   * @param requestId - for the ledger
   */
  async predicted(principal: Principal, workspaceId: string, filter: StayFilter, requestId: string): Promise<PredictedStayReport> {
    const o = this.optionsFor(principal, workspaceId);
    const f: StayFilter = { facility: filter.facility };
    const { version, rows } = await this.stays.get(workspaceId);
    const inH = this.computed(workspaceId, version, 'predicted.inHospital', f, o, () => inHospitalSection(rows, f, o));
    const dis = this.computed(workspaceId, version, 'predicted.discharged', f, o, () => dischargedSection(rows, f, o));
    const [d1, d2] = await this.decide(
      principal,
      workspaceId,
      version,
      o,
      [
        { name: 'predicted.inHospital', filter: f, computed: inH },
        { name: 'predicted.discharged', filter: f, computed: dis },
      ],
      requestId,
    );
    return {
      filter: f,
      disclosure: disclosureOf(o, [d1!.released ? inH : undefined, d2!.released ? dis : undefined]),
      inHospital: sectionOf(inH, d1!, o),
      discharged: sectionOf(dis, d2!, o),
    };
  }

  /**
   * The row-level view (callers must hold report:patients): patients in hospital with their prediction, and scored
   * discharged patients with predicted and actual stay. Names are decrypted only for patients the caller admitted.
   * @param principal - the clinician
   * @param workspaceId - workspace id
   * @param filter - the facility
   */
  async patients(principal: Principal, workspaceId: string, filter: StayFilter): Promise<PatientList> {
    const { version, rows } = await this.stays.get(workspaceId);
    const lists = this.computed(workspaceId, version, 'predicted.patients', filter, EXACT_FIGURES, () => {
      const l = patientSlices(rows, { facility: filter.facility }, this.patientLimit);
      return { section: l, recordIds: [], suppressed: { primary: 0, secondary: 0 } };
    }).section;
    const own = lists.inHospital.filter((r) => r.admittedBy === principal.subject);
    const names = await this.namesOf(workspaceId, own);
    const view = (r: StayRow): PatientRow => ({
      eid: r.eid,
      facility: r.facility,
      admitted: r.vdate,
      names: names.get(r.id) ?? null,
      predicted: r.prediction?.predicted ?? null,
      interval: r.prediction?.interval ?? null,
      outOfDistribution: r.prediction?.ood ?? false,
      oodFeatures: r.prediction?.oodFeatures ?? [],
      errorCode: r.prediction?.errorCode ?? null,
      actual: r.lengthOfStay,
    });
    return { inHospital: lists.inHospital.map(view), discharged: lists.discharged.map(view), truncated: lists.truncated };
  }

  private optionsFor(principal: Principal, workspaceId: string): DisclosureOptions {
    return can(principal, 'report:patients', workspaceId) ? EXACT_FIGURES : this.disclosure;
  }

  private computed<T>(
    workspaceId: string,
    version: string,
    name: SectionName,
    filter: StayFilter,
    o: DisclosureOptions,
    compute: () => ComputedSection<T>,
  ): ComputedSection<T> {
    const key = [workspaceId, version, sliceLabel(name, o === EXACT_FIGURES ? 'exact' : 'protected', filter)].join('\u0000');
    const hit = this.sections.get(key) as ComputedSection<T> | undefined;
    if (hit) {
      return hit;
    }
    const value = compute();
    if (this.sections.size >= 256) {
      this.sections.delete(this.sections.keys().next().value!);
    }
    this.sections.set(key, value);
    return value;
  }

  private async decide(
    principal: Principal,
    workspaceId: string,
    version: string,
    o: DisclosureOptions,
    parts: readonly { name: SectionName; filter: StayFilter; computed: ComputedSection<unknown> }[],
    requestId: string,
  ): Promise<SliceDecision[]> {
    if (!isProtected(o)) {
      return parts.map(() => ({ released: true }));
    }
    const slices = parts.map((p) => ({ label: sliceLabel(p.name, 'slice', p.filter), recordIds: p.computed.recordIds }));
    return this.guard.release(principal.subject, workspaceId, version, slices, requestId);
  }

  private async namesOf(workspaceId: string, rows: readonly StayRow[]): Promise<Map<string, NonNullable<PatientRow['names']>>> {
    const out = new Map<string, NonNullable<PatientRow['names']>>();
    const stored = await this.storage.read.reports.namesOf(
      workspaceId,
      rows.map((r) => r.id),
    );
    const withNames = stored
      .map((s) => ({ id: s.id, names: JSON.parse(s.names) as Partial<Record<(typeof NAME_COLUMNS)[number], string>> }))
      .filter((s) => Object.keys(s.names).length > 0);
    if (withNames.length === 0) {
      return out;
    }
    const keys = await this.protection();
    for (const s of withNames) {
      const plain: Record<string, string | null> = {};
      for (const c of NAME_COLUMNS) {
        const text = s.names[c];
        const cell: CellRef = { workspace: workspaceId, dataset: ENCOUNTER_KEY_ID, column: c, recordId: s.id };
        plain[c] = text === undefined ? null : (await keys.decryptField(this.storage, cell, text)).toString('utf8');
      }
      out.set(s.id, { first: plain.First ?? null, middle: plain.Middle ?? null, last: plain.Last ?? null });
    }
    return out;
  }
}

function sectionOf<T>(computed: ComputedSection<T>, decision: SliceDecision, o: DisclosureOptions): Section<T> {
  if (!decision.released) {
    return { status: 'refused', code: decision.code, threshold: o.threshold };
  }
  return { status: 'released', ...computed.section };
}

function disclosureOf(o: DisclosureOptions, released: readonly (ComputedSection<unknown> | undefined)[]): DisclosureApplied {
  const shown = released.filter((c): c is ComputedSection<unknown> => c !== undefined);
  return {
    applied: isProtected(o),
    threshold: o.threshold,
    roundingBase: o.base,
    dominance: { n: o.dominanceN, k: o.dominanceK },
    suppressed: { primary: shown.reduce((a, c) => a + c.suppressed.primary, 0), secondary: shown.reduce((a, c) => a + c.suppressed.secondary, 0) },
  };
}
