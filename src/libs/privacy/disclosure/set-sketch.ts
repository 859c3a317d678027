/**
 * A compact, serialisable sketch of a set of record ids from which the SYMMETRIC DIFFERENCE of two sets can
 * be listed exactly when it is small: an invertible Bloom lookup table (IBLT; Goodrich & Mitzenmacher 2011,
 * Eppstein et al. "What's the difference?" 2011). Subtract two sketches cell-wise and "peel" pure cells;
 * with k = 3 hash functions and m ≥ ~1.3·d cells, peeling recovers all d differing keys with high probability.
 * A sketch costs m cells whatever the set size, which is why the differencing guard can remember thousands of
 * released slices per user. If peeling fails the difference is (with high probability) larger than the
 * capacity, i.e. not a small-difference attack.
 *
 * Keys are the first 64 bits of SHA-256(salt ‖ id): with a secret salt a stored sketch does not let anyone
 * test which record ids it holds.
 */
import { createHash } from 'node:crypto';
import { HavenError } from '../../../errors/haven-error.js';

/** The serialisable sketch: parallel arrays of m cells (m a multiple of 3). */
export interface SetSketch {
  readonly count: number[];
  readonly keyHi: number[];
  readonly keyLo: number[];
  readonly check: number[];
}

const K = 3;

/**
 * Number of cells for a sketch that must list differences smaller than `capacity`.
 * @param capacity - the largest difference that must decode (the disclosure threshold)
 */
export function sketchCells(capacity: number): number {
  // 6× the capacity keeps peeling failures of small differences rare (< 1 % at capacity − 1, measured in
  // tests); the guard stays safe even when peeling fails (see `mayBeSmallerThan`).
  const m = Math.max(30, Math.ceil(6 * capacity));
  return Math.ceil(m / K) * K;
}

/**
 * Sketch a set of record ids (duplicates are ignored).
 * @param recordIds - ids of the records in the slice
 * @param cells - sketch size from `sketchCells`
 * @param salt - secret salt for the key hash
 */
export function sketchSet(recordIds: readonly string[], cells: number, salt: string): SetSketch {
  if (!Number.isInteger(cells) || cells < K || cells % K !== 0) {
    throw new HavenError('HAVEN_PRIVACY_INVALID_PARAMETER', undefined, { detail: { parameter: 'cells' } });
  }
  const s: SetSketch = { count: zeros(cells), keyHi: zeros(cells), keyLo: zeros(cells), check: zeros(cells) };
  for (const [hi, lo] of uniqueKeys(recordIds, salt).values()) {
    toggle(s, hi, lo, 1);
  }
  return s;
}

/**
 * SHA-256 of the sorted salted keys: equal iff the two sets are equal (up to hash collisions).
 * @param recordIds - ids of the records in the slice
 * @param salt - secret salt
 */
export function setDigest(recordIds: readonly string[], salt: string): string {
  const keys = [...uniqueKeys(recordIds, salt).keys()].sort();
  return createHash('sha256').update(keys.join(',')).digest('hex');
}

/** The result of comparing two sketches. */
export type SketchComparison =
  | { readonly decoded: true; readonly size: number }
  | { readonly decoded: false; readonly peeled: number; readonly stuckCells: number };

/**
 * Decode the symmetric difference of the two sketched sets: its exact size, or — when peeling gets stuck —
 * how many keys were peeled and how many cells remained non-zero.
 * @param a - one sketch
 * @param b - another sketch of the same size and salt
 */
export function compareSketches(a: SetSketch, b: SetSketch): SketchComparison {
  const m = a.count.length;
  if (b.count.length !== m) {
    throw new HavenError('HAVEN_PRIVACY_INVALID_INPUT', undefined, { detail: { reason: 'sketch_size_mismatch' } });
  }
  const d: SetSketch = {
    count: a.count.map((c, i) => c - b.count[i]!),
    keyHi: a.keyHi.map((k, i) => (k ^ b.keyHi[i]!) >>> 0),
    keyLo: a.keyLo.map((k, i) => (k ^ b.keyLo[i]!) >>> 0),
    check: a.check.map((k, i) => (k ^ b.check[i]!) >>> 0),
  };
  let peeled = 0;
  let progress = true;
  while (progress) {
    progress = false;
    for (let i = 0; i < m; i++) {
      const c = d.count[i]!;
      if ((c === 1 || c === -1) && d.check[i] === checksum(d.keyHi[i]!, d.keyLo[i]!)) {
        toggle(d, d.keyHi[i]!, d.keyLo[i]!, -c);
        peeled++;
        progress = true;
      }
    }
  }
  const stuckCells = d.count.filter((c, i) => c !== 0 || d.keyHi[i] !== 0 || d.keyLo[i] !== 0 || d.check[i] !== 0).length;
  return stuckCells === 0 ? { decoded: true, size: peeled } : { decoded: false, peeled, stuckCells };
}

/**
 * Size of the symmetric difference, or null when it could not be decoded (usually: too large).
 * @param a - one sketch
 * @param b - another sketch of the same size and salt
 */
export function differenceSize(a: SetSketch, b: SetSketch): number | null {
  const r = compareSketches(a, b);
  return r.decoded ? r.size : null;
}

/**
 * Conservative test "0 < |A Δ B| < limit". Never answers false for a truly small non-empty difference: when
 * peeling is stuck, each remaining key touches exactly K cells, so r remaining keys leave at most K·r non-zero
 * cells; if the non-zero cells could come from fewer than limit − peeled keys, the answer is true (refuse).
 * @param c - the comparison of two sketches
 * @param limit - the disclosure threshold
 */
export function mayBeSmallerThan(c: SketchComparison, limit: number): boolean {
  if (c.decoded) {
    return c.size > 0 && c.size < limit;
  }
  return c.stuckCells <= K * (limit - 1 - c.peeled);
}

function toggle(s: SetSketch, hi: number, lo: number, sign: number): void {
  const sub = s.count.length / K;
  const chk = checksum(hi, lo);
  for (let t = 0; t < K; t++) {
    const i = t * sub + (mix32(hi ^ mix32((lo + Math.imul(t + 1, 0x9e3779b9)) >>> 0)) % sub);
    s.count[i] = s.count[i]! + sign;
    s.keyHi[i] = (s.keyHi[i]! ^ hi) >>> 0;
    s.keyLo[i] = (s.keyLo[i]! ^ lo) >>> 0;
    s.check[i] = (s.check[i]! ^ chk) >>> 0;
  }
}

function uniqueKeys(ids: readonly string[], salt: string): Map<string, [number, number]> {
  const out = new Map<string, [number, number]>();
  for (const id of ids) {
    if (!out.has(id)) {
      const h = createHash('sha256').update(salt).update('\u0000').update(id).digest();
      out.set(id, [h.readUInt32BE(0), h.readUInt32BE(4)]);
    }
  }
  return new Map([...out.values()].map((k) => [hex(k[0]) + hex(k[1]), k]));
}

function checksum(hi: number, lo: number): number {
  return mix32((mix32(hi ^ 0x85ebca6b) + lo) >>> 0);
}

// murmur3 fmix32: a cheap bijective avalanche on 32 bits.
function mix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function hex(x: number): string {
  return x.toString(16).padStart(8, '0');
}

function zeros(n: number): number[] {
  return new Array<number>(n).fill(0);
}
