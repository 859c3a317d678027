/**
 * Linear baselines: ridge regression (normal equations on standardised features, Cholesky) and
 * L2-regularised logistic regression (Newton / IRLS). Missing cells are imputed with the training
 * mean (so they contribute nothing); constant columns get a zero coefficient. The penalty applies to
 * standardised coefficients, never to the intercept. Models are plain JSON objects.
 */
import { HavenError } from '../../errors/haven-error.js';
import type { FeatureMatrix } from './feature-matrix.js';
import { sigmoid } from './objectives.js';
import { checkTarget } from './target.js';

/** A fitted linear model on the original feature scale. */
export interface LinearModel {
  readonly format: 'haven-linear';
  readonly version: 1;
  readonly kind: 'ridge' | 'logistic';
  readonly featureNames: string[];
  readonly intercept: number;
  readonly coef: number[];
  /** Training means, used to impute missing cells. */
  readonly means: number[];
  readonly lambda: number;
}

interface Standardised {
  readonly mean: Float64Array;
  readonly sd: Float64Array;
  /** Non-constant columns, the ones in the linear system. */
  readonly active: number[];
}

function standardise(m: FeatureMatrix): Standardised {
  const mean = new Float64Array(m.nCols);
  const sd = new Float64Array(m.nCols);
  const active: number[] = [];
  for (let c = 0; c < m.nCols; c++) {
    const base = c * m.nRows;
    let s = 0;
    let k = 0;
    for (let r = 0; r < m.nRows; r++) {
      const v = m.data[base + r]!;
      if (v === v) {
        s += v;
        k++;
      }
    }
    const mu = k > 0 ? s / k : 0;
    let ss = 0;
    for (let r = 0; r < m.nRows; r++) {
      const v = m.data[base + r]!;
      if (v === v) {
        ss += (v - mu) ** 2;
      }
    }
    mean[c] = mu;
    sd[c] = Math.sqrt(ss / Math.max(1, m.nRows));
    if (sd[c]! > 1e-12 * Math.max(1, Math.abs(mu))) {
      active.push(c);
    }
  }
  return { mean, sd, active };
}

/** Standardised column c (NaN → 0, i.e. the mean). */
function zcol(m: FeatureMatrix, st: Standardised, c: number): Float64Array {
  const z = new Float64Array(m.nRows);
  const base = c * m.nRows;
  const mu = st.mean[c]!;
  const s = st.sd[c]!;
  for (let r = 0; r < m.nRows; r++) {
    const v = m.data[base + r]!;
    z[r] = v === v ? (v - mu) / s : 0;
  }
  return z;
}

/** Solve A x = b for symmetric positive definite A (row-major k×k) by Cholesky; throws when singular. */
export function choleskySolve(A: Float64Array, b: Float64Array, k: number): Float64Array {
  const L = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * k + j]!;
      for (let t = 0; t < j; t++) {
        s -= L[i * k + t]! * L[j * k + t]!;
      }
      if (i === j) {
        if (!(s > 1e-10 * Math.max(1, Math.abs(A[i * k + i]!)))) {
          throw new HavenError('HAVEN_ML_SINGULAR', undefined, { detail: { column: i } });
        }
        L[i * k + i] = Math.sqrt(s);
      } else {
        L[i * k + j] = s / L[j * k + j]!;
      }
    }
  }
  const y = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let s = b[i]!;
    for (let t = 0; t < i; t++) {
      s -= L[i * k + t]! * y[t]!;
    }
    y[i] = s / L[i * k + i]!;
  }
  const x = new Float64Array(k);
  for (let i = k - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let t = i + 1; t < k; t++) {
      s -= L[t * k + i]! * x[t]!;
    }
    x[i] = s / L[i * k + i]!;
  }
  return x;
}

function toModel(kind: 'ridge' | 'logistic', m: FeatureMatrix, st: Standardised, beta: Float64Array, b0: number, lambda: number): LinearModel {
  const coef = new Array<number>(m.nCols).fill(0);
  let intercept = b0;
  st.active.forEach((c, j) => {
    coef[c] = beta[j]! / st.sd[c]!;
    intercept -= coef[c]! * st.mean[c]!;
  });
  return { format: 'haven-linear', version: 1, kind, featureNames: [...m.names], intercept, coef, means: Array.from(st.mean), lambda };
}

/**
 * Ridge regression: minimise Σ(y − ŷ)² + λ‖β_std‖².
 * @param m - features
 * @param target - values
 * @param opts - `lambda` (default 1; 0 = ordinary least squares, HAVEN_ML_SINGULAR if collinear)
 */
