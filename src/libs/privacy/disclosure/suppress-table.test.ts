import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { HavenError } from '../../../errors/haven-error.js';
import { suppressTable1d, suppressTable2d, type SuppressedTable2d } from './suppress-table.js';

/** Independent check: matrix rank by plain Gaussian elimination. */
function rank(m: number[][]): number {
  const a = m.map((r) => [...r]);
  let r = 0;
  const cols = a[0]?.length ?? 0;
  for (let c = 0; c < cols && r < a.length; c++) {
    const p = a.findIndex((row, i) => i >= r && Math.abs(row[c]!) > 1e-9);
    if (p < 0) {
      continue;
    }
    [a[r], a[p]] = [a[p]!, a[r]!];
    for (let i = 0; i < a.length; i++) {
      if (i !== r) {
        const f = a[i]![c]! / a[r]![c]!;
        a[i] = a[i]!.map((v, k) => v - f * a[r]![k]!);
      }
    }
    r++;
  }
  return r;
}

/**
 * The attacker's view of a published 2-D table: unknowns are the nulls; a suppressed entry is recoverable
 * iff dropping its column lowers the rank of the constraint matrix over the unknowns.
 */
function recoverableEntries(t: SuppressedTable2d): number {
  const nr = t.cells.length;
  const nc = t.cells[0]!.length;
  const entries: (number | null)[] = [...t.cells.flat(), ...t.rowTotals, ...t.colTotals, t.total];
  const unknown = entries.map((v, i) => (v === null ? i : -1)).filter((i) => i >= 0);
  const eq: number[][] = [];
  const row = (plus: number[], minus: number): number[] => {
    const full = new Array<number>(entries.length).fill(0);
    plus.forEach((p) => (full[p] = 1));
    full[minus] = -1;
    return unknown.map((u) => full[u]!);
  };
  for (let r = 0; r < nr; r++) {
    eq.push(row(Array.from({ length: nc }, (_, c) => r * nc + c), nr * nc + r));
  }
  for (let c = 0; c < nc; c++) {
    eq.push(row(Array.from({ length: nr }, (_, r) => r * nc + c), nr * nc + nr + c));
  }
  const g = nr * nc + nr + nc;
  eq.push(row(Array.from({ length: nr }, (_, r) => nr * nc + r), g));
  eq.push(row(Array.from({ length: nc }, (_, c) => nr * nc + nr + c), g));
  const full = rank(eq);
  let recoverable = 0;
  unknown.forEach((_, j) => {
    if (rank(eq.map((r) => r.filter((_, k) => k !== j))) < full) {
      recoverable++;
    }
  });
  return recoverable;
}

describe('1-D suppression', () => {
  it('suppresses the small cell and one complementary cell so the total does not reveal it', () => {
    const t = suppressTable1d([3, 20, 30, 40]);
    expect(t.cells).toEqual([null, null, 30, 40]); // smallest partner chosen
    expect(t.total).toBe(93);
    expect(t.primaryCount).toBe(1);
    expect(t.secondaryCount).toBe(1);
  });
  it('needs no secondary suppression when two cells are small', () => {
    const t = suppressTable1d([3, 4, 30]);
    expect(t.cells).toEqual([null, null, 30]);
    expect(t.secondaryCount).toBe(0);
  });
  it('leaves large tables untouched and keeps zeros unless asked', () => {
    expect(suppressTable1d([0, 12, 30]).cells).toEqual([0, 12, 30]);
    expect(suppressTable1d([0, 12, 30], { suppressZeros: true }).cells).toEqual([null, null, 30]);
  });
  it('suppresses a small total together with its cells', () => {
    const t = suppressTable1d([2, 3]);
    expect(t.cells).toEqual([null, null]);
    expect(t.total).toBeNull();
  });
  it('publishes sums with the suppression pattern of the counts', () => {
    const t = suppressTable1d([3, 20, 30], { values: [15.5, 80, 120] });
    expect(t.cells).toEqual([null, null, 120]);
    expect(t.total).toBeCloseTo(215.5, 10);
  });
  it('rejects malformed counts with a coded error', () => {
    expect(() => suppressTable1d([1.5, 2])).toThrowError(HavenError);
    expect(() => suppressTable1d([-1, 2])).toThrowError(HavenError);
  });
});

describe('2-D suppression', () => {
  it('protects one small cell with a rectangle of complements', () => {
    const t = suppressTable2d([
      [3, 20, 30],
      [25, 40, 50],
      [30, 60, 70],
    ]);
    expect(t.cells[0]![0]).toBeNull();
    expect(t.primaryCount).toBe(1);
    expect(t.secondaryCount).toBe(3); // a 2×2 cycle is the minimum
    expect(t.rowTotals).toEqual([53, 115, 160]);
    expect(recoverableEntries(t)).toBe(0);
  });
  it('the naive pattern (row and column partners only) would be broken by the margins', () => {
    // Suppressing only (0,0), (0,1), (1,0): (1,0) is alone in row 1 → recoverable. The algorithm must go further.
    const t = suppressTable2d([
      [3, 11, 30],
      [12, 40, 50],
      [30, 60, 70],
    ]);
    expect(recoverableEntries(t)).toBe(0);
    expect(t.cells.flat().filter((v) => v === null).length).toBeGreaterThanOrEqual(4);
  });
  it('extra primary cells (e.g. dominance) are protected as well', () => {
    const t = suppressTable2d(
      [
        [50, 20, 30],
        [25, 40, 50],
      ],
      { extraPrimary: [[false, false, false], [false, true, false]] },
    );
    expect(t.cells[1]![1]).toBeNull();
    expect(recoverableEntries(t)).toBe(0);
  });
  it('property: no suppressed entry of a random table is recoverable, and every small cell is hidden', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }).chain((nr) =>
          fc.integer({ min: 1, max: 4 }).chain((nc) =>
            fc.array(fc.array(fc.integer({ min: 0, max: 40 }), { minLength: nc, maxLength: nc }), { minLength: nr, maxLength: nr }),
          ),
        ),
        (counts) => {
          const t = suppressTable2d(counts);
          counts.forEach((r, i) =>
            r.forEach((k, j) => {
              if (k > 0 && k < 10) {
                expect(t.cells[i]![j]).toBeNull();
              }
            }),
          );
          expect(recoverableEntries(t)).toBe(0);
        },
      ),
      { numRuns: 150 },
    );
  });
});
