/**
 * Poisoning screens of a new dataset version against the previous one. They look for what an attacker who
 * can add or alter training rows leaves behind: shifted feature or label distributions, injected copies of
 * rows (exact, or jittered near-copies that sit in the same rounding bucket), and a jump in outliers.
 * The result is a list of flags with feature names and statistics only — never row values — for a human to
 * review before the version is used for training. Thresholds are conventional defaults, all overridable.
 */
import { HavenError } from '../../errors/haven-error.js';
import { chiSquareTest, ksTest, numericPsi, psi } from './drift-stats.js';
import { seededRandom } from '../privacy/dp/seeded-random.js';
import { quantileSorted, sortedFinite } from './quantile.js';

/** One column's cells; null (or a non-finite number) means missing. */
export type Column = readonly (number | string | null)[];

/** A dataset version, column-major. */
export type DatasetColumns = Readonly<Record<string, Column>>;

/** Which columns to screen and how. */
export interface ScreenOptions {
  readonly numeric: readonly string[];
  readonly categorical: readonly string[];
  readonly label?: { readonly column: string; readonly kind: 'numeric' | 'categorical' } | undefined;
  /** PSI above this is a shift (default 0.2). */
  readonly maxPsi?: number | undefined;
  /** KS D above this with p < 0.001 is a shift (default 0.1); also the Cramér's V limit for categoricals. */
  readonly maxEffect?: number | undefined;
  /** Allowed increase in the exact-duplicate fraction (default 0.005). */
  readonly maxDuplicateIncrease?: number | undefined;
  /** Allowed increase in the near-duplicate fraction (default 0.01). */
  readonly maxNearDuplicateIncrease?: number | undefined;
  /** Allowed increase in a column's outlier fraction (default 0.01). */
  readonly maxOutlierIncrease?: number | undefined;
  /** Allowed change in a column's missing fraction (default 0.05). */
  readonly maxMissingChange?: number | undefined;
}

/** One screening flag. */
export interface PoisoningFlag {
  readonly kind: 'distribution_shift' | 'label_shift' | 'missingness_shift' | 'exact_duplicates' | 'near_duplicates' | 'outliers';
  readonly feature: string | null;
  readonly stats: Readonly<Record<string, number>>;
}

/** The screening report. */
export interface ScreenReport {
  readonly flags: readonly PoisoningFlag[];
  readonly rowsPrevious: number;
  readonly rowsNext: number;
}

/**
 * Screen `next` against `prev`.
 * @param prev - the previous (trusted) dataset version
 * @param next - the new version
 * @param opts - columns and thresholds
 */
export function screenDatasetVersion(prev: DatasetColumns, next: DatasetColumns, opts: ScreenOptions): ScreenReport {
  const labelCol = opts.label?.column;
  const numeric = [...opts.numeric, ...(opts.label?.kind === 'numeric' ? [opts.label.column] : [])];
  const categorical = [...opts.categorical, ...(opts.label?.kind === 'categorical' ? [opts.label.column] : [])];
  const np = rowCount(prev, [...numeric, ...categorical]);
  const nn = rowCount(next, [...numeric, ...categorical]);
  const maxPsi = opts.maxPsi ?? 0.2;
  const maxEffect = opts.maxEffect ?? 0.1;
  const flags: PoisoningFlag[] = [];
  const shiftKind = (c: string): PoisoningFlag['kind'] => (c === labelCol ? 'label_shift' : 'distribution_shift');

  for (const c of [...numeric, ...categorical]) {
    const mp = missingFraction(prev[c]!);
    const mn = missingFraction(next[c]!);
    if (Math.abs(mn - mp) > (opts.maxMissingChange ?? 0.05)) {
      flags.push({ kind: 'missingness_shift', feature: c, stats: { missingPrevious: mp, missingNext: mn } });
    }
  }
  for (const c of numeric) {
    const a = sortedFinite(nums(prev[c]!));
    const b = sortedFinite(nums(next[c]!));
    if (a.length === 0 || b.length === 0) {
      continue;
    }
    const p = numericPsi(a, b);
    const ks = ksTest(a, b);
    if (p > maxPsi || (ks.d > maxEffect && ks.pValue < 1e-3)) {
      flags.push({ kind: shiftKind(c), feature: c, stats: { psi: p, ksD: ks.d, ksPValue: ks.pValue } });
    }
    const out = outlierFractions(a, b);
    if (out !== null && out.next - out.previous > (opts.maxOutlierIncrease ?? 0.01)) {
      flags.push({ kind: 'outliers', feature: c, stats: { outlierFractionPrevious: out.previous, outlierFractionNext: out.next } });
    }
  }
  for (const c of categorical) {
    const cats = [...new Set([...prev[c]!, ...next[c]!].filter((v) => v !== null).map(String))].sort();
    const count = (col: Column): number[] => {
      const m = new Map<string, number>();
      col.forEach((v) => v !== null && m.set(String(v), (m.get(String(v)) ?? 0) + 1));
      return cats.map((k) => m.get(k) ?? 0);
    };
    const ca = count(prev[c]!);
    const cb = count(next[c]!);
    const ta = ca.reduce((s, x) => s + x, 0);
    const tb = cb.reduce((s, x) => s + x, 0);
    if (ta === 0 || tb === 0) {
      continue;
    }
    const p = psi(ca.map((x) => x / ta), cb.map((x) => x / tb));
    const chi = chiSquareTest(ca, cb);
    if (p > maxPsi || (chi.cramersV > maxEffect && chi.pValue < 1e-3)) {
      flags.push({ kind: shiftKind(c), feature: c, stats: { psi: p, chi2: chi.chi2, dof: chi.dof, pValue: chi.pValue, cramersV: chi.cramersV } });
    }
  }

  // Collision rates grow with the number of rows, so both versions are compared on equal-size samples.
  const columns = [...numeric, ...categorical];
  const size = Math.min(np, nn);
  const sp = sampleRows(np, size, 1);
  const sn = sampleRows(nn, size, 2);
  const dupPrev = exactDuplicateFraction(prev, columns, sp);
  const dupNext = exactDuplicateFraction(next, columns, sn);
  if (dupNext - dupPrev > (opts.maxDuplicateIncrease ?? 0.005)) {
    flags.push({ kind: 'exact_duplicates', feature: null, stats: { duplicateFractionPrevious: dupPrev, duplicateFractionNext: dupNext } });
  }
  const widths = numeric.map((c) => bucketWidth(prev[c]!));
  const nearPrev = nearDuplicateFraction(prev, numeric, categorical, widths, sp);
  const nearNext = nearDuplicateFraction(next, numeric, categorical, widths, sn);
  if (nearNext - nearPrev > (opts.maxNearDuplicateIncrease ?? 0.01)) {
    flags.push({ kind: 'near_duplicates', feature: null, stats: { nearDuplicateFractionPrevious: nearPrev, nearDuplicateFractionNext: nearNext } });
  }
  return { flags, rowsPrevious: np, rowsNext: nn };
}