export function fitRidge(m: FeatureMatrix, target: ArrayLike<number>, opts: { lambda?: number } = {}): LinearModel {
  const lambda = opts.lambda ?? 1;
  if (!(lambda >= 0) || !Number.isFinite(lambda)) {
    throw new HavenError('HAVEN_ML_BAD_OPTION', undefined, { detail: { option: 'lambda' } });
  }
  checkTarget(target, m.nRows);
  const st = standardise(m);
  const k = st.active.length;
  const Z = st.active.map((c) => zcol(m, st, c));
  let ym = 0;
  for (let r = 0; r < m.nRows; r++) {
    ym += target[r]!;
  }
  ym /= m.nRows;
  const A = new Float64Array(k * k);
  const b = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    const zi = Z[i]!;
    for (let j = 0; j <= i; j++) {
      const zj = Z[j]!;
      let s = 0;
      for (let r = 0; r < m.nRows; r++) {
        s += zi[r]! * zj[r]!;
      }
      A[i * k + j] = s;
      A[j * k + i] = s;
    }
    A[i * k + i]! += lambda;
    let s = 0;
    for (let r = 0; r < m.nRows; r++) {
      s += zi[r]! * (target[r]! - ym);
    }
    b[i] = s;
  }
  const beta = k > 0 ? choleskySolve(A, b, k) : new Float64Array(0);
  // Centred columns: the intercept is the target mean (imputed zeros are the column mean too).
  return toModel('ridge', m, st, beta, ym, lambda);
}

/**
 * L2 logistic regression by Newton's method (IRLS).
 * @param m - features
 * @param target - labels 0/1
 * @param opts - `lambda` (default 1), `maxIter` (default 50), `tol` (default 1e-8)
 */
export function fitLogistic(m: FeatureMatrix, target: ArrayLike<number>, opts: { lambda?: number; maxIter?: number; tol?: number } = {}): LinearModel {
  const lambda = opts.lambda ?? 1;
  if (!(lambda >= 0) || !Number.isFinite(lambda)) {
    throw new HavenError('HAVEN_ML_BAD_OPTION', undefined, { detail: { option: 'lambda' } });
  }
  checkTarget(target, m.nRows, { binary: true });
  const st = standardise(m);
  const k = st.active.length + 1; // last = intercept
  const Z = st.active.map((c) => zcol(m, st, c));
  const n = m.nRows;
  const beta = new Float64Array(k);
  const eta = new Float64Array(n);
  const w = new Float64Array(n);
  const res = new Float64Array(n);
  for (let it = 0; it < (opts.maxIter ?? 50); it++) {
    for (let r = 0; r < n; r++) {
      let e = beta[k - 1]!;
      for (let j = 0; j < k - 1; j++) {
        e += beta[j]! * Z[j]![r]!;
      }
      eta[r] = e;
      const p = sigmoid(e);
      w[r] = Math.max(p * (1 - p), 1e-12);
      res[r] = p - target[r]!;
    }
    const col = (j: number, r: number): number => (j === k - 1 ? 1 : Z[j]![r]!);
    const H = new Float64Array(k * k);
    const g = new Float64Array(k);
    for (let i = 0; i < k; i++) {
      for (let j = 0; j <= i; j++) {
        let s = 0;
        for (let r = 0; r < n; r++) {
          s += col(i, r) * w[r]! * col(j, r);
        }
        H[i * k + j] = s;
        H[j * k + i] = s;
      }
      let s = 0;
      for (let r = 0; r < n; r++) {
        s += col(i, r) * res[r]!;
      }
      g[i] = s;
      if (i < k - 1) {
        H[i * k + i]! += lambda;
        g[i]! += lambda * beta[i]!;
      }
    }
    const step = choleskySolve(H, g, k);
    let maxStep = 0;
    for (let j = 0; j < k; j++) {
      beta[j]! -= step[j]!;
      maxStep = Math.max(maxStep, Math.abs(step[j]!));
    }
    if (maxStep < (opts.tol ?? 1e-8)) {
      break;
    }
  }
  return toModel('logistic', m, st, beta.subarray(0, k - 1), beta[k - 1]!, lambda);
}

/**
 * Predict with a linear model: values for ridge, probabilities for logistic (raw scores with `raw`).
 * @param model - fitted model
 * @param m - matrix with the model's columns in order
 * @param opts - `raw` to skip the sigmoid
 */
export function predictLinear(model: LinearModel, m: FeatureMatrix, opts: { raw?: boolean } = {}): Float64Array {
  if (m.nCols !== model.featureNames.length) {
    throw new HavenError('HAVEN_ML_SHAPE_MISMATCH', undefined, { detail: { modelFeatures: model.featureNames.length, matrixColumns: m.nCols } });
  }
  const out = new Float64Array(m.nRows).fill(model.intercept);
  for (let c = 0; c < m.nCols; c++) {
    const w = model.coef[c]!;
    if (w === 0) {
      continue;
    }
    const base = c * m.nRows;
    const mu = model.means[c]!;
    for (let r = 0; r < m.nRows; r++) {
      const v = m.data[base + r]!;
      out[r]! += w * (v === v ? v : mu);
    }
  }
  if (model.kind === 'logistic' && opts.raw !== true) {
    for (let r = 0; r < m.nRows; r++) {
      out[r] = sigmoid(out[r]!);
    }
  }
  return out;
}
