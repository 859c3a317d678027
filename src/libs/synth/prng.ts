/**
 * A small seeded PRNG: xoshiro128** (Blackman & Vigna) seeded through splitmix32. Deterministic on every platform
 * (32-bit integer arithmetic only), fast, and NOT cryptographic: use it for synthetic data only.
 */
export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /**
   * @param seed - any 32-bit-representable integer; different seeds give independent-looking streams
   */
  constructor(seed: number) {
    let s = seed >>> 0;
    const next = (): number => {
      // splitmix32: spreads a small seed over the whole 128-bit state so seeds 1 and 2 do not give related streams.
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
  }

  /** The next unsigned 32-bit integer. */
  nextU32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  /** A float in [0, 1) with 32 bits of randomness. */
  float(): number {
    return this.nextU32() / 4294967296;
  }

  /**
   * An integer in [0, n).
   * @param n - exclusive upper bound, 1..2^32
   */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  /**
   * A float in [lo, hi).
   * @param lo - lower bound
   * @param hi - upper bound
   */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.float();
  }

  /** A standard normal draw (Box–Muller; always consumes exactly two uniforms so streams stay aligned). */
  normal(): number {
    const u1 = 1 - this.float();
    const u2 = this.float();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /**
   * An index drawn with the given probabilities (they need not sum exactly to 1; the last index takes the rest).
   * @param probs - probabilities per index
   */
  pick(probs: readonly number[]): number {
    let u = this.float();
    for (let i = 0; i < probs.length - 1; i += 1) {
      u -= probs[i]!;
      if (u < 0) {
        return i;
      }
    }
    return probs.length - 1;
  }

  /**
   * One element of a non-empty list, uniformly.
   * @param items - the list
   */
  choice<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/**
 * A seed for row `index` of stream `stream` under `seed`: each row gets its own generator, so row i does not depend on
 * rows before it (the first K rows of an N-row file equal the K-row file, and rows can be made in parallel).
 * @param seed - the user's seed
 * @param index - the row index
 * @param stream - which stream (base columns, PII columns, FHIR details) so that adding PII does not change other columns
 */
export function rowSeed(seed: number, index: number, stream: number): number {
  let h = Math.imul((seed >>> 0) ^ 0x5bd1e995, 0x9e3779b1);
  h = Math.imul(h ^ (index >>> 0) ^ Math.imul(Math.floor(index / 4294967296), 0x85ebca6b), 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 15) ^ Math.imul(stream + 1, 0x27d4eb2f), 0x165667b1);
  return (h ^ (h >>> 16)) >>> 0;
}