function rowCount(data: DatasetColumns, columns: readonly string[]): number {
  let n = -1;
  for (const c of columns) {
    const col = data[c];
    if (col === undefined || (n >= 0 && col.length !== n)) {
      throw new HavenError('HAVEN_PRIVACY_INVALID_INPUT', undefined, { detail: { reason: 'missing_or_ragged_column', column: c } });
    }
    n = col.length;
  }
  if (n <= 0) {
    throw new HavenError('HAVEN_PRIVACY_INVALID_INPUT', undefined, { detail: { reason: 'empty_dataset' } });
  }
  return n;
}

function nums(col: Column): number[] {
  return col.map((v) => (typeof v === 'number' ? v : NaN));
}

function missingFraction(col: Column): number {
  return col.filter((v) => v === null || (typeof v === 'number' && !Number.isFinite(v))).length / col.length;
}

/** Fractions with robust |z| > 3.5 (median/MAD of the previous version; IQR or SD if MAD is 0). */
function outlierFractions(prevSorted: readonly number[], nextSorted: readonly number[]): { previous: number; next: number } | null {
  const med = quantileSorted(prevSorted, 0.5);
  const mad = quantileSorted(sortedFinite(prevSorted.map((v) => Math.abs(v - med))), 0.5) / 0.6745;
  const iqr = (quantileSorted(prevSorted, 0.75) - quantileSorted(prevSorted, 0.25)) / 1.349;
  const m = prevSorted.reduce((a, b) => a + b, 0) / prevSorted.length;
  const sd = Math.sqrt(prevSorted.reduce((a, b) => a + (b - m) ** 2, 0) / prevSorted.length);
  const scale = mad > 0 ? mad : iqr > 0 ? iqr : sd;
  if (!(scale > 0)) {
    return null;
  }
  const frac = (xs: readonly number[]): number => xs.filter((x) => Math.abs(x - med) / scale > 3.5).length / xs.length;
  return { previous: frac(prevSorted), next: frac(nextSorted) };
}

function rowKey(data: DatasetColumns, columns: readonly string[], i: number): string {
  return JSON.stringify(columns.map((c) => data[c]![i] ?? null));
}

function exactDuplicateFraction(data: DatasetColumns, columns: readonly string[], rows: readonly number[]): number {
  const seen = new Set<string>();
  for (const i of rows) {
    seen.add(rowKey(data, columns, i));
  }
  return (rows.length - seen.size) / rows.length;
}

/** A deterministic random sample of `size` row indices out of `n` (all rows when size = n). */
function sampleRows(n: number, size: number, seed: number): number[] {
  const idx = Array.from({ length: n }, (_, i) => i);
  if (size >= n) {
    return idx;
  }
  const rand = seededRandom(seed);
  for (let i = 0; i < size; i++) {
    const j = i + Math.floor(rand() * (n - i));
    const t = idx[i]!;
    idx[i] = idx[j]!;
    idx[j] = t;
  }
  return idx.slice(0, size);
}

// Buckets a quarter of a standard deviation wide: jitter far below that keeps a copy in its original's bucket.
function bucketWidth(col: Column): number {
  const xs = sortedFinite(nums(col));
  const m = xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, xs.length));
  return sd > 0 ? 0.25 * sd : 1;
}

/**
 * Fraction of rows sharing a rounding bucket with another row of the same version, under any of three
 * grids shifted by a third of a bucket (so a jittered copy that crosses a bucket edge in one grid is usually
 * caught by another).
 */
function nearDuplicateFraction(
  data: DatasetColumns,
  numeric: readonly string[],
  categorical: readonly string[],
  widths: readonly number[],
  rows: readonly number[],
): number {
  const hit = new Map<number, boolean>();
  for (let g = 0; g < 3; g++) {
    const buckets = new Map<string, number[]>();
    for (const i of rows) {
      const key = JSON.stringify([
        ...numeric.map((c, j) => {
          const v = data[c]![i];
          return typeof v === 'number' && Number.isFinite(v) ? Math.floor(v / widths[j]! + g / 3) : null;
        }),
        ...categorical.map((c) => data[c]![i] ?? null),
      ]);
      const list = buckets.get(key);
      if (list === undefined) {
        buckets.set(key, [i]);
      } else {
        list.push(i);
      }
    }
    for (const list of buckets.values()) {
      if (list.length > 1) {
        list.forEach((i) => hit.set(i, true));
      }
    }
  }
  return hit.size / rows.length;
}
