/** A JSON value that can be canonically encoded (no undefined, no functions, finite numbers only). */
export type CanonicalValue = string | number | boolean | null | readonly CanonicalValue[] | { readonly [key: string]: CanonicalValue };

/**
 * Encode a value as canonical JSON: object keys sorted by code unit, no whitespace.
 * Hashes and signatures are computed over this encoding, so two equal values always hash the same.
 * @param value - the value to encode
 */
export function canonicalJson(value: CanonicalValue): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') {
    return JSON.stringify(value);
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      throw new RangeError('canonical JSON cannot encode a non-finite number');
    }
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    return `[${value.map((v: CanonicalValue) => canonicalJson(v)).join(',')}]`;
  }
  const obj = value as { readonly [key: string]: CanonicalValue };
  const keys = Object.keys(obj).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k]!)}`).join(',')}}`;
}
