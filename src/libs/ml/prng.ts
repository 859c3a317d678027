/**
 * Seeded pseudo-random numbers for the ml lib (libs may not use Math.random).
 * mulberry32: tiny, fast, good enough for row/feature subsampling; not for cryptography.
 */

/** A seeded generator: `next()` returns a float in [0, 1). */
export interface Prng {
  next(): number;
}

/**
 * Create a deterministic generator from a 32-bit seed.
 * @param seed - any integer; the same seed always gives the same sequence
 */
export function createPrng(seed: number): Prng {
  let a = (seed | 0) ^ 0x9e3779b9;
  return {
    next(): number {
      a = (a + 0x6d2b79f5) | 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}

/**
 * Fisher–Yates shuffle of the first `n` entries of `arr` in place, driven by `rng`.
 * @param arr - array to shuffle
 * @param rng - seeded generator
 */
export function shuffleInPlace(arr: Uint32Array | number[], rng: Prng): void {
  for (let i = arr.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    const t = arr[i]!;
    arr[i] = arr[j]!;
    arr[j] = t;
  }
}
