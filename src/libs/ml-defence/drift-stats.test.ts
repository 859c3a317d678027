import { describe, it, expect } from 'vitest';
import { seededRandom, standardNormal } from '../privacy/dp/seeded-random.js';
import { chiSquareTest, ksTest, normalCdf, numericPsi, psi } from './drift-stats.js';

describe('drift statistics', () => {
  it('PSI: zero for identical bins, hand-computed otherwise', () => {
    expect(psi([0.5, 0.5], [0.5, 0.5])).toBe(0);
    // (0.7−0.5)·ln(0.7/0.5) + (0.3−0.5)·ln(0.3/0.5) = 0.2·0.33647 + 0.2·0.51083 = 0.16946
    expect(psi([0.5, 0.5], [0.7, 0.3])).toBeCloseTo(0.2 * Math.log(1.4) + 0.2 * Math.log(5 / 3), 12);
  });
  it('numeric PSI and KS detect a mean shift but not a resample', () => {
    const r = seededRandom(1);
    const a = Array.from({ length: 3000 }, () => standardNormal(r)).sort((x, y) => x - y);
    const b = Array.from({ length: 3000 }, () => standardNormal(r)).sort((x, y) => x - y);
    const c = Array.from({ length: 3000 }, () => standardNormal(r) + 0.8).sort((x, y) => x - y);
    expect(numericPsi(a, b)).toBeLessThan(0.05);
    expect(numericPsi(a, c)).toBeGreaterThan(0.2);
    expect(ksTest(a, b).pValue).toBeGreaterThan(0.01);
    const s = ksTest(a, c);
    expect(s.d).toBeGreaterThan(0.25);
    expect(s.pValue).toBeLessThan(1e-6);
  });
  it('KS D hand-computed', () => {
    // F_a jumps at 1,2,3; F_b at 2.5,3.5,4.5: after 1,2 → 2/3 vs 0 → D = 2/3
    expect(ksTest([1, 2, 3], [2.5, 3.5, 4.5]).d).toBeCloseTo(2 / 3, 12);
  });
  it('chi-square hand-computed on a 2×2 table', () => {
    // a = [30, 70], b = [50, 50]: expected 40/60 each; χ² = 4·(10²/40 + 10²/60)/2 … = 2.5+1.6667+2.5+1.6667 = 8.333
    const t = chiSquareTest([30, 70], [50, 50]);
    expect(t.chi2).toBeCloseTo(8.3333333, 6);
    expect(t.dof).toBe(1);
    expect(t.pValue).toBeGreaterThan(0.002); // exact p = 0.00389
    expect(t.pValue).toBeLessThan(0.006);
  });
  it('normal CDF', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
  });
});
