/**
 * Differentially private one-dimensional marginals of every feature and of the target, on a data-independent grid.
 * This is where DP training learns the scale of the data without anyone declaring feature bounds.
 *
 * Grid: signed logarithmic bins, 32 per octave (2.2 % wide), for magnitudes from 2^-20 to 2^40, plus one bin around
 * zero; values beyond 2^40 fall in the outermost bins. It is fixed in code, so it says nothing about the data (the
 * idea of Google's DP library `ApproxBounds`, at a finer resolution).
 *
 * Release: the histogram of every column with Gaussian noise in EVERY bin (empty bins too, or the set of non-empty
 * bins would leak). Adding or removing one record changes one bin of each column by 1 (a missing value changes
 * none). Two Gaussian releases: the k feature histograms together (L2 sensitivity √k, noise σ_f, ρ_f = k/(2σ_f²))
 * and the target histogram (sensitivity 1, noise σ_t, ρ_t = 1/(2σ_t²)); the target gets TARGET_SHARE of ρ because
 * it is one column that everything depends on (base score, clipping, scaling). zCDP adds: ρ = ρ_f + ρ_t
 * (Bun & Steinke 2016). Everything after that is post-processing of the noisy counts and costs nothing more:
 *  - significant blocks: from the finest level up, a dyadic block of s bins whose noisy sum exceeds z·σ·√s is kept
 *    unless it overlaps a finer kept block (z = 5.5 keeps the expected number of empty blocks passing the test far
 *    below one over all columns and levels);
 *  - the kept blocks, in order, are a coarse DP histogram: their inner edges plus its 7 octiles (interpolated inside
 *    blocks) are the split candidates of the DP trees; their weights give the DP count, mean and quantiles used for
 *    the base score, the clipping bound and scaling.
 */
import { HavenError } from '../../errors/haven-error.js';
import { gaussianSigmaForZcdp } from '../privacy/dp/mechanisms.js';
import { standardNormal, type RandomSource } from '../privacy/dp/seeded-random.js';
import type { FeatureMatrix } from '../ml/feature-matrix.js';

const PER_OCTAVE = 32;
const MIN_EXP = -20;
const MAX_EXP = 40;
/** Magnitude bins on each side of zero. */
const SIDE = (MAX_EXP - MIN_EXP) * PER_OCTAVE;
/** Bins of the whole grid: negative side, the zero bin (index SIDE), positive side. */
export const GRID_BINS = 2 * SIDE + 1;
/** Largest dyadic block size tried is 2^MAX_LEVEL bins (8 octaves). */
const MAX_LEVEL = 8;
/** Significance threshold in noise standard deviations. */
const Z = 5.5;
/** Share of the marginals' ρ given to the target's histogram. */
export const TARGET_SHARE = 0.25;

/**
 * The grid bin of a finite value.
 * @param x - the value
 */
export function gridBin(x: number): number {
  const a = Math.abs(x);
  if (a < 2 ** MIN_EXP) {
    return SIDE;
  }
  const k = Math.min(SIDE - 1, Math.max(0, Math.floor(PER_OCTAVE * (Math.log2(a) - MIN_EXP))));
  return x > 0 ? SIDE + 1 + k : SIDE - 1 - k;
}

/**
 * The upper edge of a grid bin (values of the bin are below it, the next bin starts there).
 * @param i - bin index in [0, GRID_BINS)
 */
export function gridUpperEdge(i: number): number {
  if (i === SIDE) {
    return 2 ** MIN_EXP;
  }
  if (i > SIDE) {
    return 2 ** (MIN_EXP + (i - SIDE) / PER_OCTAVE);
  }
  return -(2 ** (MIN_EXP + (SIDE - 1 - i) / PER_OCTAVE));
}

/**
 * The lower edge of a grid bin.
 * @param i - bin index in [0, GRID_BINS)
 */
export function gridLowerEdge(i: number): number {
  return i === 0 ? -(2 ** MAX_EXP) : gridUpperEdge(i - 1);
}

/** One kept block of the noisy histogram: the values in [lower, upper) and their noisy count. */
export interface MarginalPart {
  readonly lower: number;
  readonly upper: number;
  readonly weight: number;
}

/** The DP summary of one column. */
export interface DpMarginal {
  /** Kept blocks in increasing order (possibly empty: the column is too sparse for the noise). */
  readonly parts: readonly MarginalPart[];
  /** Split candidates: the boundaries between consecutive parts (x ≤ t goes left). */
  readonly thresholds: readonly number[];
  /** DP estimate of the number of non-missing values (sum of part weights; 0 when no part was kept). */
  readonly count: number;
}

/** The release: one marginal per feature column and one for the target, with the noise used. */
export interface DpMarginals {
  readonly features: readonly DpMarginal[];
  readonly target: DpMarginal;
  readonly sigmaFeatures: number;
  readonly sigmaTarget: number;
  readonly rho: number;
}

