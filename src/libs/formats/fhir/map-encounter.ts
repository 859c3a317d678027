import { HavenError } from '../../../errors/haven-error.js';
import { RCOUNT_EXTENSION_URL } from './fhir-codes.js';
import { parseFhirDate } from './fhir-date.js';
import { invalidField, isObject, optArray, optObject, optString, own, type JsonObject } from './fhir-json.js';
import type { CalendarDate } from './los-date.js';
import { isFacility, type Facility, type Rcount } from './los-record.js';
import type { UnknownCode } from './mapping-report.js';

/**
 * The encounter id as the record key `eid`: a positive safe integer given as a number (legacy) or a digit string (R4).
 * Throws HAVEN_FHIR_MISSING_ENCOUNTER_ID.
 * @param enc - the Encounter
 */
export function encounterId(enc: JsonObject): number {
  const v = own(enc, 'id');
  let n = Number.NaN;
  if (typeof v === 'number') {
    n = v;
  } else if (typeof v === 'string' && /^[0-9]{1,16}$/.test(v)) {
    n = Number(v);
  }
  if (!Number.isSafeInteger(n) || n <= 0) {
    throw new HavenError('HAVEN_FHIR_MISSING_ENCOUNTER_ID');
  }
  return n;
}

/**
 * A date of `encounter.period` (`start` or `end`). Throws HAVEN_FHIR_INVALID_DATE when absent or invalid.
 * @param enc - the Encounter
 * @param path - the Encounter's path
 * @param which - `start` (admission) or `end` (discharge)
 */
export function periodDate(enc: JsonObject, path: string, which: 'start' | 'end'): { date: CalendarDate; text: string } {
  const period = optObject(enc, 'period', path);
  const text = period === undefined ? undefined : optString(period, which, `${path}.period`);
  return { date: parseFhirDate(text, `${path}.period.${which}`), text: text ?? '' };
}

function rcountFrom(v: unknown, path: string): Rcount {
  if (v === '5+') {
    return '5+';
  }
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^[0-9]{1,6}$/.test(v) ? Number(v) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 0) {
    throw invalidField(path);
  }
  return n >= 5 ? '5+' : (String(n) as Rcount);
}

/**
 * Readmissions in the last 180 days: the legacy non-standard `returnCount`, or the R4 extension
 * RCOUNT_EXTENSION_URL (`valueInteger`). Absent → null (a missing value; the reference defaulted to "1").
 * @param enc - the Encounter
 * @param path - the Encounter's path
 */
export function readmissionCount(enc: JsonObject, path: string): Rcount | null {
  const legacy = own(enc, 'returnCount');
  if (legacy !== undefined && legacy !== null) {
    return rcountFrom(legacy, `${path}.returnCount`);
  }
  const exts = optArray(enc, 'extension', path) ?? [];
  for (let i = 0; i < exts.length; i += 1) {
    const e = exts[i];
    const p = `${path}.extension[${i}]`;
    if (!isObject(e)) {
      throw invalidField(p);
    }
    if (optString(e, 'url', p) === RCOUNT_EXTENSION_URL) {
      return rcountFrom(own(e, 'valueInteger') ?? own(e, 'valueString'), `${p}.valueInteger`);
    }
  }
  return null;
}

/**
 * The facility A..E from `serviceProvider.display`, else from the id in `serviceProvider.reference`
 * (`Organization/B`). An unrecognised provider gives null and is reported as an unknown code.
 * @param enc - the Encounter
 * @param path - the Encounter's path
 * @param unknown - collects unknown codes
 */
export function facility(enc: JsonObject, path: string, unknown: UnknownCode[]): Facility | null {
  const sp = optObject(enc, 'serviceProvider', path);
  if (sp === undefined) {
    return null;
  }
  const display = optString(sp, 'display', `${path}.serviceProvider`);
  if (display !== undefined && isFacility(display)) {
    return display;
  }
  const ref = optString(sp, 'reference', `${path}.serviceProvider`);
  const id = ref?.startsWith('Organization/') === true ? ref.slice('Organization/'.length) : undefined;
  if (id !== undefined && isFacility(id)) {
    return id;
  }
  unknown.push({ system: 'urn:haven:facility', code: (display ?? id ?? null)?.slice(0, 64) ?? null, resourceType: 'Encounter' });
  return null;
}
