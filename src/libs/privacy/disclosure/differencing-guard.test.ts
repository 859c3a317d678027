import { describe, it, expect } from 'vitest';
import { HavenError } from '../../../errors/haven-error.js';
import { protectAggregate } from './dominance-rule.js';
import {
  canonicalFilter,
  checkDifferencing,
  createDifferencingMemory,
  releaseSlice,
  type DifferencingMemory,
} from './differencing-guard.js';
import { compareSketches, differenceSize, mayBeSmallerThan, sketchCells, sketchSet } from './set-sketch.js';

const SALT = 'test-deployment-salt';

interface Stay {
  id: string;
  ward: string;
  los: number;
}

const stays: Stay[] = Array.from({ length: 300 }, (_, i) => ({
  id: `stay-${i}`,
  ward: ['A', 'B', 'C'][i % 3]!,
  los: 1 + ((i * 7) % 11),
}));

/** The dashboard endpoint: a mean length of stay for a filter, guarded and suppressed. */
function dashboardSum(memory: DifferencingMemory, filter: { ward: string; excludeId?: string }): { memory: DifferencingMemory; sum: number | null } {
  const rows = stays.filter((s) => s.ward === filter.ward && s.id !== filter.excludeId);
  const next = releaseSlice(memory, { filter: canonicalFilter(filter), recordIds: rows.map((r) => r.id) }, SALT);
  return { memory: next, sum: protectAggregate(rows.map((r) => r.los)).sum };
}

describe('differencing attack', () => {
  const target = stays.find((s) => s.ward === 'B')!;

  it('without the guard the attack recovers the target exactly (the test is meaningful)', () => {
    const all = stays.filter((s) => s.ward === 'B');
    const minus = all.filter((s) => s.id !== target.id);
    const a = protectAggregate(all.map((s) => s.los)).sum!;
    const b = protectAggregate(minus.map((s) => s.los)).sum!;
    expect(a - b).toBe(target.los); // both cells pass suppression on their own
  });

  it('the guard refuses "group minus one" and the value stays unrecoverable', () => {
    let memory = createDifferencingMemory({ threshold: 10 });
    const first = dashboardSum(memory, { ward: 'B' });
    memory = first.memory;
    let refused: unknown;
    let second: number | null = null;
    try {
      second = dashboardSum(memory, { ward: 'B', excludeId: target.id }).sum;
    } catch (e) {
      refused = e;
    }
    expect(refused).toBeInstanceOf(HavenError);
    expect((refused as HavenError).code).toBe('HAVEN_PRIVACY_DIFFERENCING_REFUSED');
    expect(second).toBeNull();
    // The refusal carries no record data.
    expect(JSON.stringify((refused as HavenError).detail)).not.toContain(target.id);
    expect(memory.slices).toHaveLength(1);
  });

  it('refuses in the other order too, and for differences up to threshold − 1', () => {
    let memory = createDifferencingMemory({ threshold: 10 });
    const ward = stays.filter((s) => s.ward === 'C').map((s) => s.id);
    memory = releaseSlice(memory, { filter: 'c-minus-9', recordIds: ward.slice(9) }, SALT);
    expect(checkDifferencing(memory, { filter: 'c', recordIds: ward }, SALT)).toEqual({ allowed: false, conflictWith: 0 });
    expect(checkDifferencing(memory, { filter: 'c-minus-10', recordIds: ward.slice(10) }, SALT).allowed).toBe(false);
    expect(checkDifferencing(memory, { filter: 'c-minus-19', recordIds: ward.slice(19) }, SALT).allowed).toBe(true);
  });

  it('allows repeats, disjoint groups and large overlaps; refuses small slices', () => {
    let memory = createDifferencingMemory({ threshold: 10 });
    const a = stays.filter((s) => s.ward === 'A').map((s) => s.id);
    memory = releaseSlice(memory, { filter: 'a', recordIds: a }, SALT);
    memory = releaseSlice(memory, { filter: 'a-again', recordIds: [...a].reverse() }, SALT);
    expect(memory.slices).toHaveLength(1);
    memory = releaseSlice(memory, { filter: 'b', recordIds: stays.filter((s) => s.ward === 'B').map((s) => s.id) }, SALT);
    memory = releaseSlice(memory, { filter: 'a-half', recordIds: a.slice(0, 50) }, SALT);
    expect(memory.slices).toHaveLength(3);
    expect(checkDifferencing(memory, { filter: 'tiny', recordIds: a.slice(0, 3) }, SALT)).toEqual({ allowed: false, conflictWith: -1 });
  });

  it('memory is plain JSON: it survives a round trip and still refuses', () => {
    let memory = createDifferencingMemory();
    const a = stays.map((s) => s.id);
    memory = releaseSlice(memory, { filter: 'all', recordIds: a }, SALT);
    const stored = JSON.parse(JSON.stringify(memory)) as DifferencingMemory;
    expect(() => releaseSlice(stored, { filter: 'all-but-2', recordIds: a.slice(2) }, SALT)).toThrowError(HavenError);
    // The stored memory holds no record ids.
    expect(JSON.stringify(stored)).not.toContain('stay-');
  });

  it('a full memory refuses instead of forgetting', () => {
    let memory = createDifferencingMemory({ maxSlices: 2 });
    memory = releaseSlice(memory, { filter: '1', recordIds: stays.slice(0, 100).map((s) => s.id) }, SALT);
    memory = releaseSlice(memory, { filter: '2', recordIds: stays.slice(100, 200).map((s) => s.id) }, SALT);
    try {
      releaseSlice(memory, { filter: '3', recordIds: stays.slice(200).map((s) => s.id) }, SALT);
      expect.unreachable();
    } catch (e) {
      expect((e as HavenError).code).toBe('HAVEN_PRIVACY_DIFFERENCING_MEMORY_FULL');
    }
  });

  it('canonical filters ignore key order', () => {
    expect(canonicalFilter({ b: 1, a: { d: [1, 2], c: 'x' } })).toBe(canonicalFilter({ a: { c: 'x', d: [1, 2] }, b: 1 }));
  });
});

