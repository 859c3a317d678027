import { invalidField, isObject, optArray, optString, own, type JsonObject } from './fhir-json.js';
import type { Gender } from './los-record.js';

/** The patient columns of the record. Names are direct identifiers: the store must encrypt or drop them. */
export interface PatientColumns {
  readonly First: string | null;
  readonly Middle: string | null;
  readonly Last: string | null;
  readonly gender: Gender | null;
}

const GENDERS: Readonly<Record<string, Gender | null>> = { male: 'M', female: 'F', other: null, unknown: null };

/**
 * Maps `name[0].given[0]`, `given[1]`, `family` and `gender` (male → M, female → F; other/unknown/absent → null).
 * @param patient - the Patient, or undefined when the message has none
 * @param path - the Patient's path
 */
export function mapPatient(patient: JsonObject | undefined, path: string): PatientColumns {
  if (patient === undefined) {
    return { First: null, Middle: null, Last: null, gender: null };
  }
  const g = optString(patient, 'gender', path);
  if (g !== undefined && !Object.hasOwn(GENDERS, g)) {
    throw invalidField(`${path}.gender`);
  }
  const names = optArray(patient, 'name', path) ?? [];
  const n0 = names[0];
  if (n0 !== undefined && !isObject(n0)) {
    throw invalidField(`${path}.name[0]`);
  }
  const given = n0 === undefined ? [] : optArray(n0, 'given', `${path}.name[0]`) ?? [];
  given.forEach((v, i) => {
    if (typeof v !== 'string') {
      throw invalidField(`${path}.name[0].given[${i}]`);
    }
  });
  const text = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 && v.length <= 256 ? v : null);
  return {
    First: text(given[0]),
    Middle: text(given[1]),
    Last: n0 === undefined ? null : text(optString(n0, 'family', `${path}.name[0]`)),
    gender: g === undefined ? null : GENDERS[g] ?? null,
  };
}

/**
 * The id a subject reference must point at (`Patient/<id>`), or undefined when the patient has no string id.
 * @param patient - the Patient
 */
export function patientRef(patient: JsonObject | undefined): string | undefined {
  const id = patient === undefined ? undefined : own(patient, 'id');
  return typeof id === 'string' || typeof id === 'number' ? `Patient/${String(id)}` : undefined;
}
