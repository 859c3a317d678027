import { describe, it, expect } from 'vitest';
import { protectAggregateTable2d } from './aggregate-table.js';

const many = (n: number, v: number): number[] => new Array<number>(n).fill(v);

describe('protected aggregate cross-tab', () => {
  const cells = [
    [many(3, 4), many(20, 5), many(30, 6)],
    [many(25, 3), [500, ...many(14, 1)], many(50, 2)],
    [many(30, 7), many(60, 4), many(70, 3)],
  ];
  const t = protectAggregateTable2d(cells);

  it('hides small and dominated cells with count, sum and mean together', () => {
    expect([t.counts[0]![0], t.sums[0]![0], t.means[0]![0]]).toEqual([null, null, null]);
    expect([t.counts[1]![1], t.sums[1]![1], t.means[1]![1]]).toEqual([null, null, null]); // 500 of 514 > 90 %
    expect(t.primaryCount).toBe(2);
  });

  it('publishes rounded counts and exact means elsewhere, with the same pattern for every figure', () => {
    expect(t.counts[2]![2]).toBe(70);
    expect(t.means[2]![2]).toBe(3);
    expect(t.counts[2]![0]).toBe(30);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        const hidden = [t.counts[i]![j], t.sums[i]![j], t.means[i]![j]].map((v) => v === null);
        expect(new Set(hidden).size).toBe(1);
      }
    }
  });

  it('every row and column with a hidden sum hides at least two entries (no single-subtraction recovery)', () => {
    for (let i = 0; i < 3; i++) {
      const hidden = t.sums[i]!.filter((v) => v === null).length + (t.rowTotals[i]!.sum === null ? 1 : 0);
      expect(hidden === 0 || hidden >= 2).toBe(true);
    }
    for (let j = 0; j < 3; j++) {
      const hidden = t.sums.filter((r) => r[j] === null).length + (t.colTotals[j]!.sum === null ? 1 : 0);
      expect(hidden === 0 || hidden >= 2).toBe(true);
    }
  });
});