function keptParts(noisy: Float64Array, sigma: number): MarginalPart[] {
  const n = noisy.length;
  const prefix = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    prefix[i + 1] = prefix[i]! + noisy[i]!;
  }
  const covered = new Int32Array(n + 1); // prefix count of covered bins
  const coveredFlag = new Uint8Array(n);
  const kept: { start: number; end: number; weight: number }[] = [];
  for (let level = 0; level <= MAX_LEVEL; level++) {
    const size = 2 ** level;
    for (let i = 0; i < n; i++) {
      covered[i + 1] = covered[i]! + coveredFlag[i]!;
    }
    const found: { start: number; end: number; weight: number }[] = [];
    for (let start = 0; start < n; start += size) {
      const end = Math.min(n, start + size);
      if (covered[end]! - covered[start]! > 0) {
        continue;
      }
      const weight = prefix[end]! - prefix[start]!;
      if (weight > Z * sigma * Math.sqrt(end - start)) {
        found.push({ start, end, weight });
      }
    }
    for (const f of found) {
      coveredFlag.fill(1, f.start, f.end);
      kept.push(f);
    }
  }
  kept.sort((a, b) => a.start - b.start);
  return kept.map((k) => ({ lower: gridLowerEdge(k.start), upper: gridUpperEdge(k.end - 1), weight: k.weight }));
}

/** Quantile levels added to the part boundaries as split candidates (interpolated inside parts). */
const CANDIDATE_QUANTILES = 8;

function summarise(parts: MarginalPart[]): DpMarginal {
  const count = parts.reduce((s, p) => s + p.weight, 0);
  const d = { parts, thresholds: [] as number[], count };
  const cuts = new Set(parts.slice(0, -1).map((p) => p.upper));
  for (let k = 1; k < CANDIDATE_QUANTILES; k++) {
    cuts.add(marginalQuantile(d, k / CANDIDATE_QUANTILES));
  }
  const last = parts.at(-1)?.upper ?? -Infinity;
  const first = parts[0]?.lower ?? Infinity;
  d.thresholds = [...cuts].filter((t) => t > first && t < last).sort((a, b) => a - b);
  return d;
}

/**
 * Release the DP marginals of every column of `m` and of `target` at total cost ρ (zCDP).
 * @param m - training features (NaN = missing, not counted)
 * @param target - training target (finite)
 * @param rho - zCDP cost of the whole release (> 0)
 * @param random - the secret noise source
 */
export function dpMarginals(m: FeatureMatrix, target: ArrayLike<number>, rho: number, random: RandomSource): DpMarginals {
  if (target.length !== m.nRows) {
    throw new HavenError('HAVEN_PRIVACY_INVALID_INPUT', undefined, { detail: { reason: 'rows_targets_mismatch' } });
  }
  const sigmaFeatures = gaussianSigmaForZcdp(Math.sqrt(m.nCols), (1 - TARGET_SHARE) * rho);
  const sigmaTarget = gaussianSigmaForZcdp(1, TARGET_SHARE * rho);
  const counts = new Float64Array(GRID_BINS);
  const release = (value: (r: number) => number, sigma: number): DpMarginal => {
    counts.fill(0);
    for (let r = 0; r < m.nRows; r++) {
      const x = value(r);
      if (Number.isFinite(x)) {
        counts[gridBin(x)]! += 1;
      }
    }
    for (let i = 0; i < GRID_BINS; i++) {
      counts[i]! += sigma * standardNormal(random);
    }
    return summarise(keptParts(counts, sigma));
  };
  const features: DpMarginal[] = [];
  for (let c = 0; c < m.nCols; c++) {
    const base = c * m.nRows;
    features.push(release((r) => m.data[base + r]!, sigmaFeatures));
  }
  const t = release((r) => target[r]!, sigmaTarget);
  return { features, target: t, sigmaFeatures, sigmaTarget, rho };
}

/**
 * The mean of a marginal (part midpoints weighted by their noisy counts; a part touching zero counts as 0), or NaN
 * when nothing was kept.
 * @param d - a marginal
 */
export function marginalMean(d: DpMarginal): number {
  if (d.parts.length === 0) {
    return NaN;
  }
  let s = 0;
  for (const p of d.parts) {
    s += p.weight * (p.lower < 0 && p.upper > 0 ? 0 : (p.lower + p.upper) / 2);
  }
  return s / d.count;
}

/**
 * A quantile of a marginal, interpolating linearly inside the part it falls in, or NaN when nothing was kept.
 * @param d - a marginal
 * @param q - level in [0, 1]
 */
export function marginalQuantile(d: DpMarginal, q: number): number {
  if (d.parts.length === 0) {
    return NaN;
  }
  const goal = q * d.count;
  let cum = 0;
  for (const p of d.parts) {
    if (cum + p.weight >= goal) {
      return p.lower + ((goal - cum) / p.weight) * (p.upper - p.lower);
    }
    cum += p.weight;
  }
  return d.parts.at(-1)!.upper;
}
