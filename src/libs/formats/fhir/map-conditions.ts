import { checkSubject } from './check-subject.js';
import { CLINICAL_STATUSES, IGNORED_VERIFICATION, REFERENCE_SHARED_CODES, SNOMED_SYSTEM, SNOMED_TO_COLUMNS, type ClinicalStatus } from './fhir-codes.js';
import { codings, invalidField, optString, own, type JsonObject } from './fhir-json.js';
import type { Located } from './collect-resources.js';
import { FLAG_COLUMNS, type FlagColumn } from './los-record.js';
import type { MappingNote, UnknownCode } from './mapping-report.js';

/** How conditions become flags. */
export interface ConditionOptions {
  /**
   * Count `inactive` and `remission` conditions as present (the reference did). Default false: in FHIR both mean the
   * condition is not currently present, so they do not set "flag during encounter".
   */
  readonly countInactive?: boolean | undefined;
}

/** A status is a bare string (STU3/legacy) or a CodeableConcept (R4); returns its code. */
function statusCode(r: JsonObject, key: string, path: string): string | undefined {
  const v = own(r, key);
  if (typeof v === 'string') {
    return optString(r, key, path);
  }
  const cs = codings(r, key, path);
  return cs.find((c) => c.code !== null)?.code ?? undefined;
}

/**
 * Maps SNOMED CT conditions to the 11 flags: a flag is 1 when any condition with its code counts as present.
 * `resolved` never counts, `active`/`recurrence`/`relapse` always, `inactive`/`remission` per options;
 * refuted or entered-in-error conditions never count. Unknown codes are reported.
 * @param conds - the Condition resources
 * @param patientRef - `Patient/<id>` all conditions must refer to
 * @param unknown - collects codes not in the table
 * @param notes - collects notes
 * @param options - how to count inactive conditions
 */
export function mapConditions(
  conds: readonly Located[], patientRef: string | undefined, unknown: UnknownCode[], notes: MappingNote[], options: ConditionOptions,
): Record<FlagColumn, 0 | 1> {
  const flags = Object.fromEntries(FLAG_COLUMNS.map((c) => [c, 0])) as Record<FlagColumn, 0 | 1>;
  const counted: readonly string[] = options.countInactive === true
    ? ['active', 'recurrence', 'relapse', 'inactive', 'remission']
    : ['active', 'recurrence', 'relapse'];
  const seen = new Set<string>();
  for (const { resource: r, path } of conds) {
    checkSubject(r, path, patientRef);
    const cs = codings(r, 'code', path);
    const hits = cs.filter((c) => c.system === SNOMED_SYSTEM && c.code !== null && Object.hasOwn(SNOMED_TO_COLUMNS, c.code));
    const status = statusCode(r, 'clinicalStatus', path);
    if (status !== undefined && !(CLINICAL_STATUSES as readonly string[]).includes(status)) {
      throw invalidField(`${path}.clinicalStatus`);
    }
    if (hits.length === 0) {
      for (const c of cs.length > 0 ? cs : [{ system: null, code: null }]) {
        unknown.push({ system: c.system, code: c.code, resourceType: 'Condition' });
      }
      continue;
    }
    for (const h of hits) {
      const meant = REFERENCE_SHARED_CODES[h.code!];
      if (meant !== undefined && seen.has(h.code!)) {
        // The reference's way of sending psychother/malnutrition: the same code again. It cannot be told apart from a
        // repeated condition, so the column stays 0, and the reviewer is told.
        notes.push({ kind: 'reference_shared_code', column: meant, path });
      }
      seen.add(h.code!);
    }
    const verification = statusCode(r, 'verificationStatus', path);
    if (verification !== undefined && (IGNORED_VERIFICATION as readonly string[]).includes(verification)) {
      notes.push({ kind: 'ignored_status', column: null, path });
      continue;
    }
    if (status === undefined) {
      // An asserted condition with no clinical status is taken as present: FHIR requires the status unless the
      // condition was entered in error, so a sender that omits it is most likely recording a current problem.
      notes.push({ kind: 'condition_status_absent', column: null, path });
    }
    if (status === undefined || counted.includes(status as ClinicalStatus)) {
      for (const h of hits) {
        for (const col of SNOMED_TO_COLUMNS[h.code!]!) {
          flags[col] = 1;
        }
      }
    }
  }
  return flags;
}
