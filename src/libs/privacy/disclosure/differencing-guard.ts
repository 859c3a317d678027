/**
 * Differencing guard: refuses a released slice (the set of records behind a dashboard aggregate) that,
 * combined with any slice already released to the same user, isolates a small group. Releasing "all
 * patients of ward B" and then "ward B except patient X" lets the user subtract the two and recover X;
 * the symmetric difference of the two record sets has size 1. A slice is refused when, for some earlier
 * slice, 0 < |A Δ B| < threshold; and (by default) when 0 < |A| < threshold (its difference with the
 * empty release, which everyone knows).
 *
 * The memory is a plain serialisable object the service stores per user. Each remembered slice keeps the
 * canonical filter text (for audit), its count, a digest of the salted id set and a fixed-size IBLT sketch
 * (set-sketch.ts) from which small symmetric differences are decoded exactly. Pairwise checks do not cover
 * attacks that combine three or more slices (A − B − C); suppression of the aggregates themselves and the
 * dashboard's fixed query shapes limit those. See README.md.
 */
import { HavenError } from '../../../errors/haven-error.js';
import { compareSketches, mayBeSmallerThan, setDigest, sketchCells, sketchSet, type SetSketch } from './set-sketch.js';

/** One remembered released slice. */
export interface ReleasedSlice {
  /** Canonical filter description (see `canonicalFilter`); never record values. */
  readonly filter: string;
  readonly count: number;
  readonly digest: string;
  readonly sketch: SetSketch;
}

/** The per-user memory of released slices (plain JSON). */
export interface DifferencingMemory {
  readonly version: 1;
  readonly threshold: number;
  readonly cells: number;
  readonly maxSlices: number;
  readonly refuseSmallSlices: boolean;
  readonly slices: readonly ReleasedSlice[];
}

/** A query slice to check: its canonical filter and the ids of the records it covers. */
export interface QuerySlice {
  readonly filter: string;
  readonly recordIds: readonly string[];
}

/** The outcome of a check: allowed, or refused with the index of the conflicting earlier slice (-1: too small). */
export type DifferencingDecision = { readonly allowed: true } | { readonly allowed: false; readonly conflictWith: number };

/**
 * A fresh, empty memory.
 * @param opts - threshold (default 10), maximum remembered slices (default 5000), refuse small slices (default true)
 */
export function createDifferencingMemory(
  opts: { threshold?: number | undefined; maxSlices?: number | undefined; refuseSmallSlices?: boolean | undefined } = {},
): DifferencingMemory {
  const threshold = opts.threshold ?? 10;
  const maxSlices = opts.maxSlices ?? 5000;
  if (!Number.isInteger(threshold) || threshold < 2 || !Number.isInteger(maxSlices) || maxSlices < 1) {
    throw new HavenError('HAVEN_PRIVACY_INVALID_PARAMETER', undefined, { detail: { parameter: 'differencing' } });
  }
  return { version: 1, threshold, cells: sketchCells(threshold), maxSlices, refuseSmallSlices: opts.refuseSmallSlices ?? true, slices: [] };
}

/**
 * Canonical text of a filter object: keys sorted recursively, so equal filters compare equal.
 * @param filter - a JSON-like filter description (column names, operators, bucket labels)
 */
export function canonicalFilter(filter: unknown): string {
  const canon = (v: unknown): unknown => {
    if (Array.isArray(v)) {
      return v.map(canon);
    }
    if (v !== null && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      return Object.fromEntries(Object.keys(o).sort().map((k) => [k, canon(o[k])]));
    }
    return v;
  };
  return JSON.stringify(canon(filter));
}

/**
 * Check a slice against the memory without changing it.
 * @param memory - the user's memory
 * @param slice - filter and record ids of the query
 * @param salt - deployment secret used to hash record ids (must be the same for every call on this memory)
 */
export function checkDifferencing(memory: DifferencingMemory, slice: QuerySlice, salt: string): DifferencingDecision {
  return decide(memory, prepare(memory, slice, salt));
}

/**
 * Check a slice and, if allowed, return the memory with it remembered; otherwise throw
 * HAVEN_PRIVACY_DIFFERENCING_REFUSED (or HAVEN_PRIVACY_DIFFERENCING_MEMORY_FULL). An exact repeat of an
 * earlier slice is allowed and not stored twice.
 * @param memory - the user's memory
 * @param slice - filter and record ids of the query
 * @param salt - deployment secret used to hash record ids
 */
export function releaseSlice(memory: DifferencingMemory, slice: QuerySlice, salt: string): DifferencingMemory {
  const prepared = prepare(memory, slice, salt);
  const decision = decide(memory, prepared);
  if (!decision.allowed) {
    throw new HavenError('HAVEN_PRIVACY_DIFFERENCING_REFUSED', undefined, {
      detail: { threshold: memory.threshold, conflictWith: decision.conflictWith },
    });
  }
  if (memory.slices.some((s) => s.digest === prepared.digest)) {
    return memory;
  }
  if (memory.slices.length >= memory.maxSlices) {
    // Forgetting old slices would re-open the attack, so the memory refuses instead of evicting.
    throw new HavenError('HAVEN_PRIVACY_DIFFERENCING_MEMORY_FULL', undefined, { detail: { maxSlices: memory.maxSlices } });
  }
  return { ...memory, slices: [...memory.slices, prepared] };
}

function prepare(memory: DifferencingMemory, slice: QuerySlice, salt: string): ReleasedSlice {
  if (salt.length === 0) {
    throw new HavenError('HAVEN_PRIVACY_INVALID_PARAMETER', undefined, { detail: { parameter: 'salt' } });
  }
  const count = new Set(slice.recordIds).size;
  return { filter: slice.filter, count, digest: setDigest(slice.recordIds, salt), sketch: sketchSet(slice.recordIds, memory.cells, salt) };
}

function decide(memory: DifferencingMemory, s: ReleasedSlice): DifferencingDecision {
  const t = memory.threshold;
  if (memory.refuseSmallSlices && s.count > 0 && s.count < t) {
    return { allowed: false, conflictWith: -1 };
  }
  for (let i = 0; i < memory.slices.length; i++) {
    const old = memory.slices[i]!;
    // |A Δ B| ≥ ||A| − |B||: a large count gap proves a large difference without decoding.
    if (old.digest === s.digest || Math.abs(old.count - s.count) >= t) {
      continue;
    }
    if (mayBeSmallerThan(compareSketches(old.sketch, s.sketch), t)) {
      return { allowed: false, conflictWith: i };
    }
  }
  return { allowed: true };
}
