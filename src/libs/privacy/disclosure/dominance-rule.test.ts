import { describe, it, expect } from 'vitest';
import { HavenError } from '../../../errors/haven-error.js';
import { isDominated, protectAggregate } from './dominance-rule.js';
import { roundCounts, roundToBase } from './round-counts.js';

describe('rounding', () => {
  it('rounds to the nearest base with ties up', () => {
    expect([0, 1, 2, 3, 7, 12, 12.5, 13, 101].map((c) => roundToBase(c))).toEqual([0, 0, 0, 5, 5, 10, 15, 15, 100]);
    expect(roundToBase(14, 10)).toBe(10);
    expect(roundCounts([3, null, 8])).toEqual([5, null, 10]);
    expect(() => roundToBase(3, 0)).toThrowError(HavenError);
  });
});

describe('dominance rule', () => {
  it('flags a cell whose top contributor exceeds 90 %', () => {
    expect(isDominated([95, 2, 1, 1, 1])).toBe(true); // 95/100
    expect(isDominated([90, 5, 5])).toBe(false); // exactly 90 % is not more than 90 %
    expect(isDominated([40, 35, 25], { n: 2, k: 0.7 })).toBe(true); // 75 % > 70 %
    expect(isDominated([0, 0])).toBe(false);
  });
  it('suppresses mean and sum when the count is small', () => {
    const a = protectAggregate([3, 4, 5]);
    expect(a).toEqual({ count: null, sum: null, mean: null, reason: 'small_count' });
  });
  it('publishes a rounded count but no sum or mean when dominated', () => {
    const a = protectAggregate([1000, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect(a).toEqual({ count: 10, sum: null, mean: null, reason: 'dominance' });
  });
  it('publishes everything for a safe cell, with the exact mean of the true values', () => {
    const vals = Array.from({ length: 12 }, (_, i) => i + 1);
    expect(protectAggregate(vals)).toEqual({ count: 10, sum: 78, mean: 6.5, reason: null });
  });
});
