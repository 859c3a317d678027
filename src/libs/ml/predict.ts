/**
 * Batch prediction. A model is compiled once (cached per model object):
 * - every tree is padded to the ensemble's max depth D (padding nodes always go left and copy the
 *   leaf value), so traversal is exactly D steps with no leaf test;
 * - thresholds become integer ranks among each feature's distinct thresholds, and each block of rows
 *   is converted to those ranks once, so a step is branch-free integer arithmetic:
 *   right = (rank(threshold) − rank(x)) >>> 31, flipped for NaN (rank NAN_RANK) when missing goes left.
 * Trees deeper than PERFECT_MAX_DEPTH (lossguide) use plain pointer-chasing instead.
 */
import { HavenError } from '../../errors/haven-error.js';
import type { FeatureData, FeatureMatrix } from './feature-matrix.js';
import type { GbdtModel, GbdtTree } from './gbdt-model.js';
import { sigmoid } from './objectives.js';

const PERFECT_MAX_DEPTH = 10;
const BLOCK = 256;
/** Rank of NaN; real ranks are below it (a feature may have at most NAN_RANK − 1 distinct thresholds). */
const NAN_SHIFT = 20;
const NAN_RANK = 1 << NAN_SHIFT;

interface Compiled {
  readonly depth: number;
  /** Features used by the model, and their sorted distinct thresholds. */
  readonly used: Int32Array;
  readonly cuts: readonly Float64Array[];
  readonly feat: Int32Array;
  /** Threshold rank (NAN_RANK on padding nodes). */
  readonly thr: Int32Array;
  /** 1 when NaN goes left. */
  readonly dl: Int32Array;
  readonly leaf: Float64Array;
}

const cache = new WeakMap<GbdtModel, Compiled | null>();

function treeDepth(t: GbdtTree, node = 0): number {
  return t.left[node]! < 0 ? 0 : 1 + Math.max(treeDepth(t, t.left[node]!), treeDepth(t, t.right[node]!));
}

function lowerBound(a: Float64Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < x) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

function compile(model: GbdtModel): Compiled | null {
  const D = model.trees.reduce((m, t) => Math.max(m, treeDepth(t)), 0);
  if (D > PERFECT_MAX_DEPTH || D === 0) {
    return null;
  }
  const nF = model.featureNames.length;
  const sets = Array.from({ length: nF }, () => new Set<number>());
  for (const t of model.trees) {
    t.feature.forEach((f, i) => {
      if (f >= 0) {
        sets[f]!.add(t.threshold[i]!);
      }
    });
  }
  if (sets.some((s) => s.size >= NAN_RANK)) {
    return null;
  }
  const cuts = sets.map((s) => Float64Array.from(s).sort());
  const used = Int32Array.from([...Array(nF).keys()].filter((f) => sets[f]!.size > 0));
  const I = (1 << D) - 1;
  const L = 1 << D;
  const T = model.trees.length;
  const feat = new Int32Array(T * I);
  const thr = new Int32Array(T * I).fill(NAN_RANK);
  const dl = new Int32Array(T * I);
  const leaf = new Float64Array(T * L);
  model.trees.forEach((t, ti) => {
    const fill = (node: number, pos: number, d: number): void => {
      if (t.left[node]! < 0) {
        const k = D - d;
        const first = (pos + 1) * (1 << k) - 1 - I;
        leaf.fill(t.value[node]!, ti * L + first, ti * L + first + (1 << k));
        return;
      }
      const j = ti * I + pos;
      const f = t.feature[node]!;
      feat[j] = f;
      thr[j] = lowerBound(cuts[f]!, t.threshold[node]!);
      dl[j] = t.defaultLeft[node] === 1 ? 1 : 0;
      fill(t.left[node]!, 2 * pos + 1, d + 1);
      fill(t.right[node]!, 2 * pos + 2, d + 1);
    };
    fill(0, 0, 0);
  });
  return { depth: D, used, cuts, feat, thr, dl, leaf };
}

