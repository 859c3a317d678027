import { describe, it, expect } from 'vitest';
import { HavenError } from '../../../errors/haven-error.js';
import {
  epsilonToZcdp,
  gaussianMechanism,
  gaussianSigmaForZcdp,
  gaussianZcdp,
  laplaceMechanism,
  laplaceNoise,
  zcdpToEpsilon,
} from './mechanisms.js';
import { seededRandom, standardNormal } from './seeded-random.js';

function stats(xs: number[]): { mean: number; variance: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1);
  return { mean, variance };
}

describe('seeded randomness', () => {
  it('is deterministic per seed and differs across seeds', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const c = seededRandom(8);
    const sa = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(sa);
    expect([c(), c(), c()]).not.toEqual(sa);
    expect(sa.every((x) => x >= 0 && x < 1)).toBe(true);
  });
  it('standard normal has mean 0 and variance 1', () => {
    const r = seededRandom(1);
    const s = stats(Array.from({ length: 20000 }, () => standardNormal(r)));
    expect(Math.abs(s.mean)).toBeLessThan(0.03);
    expect(Math.abs(s.variance - 1)).toBeLessThan(0.05);
  });
});

describe('Laplace mechanism', () => {
  it('noise has variance 2b² and median 0', () => {
    const r = seededRandom(2);
    const xs = Array.from({ length: 20000 }, () => laplaceNoise(3, r));
    const s = stats(xs);
    expect(Math.abs(s.mean)).toBeLessThan(0.1);
    expect(s.variance / 18).toBeGreaterThan(0.93);
    expect(s.variance / 18).toBeLessThan(1.07);
  });
  it('scales noise as sensitivity/epsilon', () => {
    const r = seededRandom(3);
    const xs = Array.from({ length: 20000 }, () => laplaceMechanism(100, 2, 0.5, r));
    const s = stats(xs);
    expect(Math.abs(s.mean - 100)).toBeLessThan(0.3);
    expect(s.variance / (2 * 16)).toBeGreaterThan(0.93);
    expect(s.variance / (2 * 16)).toBeLessThan(1.07);
  });
  it('refuses non-positive epsilon with a coded error', () => {
    expect(() => laplaceMechanism(1, 1, 0, seededRandom(1))).toThrowError(HavenError);
    try {
      laplaceMechanism(1, 1, -1, seededRandom(1));
    } catch (e) {
      expect((e as HavenError).code).toBe('HAVEN_PRIVACY_INVALID_PARAMETER');
    }
  });
});

describe('Gaussian mechanism and zCDP conversions', () => {
  it('adds noise of the given sigma', () => {
    const r = seededRandom(4);
    const s = stats(Array.from({ length: 20000 }, () => gaussianMechanism(5, 2, r)));
    expect(Math.abs(s.mean - 5)).toBeLessThan(0.05);
    expect(Math.abs(s.variance / 4 - 1)).toBeLessThan(0.05);
  });
  it('rho = Δ²/(2σ²) and its inverse agree', () => {
    expect(gaussianZcdp(1, 1)).toBeCloseTo(0.5, 12);
    expect(gaussianZcdp(2, 4)).toBeCloseTo(0.125, 12);
    expect(gaussianSigmaForZcdp(2, gaussianZcdp(2, 3.7))).toBeCloseTo(3.7, 10);
  });
  it('zCDP → (ε, δ) matches the hand-computed bound and inverts', () => {
    // ρ = 0.5, δ = 1e-5: ε = 0.5 + 2·sqrt(0.5·ln(1e5)) = 0.5 + 2·2.39919... = 5.29838...
    expect(zcdpToEpsilon(0.5, 1e-5)).toBeCloseTo(0.5 + 2 * Math.sqrt(0.5 * Math.log(1e5)), 12);
    for (const eps of [0.1, 1, 3, 10]) {
      expect(zcdpToEpsilon(epsilonToZcdp(eps, 1e-6), 1e-6)).toBeCloseTo(eps, 9);
    }
  });
});
