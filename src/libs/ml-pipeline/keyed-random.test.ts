import { describe, expect, it } from 'vitest';
import { deriveNoiseKey, keyedRandom } from './keyed-random.js';

const key = (b: number): Uint8Array => new Uint8Array(32).fill(b);
const draws = (r: () => number, n: number): number[] => Array.from({ length: n }, r);

describe('keyedRandom', () => {
  it('replays the same stream for the same key and a different one for another key', () => {
    expect(draws(keyedRandom(key(1)), 100)).toEqual(draws(keyedRandom(key(1)), 100));
    const a = draws(keyedRandom(key(1)), 100);
    const b = draws(keyedRandom(key(2)), 100);
    expect(a.filter((x, i) => x === b[i])).toHaveLength(0);
  });

  it('draws from [0, 1) with a uniform mean and spread, across keystream blocks', () => {
    const xs = draws(keyedRandom(key(7)), 20_000); // 160 000 bytes: several 64 KiB blocks
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.01);
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(0.003);
    expect(new Set(xs).size).toBe(xs.length);
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => keyedRandom(new Uint8Array(16))).toThrow(expect.objectContaining({ code: 'HAVEN_PRIVACY_INVALID_PARAMETER' }));
  });

  it('derives distinct sub-keys per label, stable for a label', () => {
    const k = key(3);
    expect(Buffer.from(deriveNoiseKey(k, 'shadow:1')).equals(Buffer.from(deriveNoiseKey(k, 'shadow:1')))).toBe(true);
    expect(Buffer.from(deriveNoiseKey(k, 'shadow:1')).equals(Buffer.from(deriveNoiseKey(k, 'shadow:2')))).toBe(false);
    expect(Buffer.from(deriveNoiseKey(k, 'shadow:1')).equals(Buffer.from(k))).toBe(false);
    expect(deriveNoiseKey(k, 'x')).toHaveLength(32);
  });
});