function runPerfect(c: Compiled, data: FeatureData, n: number, nF: number, out: Float64Array, nTrees: number): void {
  const D = c.depth;
  const I = (1 << D) - 1;
  const L = 1 << D;
  const { feat, thr, dl, leaf, used, cuts } = c;
  const blk = new Int32Array(BLOCK * nF);
  for (let r0 = 0; r0 < n; r0 += BLOCK) {
    const m = Math.min(BLOCK, n - r0);
    // Ranks of this block's values: x > threshold ⇔ rank(x) > rank(threshold).
    for (let u = 0; u < used.length; u++) {
      const f = used[u]!;
      const cf = cuts[f]!;
      const base = f * n + r0;
      for (let j = 0; j < m; j++) {
        const x = data[base + j]!;
        blk[j * nF + f] = x !== x ? NAN_RANK : lowerBound(cf, x);
      }
    }
    // Four rows per pass through the trees: four independent dependency chains per step, which
    // the CPU overlaps (a single row's D steps are strictly sequential loads).
    let j = 0;
    for (; j + 3 < m; j += 4) {
      const ra = j * nF;
      const rb = ra + nF;
      const rc = rb + nF;
      const rd = rc + nF;
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      for (let t = 0; t < nTrees; t++) {
        const tb = t * I;
        let i0 = 0;
        let i1 = 0;
        let i2 = 0;
        let i3 = 0;
        for (let d = 0; d < D; d++) {
          const k0 = tb + i0;
          const k1 = tb + i1;
          const k2 = tb + i2;
          const k3 = tb + i3;
          const x0 = blk[ra + feat[k0]!]!;
          const x1 = blk[rb + feat[k1]!]!;
          const x2 = blk[rc + feat[k2]!]!;
          const x3 = blk[rd + feat[k3]!]!;
          i0 = 2 * i0 + 1 + (((thr[k0]! - x0) >>> 31) ^ ((x0 >>> NAN_SHIFT) & dl[k0]!));
          i1 = 2 * i1 + 1 + (((thr[k1]! - x1) >>> 31) ^ ((x1 >>> NAN_SHIFT) & dl[k1]!));
          i2 = 2 * i2 + 1 + (((thr[k2]! - x2) >>> 31) ^ ((x2 >>> NAN_SHIFT) & dl[k2]!));
          i3 = 2 * i3 + 1 + (((thr[k3]! - x3) >>> 31) ^ ((x3 >>> NAN_SHIFT) & dl[k3]!));
        }
        const lb = t * L - I;
        a0 += leaf[lb + i0]!;
        a1 += leaf[lb + i1]!;
        a2 += leaf[lb + i2]!;
        a3 += leaf[lb + i3]!;
      }
      out[r0 + j]! += a0;
      out[r0 + j + 1]! += a1;
      out[r0 + j + 2]! += a2;
      out[r0 + j + 3]! += a3;
    }
    for (; j < m; j++) {
      const rb = j * nF;
      let acc = 0;
      for (let t = 0; t < nTrees; t++) {
        const tb = t * I;
        let i = 0;
        for (let d = 0; d < D; d++) {
          const k = tb + i;
          const xb = blk[rb + feat[k]!]!;
          i = 2 * i + 1 + (((thr[k]! - xb) >>> 31) ^ ((xb >>> NAN_SHIFT) & dl[k]!));
        }
        acc += leaf[t * L + i - I]!;
      }
      out[r0 + j]! += acc;
    }
  }
}

/**
 * Raw-score contribution of one tree for one row (pointer chasing; also used during training).
 * @param t - tree
 * @param data - column-major cells
 * @param n - rows in data
 * @param r - row
 */
export function predictTreeRow(t: GbdtTree, data: FeatureData, n: number, r: number): number {
  let i = 0;
  while (t.left[i]! >= 0) {
    const x = data[t.feature[i]! * n + r]!;
    i = x !== x ? (t.defaultLeft[i] === 1 ? t.left[i]! : t.right[i]!) : x <= t.threshold[i]! ? t.left[i]! : t.right[i]!;
  }
  return t.value[i]!;
}

/**
 * Predict every row of a matrix.
 * @param model - a trained (or validated) model
 * @param m - matrix with the model's feature columns in the model's order
 * @param opts - `raw` returns raw scores for logloss instead of probabilities; `nTrees` uses only the first trees
 * @returns one prediction per row
 */
export function predictGbdt(model: GbdtModel, m: FeatureMatrix, opts: { raw?: boolean; nTrees?: number } = {}): Float64Array {
  if (m.nCols !== model.featureNames.length) {
    throw new HavenError('HAVEN_ML_SHAPE_MISMATCH', undefined, { detail: { modelFeatures: model.featureNames.length, matrixColumns: m.nCols } });
  }
  for (let c = 0; c < m.nCols; c++) {
    if (m.names[c] !== model.featureNames[c]) {
      throw new HavenError('HAVEN_ML_SHAPE_MISMATCH', 'matrix columns differ from the model features', { detail: { column: c } });
    }
  }
  const nTrees = Math.min(opts.nTrees ?? model.trees.length, model.trees.length);
  const n = m.nRows;
  const out = new Float64Array(n).fill(model.baseScore);
  let c = cache.get(model);
  if (c === undefined) {
    c = compile(model);
    cache.set(model, c);
  }
  if (c !== null) {
    runPerfect(c, m.data, n, m.nCols, out, nTrees);
  } else {
    for (let t = 0; t < nTrees; t++) {
      const tree = model.trees[t]!;
      for (let r = 0; r < n; r++) {
        out[r]! += predictTreeRow(tree, m.data, n, r);
      }
    }
  }
  if (model.objective === 'logloss' && opts.raw !== true) {
    for (let r = 0; r < n; r++) {
      out[r] = sigmoid(out[r]!);
    }
  }
  return out;
}
