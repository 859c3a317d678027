import { describe, expect, it } from 'vitest';
import { Prng, rowSeed } from './prng.js';

describe('Prng', () => {
  it('is deterministic per seed and differs across seeds', () => {
    const a = new Prng(1);
    const b = new Prng(1);
    const c = new Prng(2);
    const sa = Array.from({ length: 5 }, () => a.nextU32());
    expect(Array.from({ length: 5 }, () => b.nextU32())).toEqual(sa);
    expect(Array.from({ length: 5 }, () => c.nextU32())).not.toEqual(sa);
  });

  it('gives roughly uniform floats and standard normals', () => {
    const r = new Prng(123);
    const n = 20_000;
    let s = 0;
    let s2 = 0;
    let u = 0;
    for (let i = 0; i < n; i += 1) {
      const f = r.float();
      expect(f).toBeGreaterThanOrEqual(0);
      expect(f).toBeLessThan(1);
      u += f;
      const z = r.normal();
      s += z;
      s2 += z * z;
    }
    expect(Math.abs(u / n - 0.5)).toBeLessThan(0.01);
    expect(Math.abs(s / n)).toBeLessThan(0.03);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.05);
  });

  it('gives distinct row seeds across rows and streams', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i += 1) {
      seen.add(rowSeed(42, i, 0));
      seen.add(rowSeed(42, i, 1));
    }
    expect(seen.size).toBe(2000);
  });
});
