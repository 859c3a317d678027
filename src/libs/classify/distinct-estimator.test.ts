import { describe, it, expect } from 'vitest';
import { DistinctEstimator, hash32 } from './distinct-estimator.js';

describe('DistinctEstimator', () => {
  it('is exact below k', () => {
    const d = new DistinctEstimator(64);
    for (let i = 0; i < 1000; i++) {
      d.add(String(i % 50));
    }
    expect(d.estimate()).toBe(50);
  });

  it('estimates large counts within 10 % in bounded memory', () => {
    for (const n of [5_000, 100_000]) {
      const d = new DistinctEstimator(1024);
      for (let i = 0; i < n; i++) {
        d.add(String(101000 + i));
        d.add(String(101000 + i)); // duplicates do not count
      }
      expect(Math.abs(d.estimate() - n) / n).toBeLessThan(0.1);
    }
  });

  it('hashes to unsigned 32-bit values', () => {
    expect(hash32('a')).toBeGreaterThanOrEqual(0);
    expect(hash32('a')).toBeLessThan(2 ** 32);
    expect(hash32('a')).not.toBe(hash32('b'));
  });
});
