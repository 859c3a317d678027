import { HavenError } from '../../../errors/haven-error.js';

/** A JSON object (parsed input); read only own properties of it. */
export type JsonObject = Readonly<Record<string, unknown>>;

/**
 * Whether a value is a plain JSON object (not null, not an array).
 * @param v - the value
 */
export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * An own property of an object (never one inherited from the prototype, e.g. `constructor` or `__proto__`).
 * @param o - the object
 * @param key - the property name
 */
export function own(o: JsonObject, key: string): unknown {
  return Object.hasOwn(o, key) ? o[key] : undefined;
}

/**
 * Throws HAVEN_FHIR_INVALID_FIELD for a field. The detail names the path only, never the value.
 * @param path - where in the message, e.g. `observations[2].valueQuantity.value`
 */
export function invalidField(path: string): HavenError {
  return new HavenError('HAVEN_FHIR_INVALID_FIELD', undefined, { detail: { path } });
}

/**
 * An optional object field: undefined when absent or null, the object when present, otherwise an error.
 * @param o - the parent
 * @param key - the field
 * @param path - the parent's path, for errors
 */
export function optObject(o: JsonObject, key: string, path: string): JsonObject | undefined {
  const v = own(o, key);
  if (v === undefined || v === null) {
    return undefined;
  }
  if (!isObject(v)) {
    throw invalidField(`${path}.${key}`);
  }
  return v;
}

/**
 * An optional array field: undefined when absent or null, the array when present, otherwise an error.
 * @param o - the parent
 * @param key - the field
 * @param path - the parent's path, for errors
 */
export function optArray(o: JsonObject, key: string, path: string): readonly unknown[] | undefined {
  const v = own(o, key);
  if (v === undefined || v === null) {
    return undefined;
  }
  if (!Array.isArray(v)) {
    throw invalidField(`${path}.${key}`);
  }
  return v;
}

/** Longest string accepted in a mapped field; longer ones are an input error (names and codes are short). */
export const MAX_STRING = 256;

/**
 * An optional string field: undefined when absent or null, the string when present, otherwise an error.
 * @param o - the parent
 * @param key - the field
 * @param path - the parent's path, for errors
 */
export function optString(o: JsonObject, key: string, path: string): string | undefined {
  const v = own(o, key);
  if (v === undefined || v === null) {
    return undefined;
  }
  if (typeof v !== 'string' || v.length > MAX_STRING) {
    throw invalidField(`${path}.${key}`);
  }
  return v;
}

/**
 * The codings of a CodeableConcept field (`{coding: [{system, code}]}`), each checked for type.
 * @param o - the resource
 * @param key - the CodeableConcept field, e.g. `code`
 * @param path - the resource's path, for errors
 */
export function codings(o: JsonObject, key: string, path: string): { system: string | null; code: string | null }[] {
  const cc = optObject(o, key, path);
  if (cc === undefined) {
    return [];
  }
  const list = optArray(cc, 'coding', `${path}.${key}`) ?? [];
  return list.map((c, i) => {
    const p = `${path}.${key}.coding[${i}]`;
    if (!isObject(c)) {
      throw invalidField(p);
    }
    return { system: optString(c, 'system', p) ?? null, code: optString(c, 'code', p) ?? null };
  });
}
