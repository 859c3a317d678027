/**
 * Quantile binning: each feature's values map to at most 255 ordered value bins (Uint8), plus one
 * missing bin for NaN whose index is the feature's value-bin count.
 *
 * Bin b holds values in (edges[b-1], edges[b]]; so "bin <= b" is exactly "x <= edges[b]" and a tree
 * split on bins can be stored as a raw threshold and replayed on unbinned data with no drift.
 */
import { HavenError } from '../../errors/haven-error.js';
import type { FeatureMatrix } from './feature-matrix.js';
import { createPrng } from './prng.js';

/** Maximum number of value bins per feature (the missing bin comes on top, index ≤ 255). */
export const MAX_VALUE_BINS = 255;

/** Per-feature bin edges; JSON-serialisable. */
export interface BinMapper {
  /** edges[f] has (value bins − 1) ascending thresholds. */
  readonly edges: readonly Float64Array[];
  /** Whether the feature had NaN in the data the mapper was fit on. */
  readonly hasMissing: readonly boolean[];
}

/** Number of value bins of feature f (≥ 1; a feature with no values has one empty bin). */
export function valueBins(mapper: BinMapper, f: number): number {
  return mapper.edges[f]!.length + 1;
}

function midpoint(a: number, b: number): number {
  const m = a + (b - a) / 2;
  // Adjacent floats: the midpoint may round up to b, which would put b in the lower bin.
  return m >= b ? a : m;
}

/**
 * Edges for one feature from its sorted non-missing values.
 * @param sorted - ascending finite values
 * @param maxBins - maximum value bins
 */
export function edgesFromSorted(sorted: Float64Array, maxBins: number): Float64Array {
  const distinct: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const v = sorted[i]!;
    if (distinct.length > 0 && distinct[distinct.length - 1] === v) {
      counts[counts.length - 1]!++;
    } else {
      distinct.push(v);
      counts.push(1);
    }
  }
  const edges: number[] = [];
  if (distinct.length <= maxBins) {
    for (let i = 0; i + 1 < distinct.length; i++) {
      edges.push(midpoint(distinct[i]!, distinct[i + 1]!));
    }
    return Float64Array.from(edges);
  }
  // Quantiles over the value counts: cut after the distinct value where the running count first
  // reaches the next k/maxBins share, so heavy ties never split and every bin is non-empty.
  const total = sorted.length;
  let cum = 0;
  let k = 1;
  for (let i = 0; i + 1 < distinct.length && edges.length < maxBins - 1; i++) {
    cum += counts[i]!;
    if (cum >= (k * total) / maxBins) {
      edges.push(midpoint(distinct[i]!, distinct[i + 1]!));
      while (k * total <= cum * maxBins) {
        k++;
      }
    }
  }
  return Float64Array.from(edges);
}

/**
 * Fit bin edges on a matrix. Large inputs are subsampled (seeded) for the quantiles.
 * @param m - feature matrix
 * @param opts - `maxBins` (2..255, default 255), `sampleRows` (default 200,000), `seed`
 */
export function fitBinMapper(m: FeatureMatrix, opts: { maxBins?: number; sampleRows?: number; seed?: number } = {}): BinMapper {
  const maxBins = opts.maxBins ?? MAX_VALUE_BINS;
  if (!Number.isInteger(maxBins) || maxBins < 2 || maxBins > MAX_VALUE_BINS) {
    throw new HavenError('HAVEN_ML_BAD_OPTION', undefined, { detail: { option: 'maxBins' } });
  }
  const sampleRows = opts.sampleRows ?? 200_000;
  let rows: Uint32Array | undefined;
  if (m.nRows > sampleRows) {
    // Sorted sample of row ids (selection sampling keeps it deterministic and in order).
    const rng = createPrng(opts.seed ?? 0);
    rows = new Uint32Array(sampleRows);
    let need = sampleRows;
    for (let r = 0, k = 0; r < m.nRows && need > 0; r++) {
      if (rng.next() * (m.nRows - r) < need) {
        rows[k++] = r;
        need--;
      }
    }
  }
  const edges: Float64Array[] = [];
  const hasMissing: boolean[] = [];
  const buf = new Float64Array(rows?.length ?? m.nRows);
  for (let f = 0; f < m.nCols; f++) {
    const base = f * m.nRows;
    let k = 0;
    let missing = false;
    const len = rows?.length ?? m.nRows;
    for (let i = 0; i < len; i++) {
      const v = m.data[base + (rows === undefined ? i : rows[i]!)]!;
      if (v === v) {
        buf[k++] = v;
      } else {
        missing = true;
      }
    }
    if (rows !== undefined && !missing) {
      // The sample may miss rare NaNs; the missing flag must reflect the full column.
      for (let r = 0; r < m.nRows; r++) {
        const v = m.data[base + r]!;
        if (v !== v) {
          missing = true;
          break;
        }
      }
    }
    const sorted = buf.subarray(0, k).slice().sort();
    edges.push(edgesFromSorted(sorted, maxBins));
    hasMissing.push(missing);
  }
  return { edges, hasMissing };
}

/**
 * Bin index of one value: NaN → value-bin count (the missing bin), else the first b with x <= edges[b].
 * @param edges - the feature's edges
 * @param x - raw value
 */
export function binValue(edges: Float64Array, x: number): number {
  if (x !== x) {
    return edges.length + 1;
  }
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x <= edges[mid]!) {
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  return lo;
}

/**
 * Bin a whole matrix: column-major Uint8Array, `bins[f * nRows + r]`.
 * @param mapper - fitted edges
 * @param m - matrix with the same columns the mapper was fit on
 */
export function binMatrix(mapper: BinMapper, m: FeatureMatrix): Uint8Array {
  if (mapper.edges.length !== m.nCols) {
    throw new HavenError('HAVEN_ML_SHAPE_MISMATCH', undefined, { detail: { mapperFeatures: mapper.edges.length, matrixColumns: m.nCols } });
  }
  const out = new Uint8Array(m.nRows * m.nCols);
  for (let f = 0; f < m.nCols; f++) {
    const e = mapper.edges[f]!;
    const base = f * m.nRows;
    for (let r = 0; r < m.nRows; r++) {
      out[base + r] = binValue(e, m.data[base + r]!);
    }
  }
  return out;
}
