/**
 * 32-bit FNV-1a of a string, finished with murmur3's fmix32 so sequential ids spread evenly.
 * @param s - the text to hash
 */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Distinct-count estimator in bounded memory (k minimum values): keeps the k smallest hashes.
 * Exact below k distinct values, about 1/sqrt(k) relative error above (3 % for k = 1024).
 */
export class DistinctEstimator {
  private readonly mins: number[] = [];
  private readonly seen = new Set<number>();
  private threshold = Infinity;

  /** @param k - hashes kept (memory and accuracy) */
  constructor(private readonly k = 1024) {}

  /** @param value - one value */
  add(value: string): void {
    const h = hash32(value);
    if (h >= this.threshold || this.seen.has(h)) {
      return;
    }
    // Binary search for the insertion point; rare once the k smallest are known.
    const mins = this.mins;
    let lo = 0;
    let hi = mins.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (mins[mid]! < h) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    mins.splice(lo, 0, h);
    this.seen.add(h);
    if (mins.length > this.k) {
      this.seen.delete(mins.pop()!);
    }
    if (mins.length === this.k) {
      this.threshold = mins[this.k - 1]!;
    }
  }

  /** The estimated number of distinct values. */
  estimate(): number {
    if (this.mins.length < this.k) {
      return this.mins.length;
    }
    return Math.round((this.k - 1) / ((this.mins[this.k - 1]! + 1) / 2 ** 32));
  }
}
