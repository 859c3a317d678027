import { HavenError } from '../../../errors/haven-error.js';

/** Size limits applied to a message before it is walked. */
export interface FhirLimits {
  /** Most entries in `Bundle.entry`, `observations` or `conditions`. */
  readonly maxEntries: number;
  /** Deepest nesting of objects/arrays (the root is depth 1). */
  readonly maxDepth: number;
  /** Most objects, arrays and values in the whole message. */
  readonly maxNodes: number;
}

/** Defaults: the demo admission is depth 6 with ~200 nodes; a real one with 500 entries fits easily. */
export const DEFAULT_FHIR_LIMITS: FhirLimits = { maxEntries: 500, maxDepth: 24, maxNodes: 50_000 };

/**
 * Throws HAVEN_FHIR_TOO_MANY_ENTRIES when a top-level entry array is longer than the limit.
 * Checked before anything iterates the array.
 * @param arr - the array to check
 * @param field - the field name, for the error detail
 * @param limits - the limits
 */
export function checkEntryCount(arr: readonly unknown[], field: string, limits: FhirLimits): void {
  if (arr.length > limits.maxEntries) {
    throw new HavenError('HAVEN_FHIR_TOO_MANY_ENTRIES', undefined, {
      detail: { field, count: arr.length, limit: limits.maxEntries },
    });
  }
}

/**
 * Walks the value iteratively (no recursion, so no stack overflow) and throws HAVEN_FHIR_TOO_DEEP as soon as the depth
 * or node count passes the limit. It stops early, so a hostile message (deep, wide or cyclic) costs at most maxNodes steps.
 * @param value - the parsed JSON message
 * @param limits - the limits
 */
export function checkDepth(value: unknown, limits: FhirLimits): void {
  const stack: { v: unknown; depth: number }[] = [{ v: value, depth: 1 }];
  let nodes = 0;
  while (stack.length > 0) {
    const { v, depth } = stack.pop()!;
    nodes += 1;
    if (nodes > limits.maxNodes) {
      throw new HavenError('HAVEN_FHIR_TOO_DEEP', undefined, { detail: { reason: 'nodes', limit: limits.maxNodes } });
    }
    if (v === null || typeof v !== 'object') {
      continue;
    }
    if (depth > limits.maxDepth) {
      throw new HavenError('HAVEN_FHIR_TOO_DEEP', undefined, { detail: { reason: 'depth', limit: limits.maxDepth } });
    }
    const children = Array.isArray(v) ? v : Object.values(v);
    if (nodes + stack.length + children.length > limits.maxNodes) {
      throw new HavenError('HAVEN_FHIR_TOO_DEEP', undefined, { detail: { reason: 'nodes', limit: limits.maxNodes } });
    }
    for (const c of children) {
      stack.push({ v: c, depth: depth + 1 });
    }
  }
}
