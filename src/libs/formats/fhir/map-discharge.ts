import { HavenError } from '../../../errors/haven-error.js';
import { DEFAULT_FHIR_LIMITS, type FhirLimits } from './check-limits.js';
import { collectResources } from './collect-resources.js';
import { encounterId } from './map-encounter.js';
import { parseFhirDate } from './fhir-date.js';
import { optObject, optString } from './fhir-json.js';
import { formatMdy, parseMdy, toEpochDay } from './los-date.js';
import type { AdmissionRecord, DischargedRecord } from './los-record.js';

/** A discharge message reduced to what the record needs. */
export interface Discharge {
  /** The encounter id (the record key). */
  readonly eid: number;
  /** Discharge date, M/D/YYYY (the local date of `encounter.period.end`). */
  readonly discharged: string;
  /** The original `encounter.period.end` text, for audit. */
  readonly dischargedAt: string;
}

/**
 * Validates a discharge message (`{patient, encounter}` or an R4 Bundle with the Encounter) and extracts the encounter
 * id and `encounter.period.end`. The message's `period.start` is ignored: the admission on file is the truth.
 * Throws HAVEN_FHIR_* errors only.
 * @param input - the parsed JSON message (untrusted)
 * @param limits - size limits
 */
export function mapDischarge(input: unknown, limits: FhirLimits = DEFAULT_FHIR_LIMITS): Discharge {
  try {
    const msg = collectResources(input, limits);
    const enc = msg.encounter;
    const eid = encounterId(enc.resource);
    const period = optObject(enc.resource, 'period', enc.path);
    const end = period === undefined ? undefined : optString(period, 'end', `${enc.path}.period`);
    if (end === undefined) {
      throw new HavenError('HAVEN_FHIR_MISSING_DISCHARGE_DATE');
    }
    return { eid, discharged: formatMdy(parseFhirDate(end, `${enc.path}.period.end`)), dischargedAt: end };
  } catch (err) {
    if (err instanceof HavenError) {
      throw err;
    }
    throw new HavenError('HAVEN_FHIR_INVALID_SHAPE', undefined, { detail: { reason: 'unreadable message' } });
  }
}

/**
 * Applies a discharge to an admitted record: sets `discharged` and `lengthofstay` = whole calendar days from vdate
 * (0 for a same-day discharge). Pure. Throws HAVEN_FHIR_ENCOUNTER_MISMATCH (other eid),
 * HAVEN_FHIR_ALREADY_DISCHARGED (record already has a discharge date), HAVEN_FHIR_DISCHARGE_BEFORE_ADMISSION.
 * @param admission - the stored admission record
 * @param discharge - the discharge from mapDischarge
 */
export function applyDischarge(
  admission: AdmissionRecord & { discharged?: string | null | undefined },
  discharge: Discharge,
): DischargedRecord {
  if (admission.eid !== discharge.eid) {
    throw new HavenError('HAVEN_FHIR_ENCOUNTER_MISMATCH', undefined, { detail: { eid: admission.eid } });
  }
  if (admission.discharged !== undefined && admission.discharged !== null) {
    throw new HavenError('HAVEN_FHIR_ALREADY_DISCHARGED', undefined, { detail: { eid: admission.eid } });
  }
  const start = parseMdy(admission.vdate);
  const end = parseMdy(discharge.discharged);
  if (start === null || end === null) {
    throw new HavenError('HAVEN_FHIR_INVALID_DATE', undefined, { detail: { eid: admission.eid } });
  }
  const days = toEpochDay(end) - toEpochDay(start);
  if (days < 0) {
    throw new HavenError('HAVEN_FHIR_DISCHARGE_BEFORE_ADMISSION', undefined, { detail: { eid: admission.eid } });
  }
  return { ...admission, discharged: discharge.discharged, lengthofstay: days };
}
