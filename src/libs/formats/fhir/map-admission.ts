import { HavenError } from '../../../errors/haven-error.js';
import { DEFAULT_FHIR_LIMITS, type FhirLimits } from './check-limits.js';
import { checkSubject } from './check-subject.js';
import { collectResources } from './collect-resources.js';
import { mapConditions, type ConditionOptions } from './map-conditions.js';
import { encounterId, facility, periodDate, readmissionCount } from './map-encounter.js';
import { mapObservations } from './map-observations.js';
import { mapPatient, patientRef } from './map-patient.js';
import { formatMdy } from './los-date.js';
import { LAB_COLUMNS, type AdmissionRecord, type LabColumn } from './los-record.js';
import type { MappingNote, UnknownCode } from './mapping-report.js';

/** Options of mapAdmission. */
export interface AdmissionOptions extends ConditionOptions {
  /** Size limits (defaults DEFAULT_FHIR_LIMITS). */
  readonly limits?: FhirLimits | undefined;
}

/** The result of mapping one admission message. */
export interface AdmissionMapping {
  /** The record (31 columns minus discharged/lengthofstay); missing values are null. */
  readonly record: AdmissionRecord;
  /** The original `encounter.period.start` text (with time and offset), for audit. */
  readonly admittedAt: string;
  /** Which shape the message had. */
  readonly shape: 'bundle' | 'legacy';
  /** Codes the mapping does not know (reported, not dropped silently). */
  readonly unknownCodes: readonly UnknownCode[];
  /** Duplicates, unit mismatches, skipped statuses, roundings. */
  readonly notes: readonly MappingNote[];
}

/**
 * Validates an admission message (R4 Bundle or the legacy `{patient, encounter, observations, conditions}` object)
 * and maps it to the length-of-stay record as /work/shared/fhir/README.md specifies. Pure. Throws a HavenError
 * (HAVEN_FHIR_*) for any invalid input, never anything else.
 * @param input - the parsed JSON message (untrusted)
 * @param options - limits and the inactive-condition rule
 */
export function mapAdmission(input: unknown, options: AdmissionOptions = {}): AdmissionMapping {
  try {
    return mapAdmissionUnchecked(input, options);
  } catch (err) {
    if (err instanceof HavenError) {
      throw err;
    }
    // A bug or an exotic input (e.g. a Proxy) must not escape as a raw error that could echo values.
    throw new HavenError('HAVEN_FHIR_INVALID_SHAPE', undefined, { detail: { reason: 'unreadable message' } });
  }
}

function mapAdmissionUnchecked(input: unknown, options: AdmissionOptions): AdmissionMapping {
  const limits = options.limits ?? DEFAULT_FHIR_LIMITS;
  const msg = collectResources(input, limits);
  if (msg.patient === undefined) {
    throw new HavenError('HAVEN_FHIR_MISSING_PATIENT');
  }
  const enc = msg.encounter;
  const eid = encounterId(enc.resource);
  const start = periodDate(enc.resource, enc.path, 'start');
  const unknownCodes: UnknownCode[] = [];
  const notes: MappingNote[] = [];
  const ref = patientRef(msg.patient.resource);
  checkSubject(enc.resource, enc.path, ref);
  const patient = mapPatient(msg.patient.resource, msg.patient.path);
  const obs = mapObservations(msg.observations, ref, unknownCodes, notes);
  const flags = mapConditions(msg.conditions, ref, unknownCodes, notes, options);
  const labs = Object.fromEntries(LAB_COLUMNS.map((c) => [c, obs[c] ?? null])) as Record<LabColumn, number | null>;
  const record: AdmissionRecord = {
    First: patient.First,
    Middle: patient.Middle,
    Last: patient.Last,
    eid,
    vdate: formatMdy(start.date),
    rcount: readmissionCount(enc.resource, enc.path),
    gender: patient.gender,
    ...flags,
    ...labs,
    // The README: absent secondary-diagnosis count means none (0), unlike labs.
    secondarydiagnosisnonicd9: obs.secondarydiagnosisnonicd9 ?? 0,
    facid: facility(enc.resource, enc.path, unknownCodes),
  };
  return { record, admittedAt: start.text, shape: msg.shape, unknownCodes, notes };
}
