/**
 * Evaluation metrics for regression and binary classification, plus the length-of-stay day accuracy
 * used by the peer benchmark (prediction rounded half up, floored at day 1).
 */
import { HavenError } from '../../errors/haven-error.js';

function check(y: ArrayLike<number>, p: ArrayLike<number>): number {
  if (y.length !== p.length) {
    throw new HavenError('HAVEN_ML_SHAPE_MISMATCH', undefined, { detail: { targetRows: y.length, predictionRows: p.length } });
  }
  if (y.length === 0) {
    throw new HavenError('HAVEN_ML_TOO_FEW_ROWS', undefined, { detail: { rows: 0 } });
  }
  return y.length;
}

function meanOf(y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) {
    s += y[i]!;
  }
  return s / y.length;
}

/**
 * Mean absolute error.
 * @param y - true values
 * @param p - predictions
 */
export function mae(y: ArrayLike<number>, p: ArrayLike<number>): number {
  const n = check(y, p);
  let s = 0;
  for (let i = 0; i < n; i++) {
    s += Math.abs(p[i]! - y[i]!);
  }
  return s / n;
}

/**
 * Root mean squared error.
 * @param y - true values
 * @param p - predictions
 */
export function rmse(y: ArrayLike<number>, p: ArrayLike<number>): number {
  const n = check(y, p);
  let s = 0;
  for (let i = 0; i < n; i++) {
    const d = p[i]! - y[i]!;
    s += d * d;
  }
  return Math.sqrt(s / n);
}

/**
 * Relative squared error: Σ(p − y)² / Σ(y − ȳ)² (1 = no better than predicting the mean).
 * @param y - true values
 * @param p - predictions
 */
export function rse(y: ArrayLike<number>, p: ArrayLike<number>): number {
  const n = check(y, p);
  const m = meanOf(y);
  let se = 0;
  let st = 0;
  for (let i = 0; i < n; i++) {
    se += (p[i]! - y[i]!) ** 2;
    st += (y[i]! - m) ** 2;
  }
  return se / st;
}

/**
 * Coefficient of determination, 1 − RSE (mean taken over the rows given).
 * @param y - true values
 * @param p - predictions
 */
export function r2(y: ArrayLike<number>, p: ArrayLike<number>): number {
  return 1 - rse(y, p);
}

/**
 * Relative absolute error: Σ|p − y| / Σ|y − ȳ|.
 * @param y - true values
 * @param p - predictions
 */
export function rae(y: ArrayLike<number>, p: ArrayLike<number>): number {
  const n = check(y, p);
  const m = meanOf(y);
  let se = 0;
  let st = 0;
  for (let i = 0; i < n; i++) {
    se += Math.abs(p[i]! - y[i]!);
    st += Math.abs(y[i]! - m);
  }
  return se / st;
}

/**
 * Area under the ROC curve (rank statistic; tied scores count one half).
 * @param y - labels 0/1
 * @param score - higher means more likely 1
 * @returns NaN when only one class is present
 */
export function auc(y: ArrayLike<number>, score: ArrayLike<number>): number {
  const n = check(y, score);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => score[a]! - score[b]!);
  let rankSumPos = 0;
  let nPos = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && score[order[j + 1]!] === score[order[i]!]) {
      j++;
    }
    const avgRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (y[order[k]!] === 1) {
        rankSumPos += avgRank;
        nPos++;
      }
    }
    i = j + 1;
  }
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0) {
    return NaN;
  }
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/**
 * Mean log-loss of probabilities (clipped to [1e-15, 1 − 1e-15]).
 * @param y - labels 0/1
 * @param prob - predicted probabilities of 1
 */
export function logLoss(y: ArrayLike<number>, prob: ArrayLike<number>): number {
  const n = check(y, prob);
  let s = 0;
  for (let i = 0; i < n; i++) {
    const p = Math.min(1 - 1e-15, Math.max(1e-15, prob[i]!));
    s -= y[i]! === 1 ? Math.log(p) : Math.log(1 - p);
  }
  return s / n;
}

/** One calibration bin. */
export interface CalibrationBin {
  readonly lo: number;
  readonly hi: number;
  readonly count: number;
  readonly meanPredicted: number;
  readonly observedRate: number;
}

/**
 * Reliability table: probabilities split into equal-width bins over [0, 1]; empty bins are omitted.
 * @param y - labels 0/1
 * @param prob - predicted probabilities
 * @param nBins - number of bins (default 10)
 */
export function calibrationBins(y: ArrayLike<number>, prob: ArrayLike<number>, nBins = 10): CalibrationBin[] {
  const n = check(y, prob);
  const cnt = new Float64Array(nBins);
  const sp = new Float64Array(nBins);
  const sy = new Float64Array(nBins);
  for (let i = 0; i < n; i++) {
    const p = prob[i]!;
    const b = Math.min(nBins - 1, Math.max(0, Math.floor(p * nBins)));
    cnt[b]!++;
    sp[b]! += p;
    sy[b]! += y[i]!;
  }
  const out: CalibrationBin[] = [];
  for (let b = 0; b < nBins; b++) {
    if (cnt[b]! > 0) {
      out.push({ lo: b / nBins, hi: (b + 1) / nBins, count: cnt[b]!, meanPredicted: sp[b]! / cnt[b]!, observedRate: sy[b]! / cnt[b]! });
    }
  }
  return out;
}

/**
 * Length-of-stay day accuracy: day = max(1, floor(p + 0.5)); share exactly right and within one day.
 * @param y - true length of stay (whole days)
 * @param p - predicted length of stay
 */
export function losDayAccuracy(y: ArrayLike<number>, p: ArrayLike<number>): { exact: number; within1: number } {
  const n = check(y, p);
  let exact = 0;
  let within1 = 0;
  for (let i = 0; i < n; i++) {
    const day = Math.max(1, Math.floor(p[i]! + 0.5));
    const d = Math.abs(day - y[i]!);
    exact += d === 0 ? 1 : 0;
    within1 += d <= 1 ? 1 : 0;
  }
  return { exact: exact / n, within1: within1 / n };
}

/** The regression report used by services and the benchmark. */
export interface RegressionReport {
  readonly rmse: number;
  readonly mae: number;
  readonly r2: number;
  readonly rae: number;
  readonly rse: number;
}

/**
 * All regression metrics at once.
 * @param y - true values
 * @param p - predictions
 */
export function regressionReport(y: ArrayLike<number>, p: ArrayLike<number>): RegressionReport {
  return { rmse: rmse(y, p), mae: mae(y, p), r2: r2(y, p), rae: rae(y, p), rse: rse(y, p) };
}
