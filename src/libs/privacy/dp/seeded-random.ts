/**
 * Seeded randomness for the privacy libs. Libs may not call Math.random, so every noisy function takes a
 * `random: () => number` returning floats in [0, 1); `seededRandom` builds one for tests and reproducible runs.
 *
 * Note on production use: a seeded PRNG makes the noise reproducible by anyone who knows the seed, which
 * defeats differential privacy. Services must pass a generator seeded from a CSPRNG per release
 * (e.g. `crypto.randomInt`) and never store or log the seed.
 */

/** A source of uniform floats in [0, 1). */
export type RandomSource = () => number;

/**
 * mulberry32: a tiny, fast 32-bit generator (not cryptographic).
 * @param seed - any integer; the same seed always gives the same sequence
 * @returns a function returning floats in [0, 1)
 */
export function seededRandom(seed: number): RandomSource {
  let a = (seed | 0) ^ 0x2545f491;
  return (): number => {
    a = (a + 0x6d2b79f5) | 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A uniform float in the open interval (0, 1): never exactly 0, so logs are finite.
 * @param random - uniform source on [0, 1)
 */
export function openUniform(random: RandomSource): number {
  let u = random();
  while (u <= 0 || u >= 1) {
    u = random();
  }
  return u;
}

/**
 * A standard normal draw (Box–Muller).
 * @param random - uniform source on [0, 1)
 */
export function standardNormal(random: RandomSource): number {
  const u1 = openUniform(random);
  const u2 = random();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}
