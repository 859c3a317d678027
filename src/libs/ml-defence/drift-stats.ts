/**
 * Two-sample distribution-shift statistics used by the poisoning screens: population stability index (PSI),
 * the Kolmogorov–Smirnov statistic with its asymptotic p-value, and Pearson's chi-square for categoricals.
 */
import { quantileSorted } from './quantile.js';

const PSI_FLOOR = 1e-4; // empty bins would make PSI infinite; this is the usual smoothing

/**
 * PSI = Σ (q − p)·ln(q/p) over bins; < 0.1 stable, 0.1–0.2 moderate, > 0.2 a significant shift.
 * @param expected - bin proportions of the previous version
 * @param actual - bin proportions of the new version
 */
export function psi(expected: readonly number[], actual: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < expected.length; i++) {
    const p = Math.max(expected[i]!, PSI_FLOOR);
    const q = Math.max(actual[i] ?? 0, PSI_FLOOR);
    s += (q - p) * Math.log(q / p);
  }
  return s;
}

/**
 * PSI of a numeric column with bins at the deciles (or `bins`-quantiles) of the previous version.
 * @param prevSorted - previous values, sorted ascending
 * @param nextSorted - new values, sorted ascending
 * @param bins - number of quantile bins (default 10)
 */
export function numericPsi(prevSorted: readonly number[], nextSorted: readonly number[], bins = 10): number {
  const edges: number[] = [];
  for (let b = 1; b < bins; b++) {
    const e = quantileSorted(prevSorted, b / bins);
    if (edges.length === 0 || e > edges[edges.length - 1]!) {
      edges.push(e);
    }
  }
  const hist = (xs: readonly number[]): number[] => {
    const h = new Array<number>(edges.length + 1).fill(0);
    for (const x of xs) {
      let k = 0;
      while (k < edges.length && x > edges[k]!) {
        k++;
      }
      h[k] = h[k]! + 1 / xs.length;
    }
    return h;
  };
  return psi(hist(prevSorted), hist(nextSorted));
}

/**
 * Two-sample KS statistic D = sup |F₁ − F₂| and its asymptotic p-value.
 * @param a - sample 1, sorted ascending
 * @param b - sample 2, sorted ascending
 */
export function ksTest(a: readonly number[], b: readonly number[]): { d: number; pValue: number } {
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < a.length && j < b.length) {
    const x = Math.min(a[i]!, b[j]!);
    while (i < a.length && a[i]! <= x) {
      i++;
    }
    while (j < b.length && b[j]! <= x) {
      j++;
    }
    d = Math.max(d, Math.abs(i / a.length - j / b.length));
  }
  const ne = (a.length * b.length) / (a.length + b.length);
  const lambda = (Math.sqrt(ne) + 0.12 + 0.11 / Math.sqrt(ne)) * d;
  return { d, pValue: kolmogorovQ(lambda) };
}

/** Q_KS(λ) = 2 Σ (−1)^{k−1} e^{−2k²λ²} (Numerical Recipes), clamped to [0, 1]. */
function kolmogorovQ(lambda: number): number {
  if (lambda < 1e-3) {
    return 1;
  }
  let s = 0;
  for (let k = 1; k <= 100; k++) {
    const term = 2 * (k % 2 === 1 ? 1 : -1) * Math.exp(-2 * k * k * lambda * lambda);
    s += term;
    if (Math.abs(term) < 1e-12) {
      break;
    }
  }
  return Math.min(1, Math.max(0, s));
}

/**
 * Pearson chi-square test of homogeneity for two count vectors over the same categories.
 * p-value by the Wilson–Hilferty normal approximation of the chi-square distribution.
 * @param a - counts per category in version 1
 * @param b - counts per category in version 2
 */
export function chiSquareTest(a: readonly number[], b: readonly number[]): { chi2: number; dof: number; pValue: number; cramersV: number } {
  const na = a.reduce((s, x) => s + x, 0);
  const nb = b.reduce((s, x) => s + x, 0);
  const n = na + nb;
  let chi2 = 0;
  let used = 0;
  for (let k = 0; k < a.length; k++) {
    const col = a[k]! + (b[k] ?? 0);
    if (col === 0) {
      continue;
    }
    used++;
    const ea = (col * na) / n;
    const eb = (col * nb) / n;
    chi2 += (a[k]! - ea) ** 2 / ea + ((b[k] ?? 0) - eb) ** 2 / eb;
  }
  const dof = Math.max(1, used - 1);
  const z = (Math.cbrt(chi2 / dof) - (1 - 2 / (9 * dof))) / Math.sqrt(2 / (9 * dof));
  return { chi2, dof, pValue: 1 - normalCdf(z), cramersV: n > 0 ? Math.sqrt(chi2 / n) : 0 };
}

/**
 * Standard normal CDF (Abramowitz–Stegun 7.1.26 erf approximation, |error| < 1.5e-7).
 * @param z - the point
 */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}
