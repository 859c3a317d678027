/**
 * Best split of one node from its per-feature histograms (second-order gain, XGBoost's formula):
 *   gain = ½ [ G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ) ]
 * Missing values (the feature's last cell) are tried on both sides; when a node has no missing values
 * the learned default direction is the side with more hessian (where unseen missing values most
 * likely belong). Ties keep the first candidate (lowest feature, then lowest bin): deterministic.
 *
 * Histograms may hold gradients and hessians as scaled integers (see quantize.ts): sums then stay
 * in those units (exact), and `gUnit`/`hUnit` turn them into real values for the gain and the limits.
 */
import type { Bundles } from './bundles.js';

/** Split constraints. */
export interface SplitParams {
  /** L2 regularisation on leaf values. */
  readonly lambda: number;
  /** Minimum hessian sum in each child (XGBoost's min_child_weight). */
  readonly minChildWeight: number;
  /** Minimum rows in each child. */
  readonly minSamplesLeaf: number;
  /** Minimum gain to accept a split (XGBoost's gamma). */
  readonly minGain: number;
}

/** The best split found (mutable scratch object, reused to avoid allocations). Sums are in histogram units. */
export interface SplitResult {
  gain: number;
  feature: number;
  /** Left = value bins ≤ bin. */
  bin: number;
  missingLeft: boolean;
  gL: number;
  hL: number;
  cL: number;
  gR: number;
  hR: number;
  cR: number;
}

/** A fresh "no split" result. */
export function emptySplit(): SplitResult {
  return { gain: 0, feature: -1, bin: -1, missingLeft: false, gL: 0, hL: 0, cL: 0, gR: 0, hR: 0, cR: 0 };
}

/**
 * Search all bins of the given features.
 * @param b - bundles (feature cell layout)
 * @param fh - feature histogram, 3 slots per cell (features sharing a bundle)
 * @param gh - group histogram (features alone in their bundle are read from here, unexpanded)
 * @param slots - group histogram slots: 1 (packed gradient · K + count), 2 (gradient, count) or 3 (gradient, hessian, count)
 * @param hConst - the constant hessian when slots ≤ 2
 * @param features - feature ids to consider
 * @param gT - node gradient sum
 * @param hT - node hessian sum
 * @param cT - node row count
 * @param p - constraints
 * @param out - written with the best split; `out.feature === -1` when none qualifies
 * @param gUnit - real value of one gradient unit of the histograms (1 for unscaled histograms)
 * @param hUnit - real value of one hessian unit (1 for unscaled histograms and for 1- and 2-slot histograms)
 * @param packK - K of a packed (1-slot) group histogram
 * @returns whether a split was found
 */
export function findBestSplit(
  b: Bundles, fh: Float64Array, gh: Float64Array, slots: number, hConst: number,
  features: Int32Array, gT: number, hT: number, cT: number, p: SplitParams, out: SplitResult, gUnit = 1, hUnit = 1, packK = 0,
): boolean {
  const invK = packK > 0 ? 1 / packK : 0;
  const lambda = p.lambda;
  const minH = p.minChildWeight;
  const parentScore = (gT * gUnit * (gT * gUnit)) / (hT * hUnit + lambda);
  let best = p.minGain;
  out.feature = -1;
  out.gain = 0;
  for (let fi = 0; fi < features.length; fi++) {
    const f = features[fi]!;
    const nv = b.featValueBins[f]!;
    const g = b.featGroup[f]!;
    // A feature alone in its bundle has its histogram in the group histogram as is.
    const alone = b.groupFeatures[g]!.length === 1;
    const src = alone ? gh : fh;
    const st = alone ? slots : 3;
    const o = alone ? b.groupOffset[g]! * slots : b.featOffset[f]! * 3;
    const one = st === 1;
    const three = st === 3;
    let gm = 0;
    let hm = 0;
    let cm = 0;
    if (b.featCells[f]! > nv) {
      const k = o + nv * st;
      if (one) {
        const v = src[k]!;
        gm = Math.floor(v * invK);
        cm = v - gm * packK;
      } else {
        gm = src[k]!;
        cm = src[k + st - 1]!;
      }
      hm = three ? src[k + 1]! : cm * hConst;
    }
    let gL = 0;
    let hL = 0;
    let cL = 0;
    for (let bin = 0; bin < nv - 1; bin++) {
      const k = o + bin * st;
      let c: number;
      if (one) {
        // Packed cell: v = G·K + count with 0 ≤ count < K, so both come back exactly.
        const v = src[k]!;
        const gq = Math.floor(v * invK);
        c = v - gq * packK;
        gL += gq;
      } else {
        c = src[k + st - 1]!;
        gL += src[k]!;
      }
      hL += three ? src[k + 1]! : c * hConst;
      cL += c;
      if (c === 0) {
        // Same partition as the previous bin: it cannot beat it (ties keep the first). Deep nodes
        // have many empty bins, so this skips most of the gain arithmetic there.
        continue;
      }
      // Missing values go right.
      let gR = gT - gL;
      let hR = hT - hL;
      let cR = cT - cL;
      let hl = hL * hUnit;
      let hr = hR * hUnit;
      if (cL >= p.minSamplesLeaf && cR >= p.minSamplesLeaf && hl >= minH && hr >= minH) {
        const gl = gL * gUnit;
        const gr = gR * gUnit;
        const gain = 0.5 * ((gl * gl) / (hl + lambda) + (gr * gr) / (hr + lambda) - parentScore);
        if (gain > best) {
          best = gain;
          setOut(out, gain, f, bin, cm > 0 ? false : hL >= hR, gL, hL, cL, gR, hR, cR);
        }
      }
      if (cm > 0) {
        // Missing values go left.
        const gL2 = gL + gm;
        const hL2 = hL + hm;
        const cL2 = cL + cm;
        gR = gT - gL2;
        hR = hT - hL2;
        cR = cT - cL2;
        hl = hL2 * hUnit;
        hr = hR * hUnit;
        if (cL2 >= p.minSamplesLeaf && cR >= p.minSamplesLeaf && hl >= minH && hr >= minH) {
          const gl = gL2 * gUnit;
          const gr = gR * gUnit;
          const gain = 0.5 * ((gl * gl) / (hl + lambda) + (gr * gr) / (hr + lambda) - parentScore);
          if (gain > best) {
            best = gain;
            setOut(out, gain, f, bin, true, gL2, hL2, cL2, gR, hR, cR);
          }
        }
      }
    }
  }
  return out.feature >= 0;
}

function setOut(
  out: SplitResult, gain: number, f: number, bin: number, missingLeft: boolean,
  gL: number, hL: number, cL: number, gR: number, hR: number, cR: number,
): void {
  out.gain = gain;
  out.feature = f;
  out.bin = bin;
  out.missingLeft = missingLeft;
  out.gL = gL;
  out.hL = hL;
  out.cL = cL;
  out.gR = gR;
  out.hR = hR;
  out.cR = cR;
}
