import { HavenError } from '../../../errors/haven-error.js';
import { checkDepth, checkEntryCount, type FhirLimits } from './check-limits.js';
import { isObject, optArray, optString, own, type JsonObject } from './fhir-json.js';

/** A resource with its path in the message (for error details). */
export interface Located {
  readonly resource: JsonObject;
  readonly path: string;
}

/** The resources of one admission or discharge message, whatever its shape. */
export interface CollectedResources {
  readonly shape: 'bundle' | 'legacy';
  readonly patient: Located | undefined;
  readonly encounter: Located;
  readonly observations: readonly Located[];
  readonly conditions: readonly Located[];
}

/** Resource types a message may hold (allowlist); anything else is rejected. */
export const ALLOWED_RESOURCE_TYPES = ['Patient', 'Encounter', 'Observation', 'Condition', 'Organization'] as const;
/** Bundle types accepted for an admission or discharge. */
export const ALLOWED_BUNDLE_TYPES = ['transaction', 'collection'] as const;
/** Top-level keys of the reference deployment's plain-object shape. */
const LEGACY_KEYS = new Set(['patient', 'encounter', 'observations', 'conditions']);

function notAllowed(path: string): HavenError {
  return new HavenError('HAVEN_FHIR_RESOURCE_NOT_ALLOWED', undefined, { detail: { path } });
}

/** In the legacy shape `resourceType` may be absent; if present it must be the expected one. */
function legacyResource(v: unknown, expected: string, path: string): Located {
  if (!isObject(v)) {
    throw new HavenError('HAVEN_FHIR_INVALID_FIELD', undefined, { detail: { path } });
  }
  const rt = own(v, 'resourceType');
  if (rt !== undefined && rt !== expected) {
    throw notAllowed(path);
  }
  return { resource: v, path };
}

function collectLegacy(msg: JsonObject, limits: FhirLimits): CollectedResources {
  for (const key of Object.keys(msg)) {
    if (!LEGACY_KEYS.has(key)) {
      throw new HavenError('HAVEN_FHIR_INVALID_SHAPE', undefined, { detail: { reason: 'unexpected top-level field' } });
    }
  }
  const observations = optArray(msg, 'observations', '$') ?? [];
  const conditions = optArray(msg, 'conditions', '$') ?? [];
  checkEntryCount(observations, 'observations', limits);
  checkEntryCount(conditions, 'conditions', limits);
  checkDepth(msg, limits);
  const enc = own(msg, 'encounter');
  if (enc === undefined || enc === null) {
    throw new HavenError('HAVEN_FHIR_MISSING_ENCOUNTER');
  }
  const pat = own(msg, 'patient');
  return {
    shape: 'legacy',
    patient: pat === undefined || pat === null ? undefined : legacyResource(pat, 'Patient', 'patient'),
    encounter: legacyResource(enc, 'Encounter', 'encounter'),
    observations: observations.map((o, i) => legacyResource(o, 'Observation', `observations[${i}]`)),
    conditions: conditions.map((c, i) => legacyResource(c, 'Condition', `conditions[${i}]`)),
  };
}

function collectBundle(msg: JsonObject, limits: FhirLimits): CollectedResources {
  const type = optString(msg, 'type', '$');
  if (type === undefined || !(ALLOWED_BUNDLE_TYPES as readonly string[]).includes(type)) {
    throw new HavenError('HAVEN_FHIR_INVALID_SHAPE', undefined, { detail: { reason: 'bundle type must be transaction or collection' } });
  }
  const entries = optArray(msg, 'entry', '$') ?? [];
  checkEntryCount(entries, 'entry', limits);
  checkDepth(msg, limits);
  const byType: Record<string, Located[]> = { Patient: [], Encounter: [], Observation: [], Condition: [], Organization: [] };
  entries.forEach((e, i) => {
    const path = `entry[${i}].resource`;
    const r = isObject(e) ? own(e, 'resource') : undefined;
    if (!isObject(r)) {
      throw new HavenError('HAVEN_FHIR_INVALID_FIELD', undefined, { detail: { path } });
    }
    const rt = own(r, 'resourceType');
    if (typeof rt !== 'string' || !(ALLOWED_RESOURCE_TYPES as readonly string[]).includes(rt)) {
      throw notAllowed(path);
    }
    byType[rt]!.push({ resource: r, path });
  });
  const patients = byType['Patient']!;
  const encounters = byType['Encounter']!;
  if (patients.length > 1 || encounters.length > 1) {
    throw new HavenError('HAVEN_FHIR_AMBIGUOUS_RESOURCE', undefined, { detail: { patients: patients.length, encounters: encounters.length } });
  }
  if (encounters[0] === undefined) {
    throw new HavenError('HAVEN_FHIR_MISSING_ENCOUNTER');
  }
  return {
    shape: 'bundle',
    patient: patients[0],
    encounter: encounters[0],
    observations: byType['Observation']!,
    conditions: byType['Condition']!,
  };
}

/**
 * Checks the outer shape and limits of a message and gathers its resources. Accepts an R4 Bundle (transaction or
 * collection) or the reference deployment's `{patient, encounter, observations, conditions}` object.
 * Entry counts are checked first, then depth and size, and only then is anything walked.
 * @param input - the parsed JSON message (untrusted)
 * @param limits - size limits
 */
export function collectResources(input: unknown, limits: FhirLimits): CollectedResources {
  if (!isObject(input)) {
    throw new HavenError('HAVEN_FHIR_INVALID_SHAPE', undefined, { detail: { reason: 'not an object' } });
  }
  const rt = own(input, 'resourceType');
  if (rt === 'Bundle') {
    return collectBundle(input, limits);
  }
  if (rt !== undefined) {
    throw notAllowed('$');
  }
  if (own(input, 'encounter') === undefined && own(input, 'patient') === undefined) {
    throw new HavenError('HAVEN_FHIR_INVALID_SHAPE', undefined, { detail: { reason: 'no patient or encounter' } });
  }
  return collectLegacy(input, limits);
}
