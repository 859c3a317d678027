/**
 * The little dense linear algebra the defence checks need: Cholesky factorisation of a symmetric positive
 * definite matrix, solves and inverse, and a ridge-regression fit. Matrices are arrays of rows.
 */
import { HavenError } from '../../errors/haven-error.js';

/**
 * Lower-triangular L with A = L·Lᵀ.
 * @param a - symmetric positive definite matrix (n × n)
 */
export function cholesky(a: readonly (readonly number[])[]): number[][] {
  const n = a.length;
  const l = a.map(() => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i]![j]!;
      for (let k = 0; k < j; k++) {
        s -= l[i]![k]! * l[j]![k]!;
      }
      if (i === j) {
        if (!(s > 0)) {
          throw new HavenError('HAVEN_PRIVACY_INVALID_INPUT', undefined, { detail: { reason: 'matrix_not_positive_definite' } });
        }
        l[i]![i] = Math.sqrt(s);
      } else {
        l[i]![j] = s / l[j]![j]!;
      }
    }
  }
  return l;
}

/**
 * Solve A·x = b given the Cholesky factor L of A.
 * @param l - lower-triangular factor
 * @param b - right-hand side
 */
export function choleskySolve(l: readonly (readonly number[])[], b: readonly number[]): number[] {
  const n = l.length;
  const y = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) {
      s -= l[i]![k]! * y[k]!;
    }
    y[i] = s / l[i]![i]!;
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < n; k++) {
      s -= l[k]![i]! * x[k]!;
    }
    x[i] = s / l[i]![i]!;
  }
  return x;
}

/**
 * Inverse of a symmetric positive definite matrix.
 * @param a - the matrix (n × n)
 */
export function spdInverse(a: readonly (readonly number[])[]): number[][] {
  const l = cholesky(a);
  const n = a.length;
  const cols = Array.from({ length: n }, (_, j) => choleskySolve(l, Array.from({ length: n }, (_, i) => (i === j ? 1 : 0))));
  return Array.from({ length: n }, (_, i) => cols.map((c) => c[i]!));
}

/** A fitted linear model y ≈ w·x + b. */
export interface LinearFit {
  readonly weights: readonly number[];
  readonly intercept: number;
}

/**
 * Ridge regression with an unpenalised intercept (features are centred first).
 * @param rows - design matrix (n × d)
 * @param targets - targets (n)
 * @param lambda - L2 penalty (≥ 0; a tiny positive value keeps under-determined systems solvable)
 */
export function fitRidge(rows: readonly (readonly number[])[], targets: readonly number[], lambda: number): LinearFit {
  const n = rows.length;
  const d = rows[0]?.length ?? 0;
  if (n === 0 || targets.length !== n || rows.some((r) => r.length !== d)) {
    throw new HavenError('HAVEN_PRIVACY_INVALID_INPUT', undefined, { detail: { reason: 'bad_design_matrix', rows: n } });
  }
  const mx = new Array<number>(d).fill(0);
  let my = 0;
  rows.forEach((r, i) => {
    r.forEach((v, j) => (mx[j] = mx[j]! + v / n));
    my += targets[i]! / n;
  });
  const xtx = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  const xty = new Array<number>(d).fill(0);
  rows.forEach((r, i) => {
    const yc = targets[i]! - my;
    for (let a = 0; a < d; a++) {
      const xa = r[a]! - mx[a]!;
      xty[a] = xty[a]! + xa * yc;
      for (let b = 0; b <= a; b++) {
        xtx[a]![b] = xtx[a]![b]! + xa * (r[b]! - mx[b]!);
      }
    }
  });
  for (let a = 0; a < d; a++) {
    for (let b = 0; b < a; b++) {
      xtx[b]![a] = xtx[a]![b]!;
    }
    xtx[a]![a] = xtx[a]![a]! + Math.max(lambda, 1e-12);
  }
  const w = choleskySolve(cholesky(xtx), xty);
  const intercept = my - w.reduce((s, wj, j) => s + wj * mx[j]!, 0);
  return { weights: w, intercept };
}

/**
 * Evaluate a linear fit on one row.
 * @param fit - weights and intercept
 * @param row - feature row
 */
export function predictLinearFit(fit: LinearFit, row: readonly number[]): number {
  let s = fit.intercept;
  for (let j = 0; j < fit.weights.length; j++) {
    s += fit.weights[j]! * row[j]!;
  }
  return s;
}
