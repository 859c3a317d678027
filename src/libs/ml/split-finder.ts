/**
 * Best split of one node from its per-feature histograms (second-order gain, XGBoost's formula):
 *   gain = ½ [ G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ) ]
 * Missing values (the feature's last cell) are tried on both sides; when a node has no missing values
 * the learned default direction is the side with more hessian (where unseen missing values most
 * likely belong). Ties keep the first candidate (lowest feature, then lowest bin): deterministic.
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

/** The best split found (mutable scratch object, reused to avoid allocations). */
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
 * @param slots - group histogram slots: 2 (gradient, count) or 3 (gradient, hessian, count)
 * @param hConst - the constant hessian when slots = 2
 * @param features - feature ids to consider
 * @param gT - node gradient sum
 * @param hT - node hessian sum
 * @param cT - node row count
 * @param p - constraints
 * @param out - written with the best split; `out.feature === -1` when none qualifies
 * @returns whether a split was found
 */
export function findBestSplit(
  b: Bundles, fh: Float64Array, gh: Float64Array, slots: number, hConst: number,
  features: Int32Array, gT: number, hT: number, cT: number, p: SplitParams, out: SplitResult,
): boolean {
  const lambda = p.lambda;
  const parentScore = (gT * gT) / (hT + lambda);
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
    const two = st === 2;
    let gm = 0;
    let hm = 0;
    let cm = 0;
    if (b.featCells[f]! > nv) {
      const k = o + nv * st;
      gm = src[k]!;
      cm = src[k + st - 1]!;
      hm = two ? cm * hConst : src[k + 1]!;
    }
    let gL = 0;
    let hL = 0;
    let cL = 0;
    for (let bin = 0; bin < nv - 1; bin++) {
      const k = o + bin * st;
      const c = src[k + st - 1]!;
      gL += src[k]!;
      hL += two ? c * hConst : src[k + 1]!;
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
      if (cL >= p.minSamplesLeaf && cR >= p.minSamplesLeaf && hL >= p.minChildWeight && hR >= p.minChildWeight) {
        const gain = 0.5 * ((gL * gL) / (hL + lambda) + (gR * gR) / (hR + lambda) - parentScore);
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
        if (cL2 >= p.minSamplesLeaf && cR >= p.minSamplesLeaf && hL2 >= p.minChildWeight && hR >= p.minChildWeight) {
          const gain = 0.5 * ((gL2 * gL2) / (hL2 + lambda) + (gR * gR) / (hR + lambda) - parentScore);
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
