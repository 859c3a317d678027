/**
 * Gradient quantisation: every round, gradients (and hessians) are scaled by a power of two and
 * rounded to integers held in doubles. Any sum of them is then an integer below 2^53, which a double
 * holds exactly, so histogram sums do not depend on the order rows are added in. That is what makes
 * training byte-identical for any thread count (each thread sums its own rows, partial histograms are
 * added in whatever order) and makes the subtraction trick (sibling = parent − child) exact.
 *
 * Precision: the scale is the largest power of two with n · max|g| · scale ≤ 2^52, so a gradient is
 * rounded to about 2^-52 · n · max|g| (≈ 4·10^-9 for a million rows with |g| ≤ 16): far below any
 * effect on a split or a leaf value.
 */

/** Largest |exponent| used, so scales stay finite and non-zero for any finite input. */
const MAX_EXP = 1000;

/**
 * The power-of-two scale for `n` values of magnitude at most `maxAbs`: their rounded, scaled sum
 * stays below 2^53 (n · maxAbs · scale ≤ 2^52, rounding adds at most n/2).
 * @param maxAbs - largest absolute value (0 gives scale 1)
 * @param n - number of values (≥ 1)
 */
export function quantScale(maxAbs: number, n: number): number {
  if (!(maxAbs > 0) || !Number.isFinite(maxAbs)) {
    return 1;
  }
  const e = Math.floor(Math.log2(2 ** 52 / (Math.max(1, n) * maxAbs)));
  return 2 ** Math.max(-MAX_EXP, Math.min(MAX_EXP, e));
}

/**
 * Quantise gradients in place for rows lo..hi−1: g ← round(g · scale).
 * @param grad - gradients
 * @param scale - from `quantScale`
 * @param lo - first row
 * @param hi - one past the last row
 */
export function quantizeGradients(grad: Float64Array, scale: number, lo: number, hi: number): void {
  for (let r = lo; r < hi; r++) {
    grad[r] = Math.round(grad[r]! * scale);
  }
}

/**
 * Quantise hessians in place for rows lo..hi−1: h ← max(1, round(h · scale)); a hessian never
 * becomes 0, so leaf weights −G/(H+λ) stay finite even with λ = 0.
 * @param hess - hessians (positive)
 * @param scale - from `quantScale`
 * @param lo - first row
 * @param hi - one past the last row
 */
export function quantizeHessians(hess: Float64Array, scale: number, lo: number, hi: number): void {
  for (let r = lo; r < hi; r++) {
    hess[r] = Math.max(1, Math.round(hess[r]! * scale));
  }
}

/**
 * K for packing a row count into the gradient (value = q · K + 1): the power of two above n, so a
 * sum over at most n rows splits back into (Σq, count) exactly; 0 when the gradients would keep fewer
 * than 2^12 levels (from 2^20 rows on: then histograms keep a separate count slot).
 * @param n - rows
 */
export function packFactor(n: number): number {
  const K = 2 ** Math.ceil(Math.log2(n + 1));
  return 2 ** 52 / (K * n) >= 2 ** 12 ? K : 0;
}

/**
 * Quantise and pack gradients in place for rows lo..hi−1: g ← round(g · scale) · K + 1. With scale from
 * `quantScale(max|g|, n · K)`, any sum over ≤ n rows is below 2^53 in magnitude and equals Σq · K + count
 * with 0 ≤ count < K, so one histogram update per row and group carries both.
 * @param grad - gradients
 * @param scale - from `quantScale(maxAbs, n * K)`
 * @param K - from `packFactor`
 * @param lo - first row
 * @param hi - one past the last row
 */
export function packGradients(grad: Float64Array, scale: number, K: number, lo: number, hi: number): void {
  for (let r = lo; r < hi; r++) {
    grad[r] = Math.round(grad[r]! * scale) * K + 1;
  }
}