describe('set sketch', () => {
  it('decodes small differences exactly almost always and never calls a small difference large', () => {
    const m = sketchCells(10);
    let failures = 0;
    let trials = 0;
    for (let d = 1; d < 10; d++) {
      for (let t = 0; t < 120; t++) {
        const base = Array.from({ length: 60 }, (_, i) => `r${t}-${i}`);
        const onlyA = Math.floor(d / 2);
        const a = [...base, ...Array.from({ length: onlyA }, (_, i) => `x${t}-${i}`)];
        const b = base.slice(d - onlyA); // |A Δ B| = onlyA + (d − onlyA) = d
        const c = compareSketches(sketchSet(a, m, SALT), sketchSet(b, m, SALT));
        trials++;
        if (!c.decoded || c.size !== d) {
          failures++;
        }
        expect(mayBeSmallerThan(c, 10)).toBe(true);
      }
    }
    expect(failures / trials).toBeLessThan(0.01);
  });
  it('large differences are not refused', () => {
    const m = sketchCells(10);
    for (let t = 0; t < 100; t++) {
      const base = Array.from({ length: 60 }, (_, i) => `r${t}-${i}`);
      const c = compareSketches(sketchSet(base, m, SALT), sketchSet(base.slice(25), m, SALT));
      expect(mayBeSmallerThan(c, 10)).toBe(false);
    }
  });
  it('reports null (too large) for very different sets', () => {
    const m = sketchCells(10);
    const a = Array.from({ length: 100 }, (_, i) => `a${i}`);
    const b = Array.from({ length: 100 }, (_, i) => `b${i}`);
    expect(differenceSize(sketchSet(a, m, SALT), sketchSet(b, m, SALT))).toBeNull();
  });
});
