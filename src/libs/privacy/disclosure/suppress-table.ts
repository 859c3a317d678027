/**
 * Small-cell suppression for 1-D and 2-D aggregate tables published with their totals.
 * Primary suppression hides cells whose count is below the threshold (and any cell the caller flags, e.g. by
 * the dominance rule). Secondary suppression then hides more cells, greedily and as few as it can, until no
 * suppressed entry can be recovered exactly from the published cells and totals (see linear-recovery.ts).
 * Totals are treated as entries too: a total whose own count is small is suppressed and protected the same way.
 */
import { HavenError } from '../../../errors/haven-error.js';
import { determinedUnknowns, type LinearConstraint } from './linear-recovery.js';

/** Options of table suppression. */
export interface SuppressOptions {
  /** Cells with 0 < count < threshold are suppressed (default 10). */
  readonly threshold?: number | undefined;
  /** Also suppress zero counts (default false: a published zero is not small-cell disclosure by itself). */
  readonly suppressZeros?: boolean | undefined;
}

/** A suppressed 1-D table: null marks a suppressed entry. */
export interface SuppressedTable1d {
  readonly cells: readonly (number | null)[];
  readonly total: number | null;
  readonly primaryCount: number;
  readonly secondaryCount: number;
}

/** A suppressed 2-D table (rows × columns) with its margins: null marks a suppressed entry. */
export interface SuppressedTable2d {
  readonly cells: readonly (readonly (number | null)[])[];
  readonly rowTotals: readonly (number | null)[];
  readonly colTotals: readonly (number | null)[];
  readonly total: number | null;
  readonly primaryCount: number;
  readonly secondaryCount: number;
}

interface Layout {
  readonly values: number[];
  readonly counts: number[];
  readonly isTotal: boolean[];
  readonly constraints: LinearConstraint[];
}

/**
 * Suppress a 1-D table of counts (or of sums/means with their counts) published with its total.
 * @param counts - per-cell record counts (non-negative integers)
 * @param opts - threshold and zero handling; `values` are what is published (default: the counts); `extraPrimary` flags further cells (e.g. dominance)
 */
export function suppressTable1d(
  counts: readonly number[],
  opts: SuppressOptions & { readonly values?: readonly number[] | undefined; readonly extraPrimary?: readonly boolean[] | undefined } = {},
): SuppressedTable1d {
  checkCounts([counts]);
  const values = opts.values ?? counts;
  if (values.length !== counts.length || (opts.extraPrimary !== undefined && opts.extraPrimary.length !== counts.length)) {
    throw new HavenError('HAVEN_PRIVACY_INVALID_TABLE', undefined, { detail: { reason: 'shape_mismatch' } });
  }
  const c = counts.length;
  const layout: Layout = {
    values: [...values, sum(values)],
    counts: [...counts, sum(counts)],
    isTotal: [...new Array<boolean>(c).fill(false), true],
    constraints: [{ plus: range(c), minus: [c] }],
  };
  const extra = [...(opts.extraPrimary ?? new Array<boolean>(c).fill(false)), false];
  const { suppressed, primaryCount } = suppressLayout(layout, extra, opts);
  const out = layout.values.map((v, i) => (suppressed[i] === true ? null : v));
  return { cells: out.slice(0, c), total: out[c]!, primaryCount, secondaryCount: suppressed.filter(Boolean).length - primaryCount };
}

/**
 * Suppress a 2-D table (rows × columns) published with row totals, column totals and the grand total.
 * @param counts - per-cell record counts (non-negative integers, rectangular)
 * @param opts - threshold and zero handling; `values` are what is published (default: the counts); `extraPrimary` flags further cells
 */
export function suppressTable2d(
  counts: readonly (readonly number[])[],
  opts: SuppressOptions & {
    readonly values?: readonly (readonly number[])[] | undefined;
    readonly extraPrimary?: readonly (readonly boolean[])[] | undefined;
  } = {},
): SuppressedTable2d {
  checkCounts(counts);
  const nr = counts.length;
  const nc = counts[0]?.length ?? 0;
  const values = opts.values ?? counts;
  const sameShape = (t: readonly (readonly unknown[])[]): boolean => t.length === nr && t.every((r) => r.length === nc);
  if (!sameShape(values) || (opts.extraPrimary !== undefined && !sameShape(opts.extraPrimary))) {
    throw new HavenError('HAVEN_PRIVACY_INVALID_TABLE', undefined, { detail: { reason: 'shape_mismatch' } });
  }
  // Variable layout: cells (r*nc + c), then row totals, then column totals, then the grand total.
  const cell = (r: number, c: number): number => r * nc + c;
  const rowT = (r: number): number => nr * nc + r;
  const colT = (c: number): number => nr * nc + nr + c;
  const grand = nr * nc + nr + nc;
  const lay = (t: readonly (readonly number[])[]): number[] => [
    ...t.flat(),
    ...t.map((r) => sum(r)),
    ...range(nc).map((c) => sum(t.map((r) => r[c]!))),
    sum(t.flat()),
  ];
  const constraints: LinearConstraint[] = [
    ...range(nr).map((r) => ({ plus: range(nc).map((c) => cell(r, c)), minus: [rowT(r)] })),
    ...range(nc).map((c) => ({ plus: range(nr).map((r) => cell(r, c)), minus: [colT(c)] })),
    { plus: range(nr).map(rowT), minus: [grand] },
    { plus: range(nc).map(colT), minus: [grand] },
  ];
  const layout: Layout = {
    values: lay(values),
    counts: lay(counts),
    isTotal: range(grand + 1).map((v) => v >= nr * nc),
    constraints,
  };
  // Only interior cells can be flagged by the caller; totals get primary suppression from their own counts.
  const extra = range(grand + 1).map((v) => v < nr * nc && opts.extraPrimary?.[Math.floor(v / nc)]?.[v % nc] === true);
  const { suppressed, primaryCount } = suppressLayout(layout, extra, opts);
  const pub = layout.values.map((v, i) => (suppressed[i] === true ? null : v));
  return {
    cells: range(nr).map((r) => range(nc).map((c) => pub[cell(r, c)]!)),
    rowTotals: range(nr).map((r) => pub[rowT(r)]!),
    colTotals: range(nc).map((c) => pub[colT(c)]!),
    total: pub[grand]!,
    primaryCount,
    secondaryCount: suppressed.filter(Boolean).length - primaryCount,
  };
}

function suppressLayout(layout: Layout, extra: readonly boolean[], opts: SuppressOptions): { suppressed: boolean[]; primaryCount: number } {
  const threshold = opts.threshold ?? 10;
  if (!Number.isFinite(threshold) || threshold < 1) {
    throw new HavenError('HAVEN_PRIVACY_INVALID_PARAMETER', undefined, { detail: { parameter: 'threshold' } });
  }
  const n = layout.values.length;
  const suppressed = layout.counts.map(
    (k, i) => extra[i] === true || (k > 0 && k < threshold) || (k === 0 && opts.suppressZeros === true),
  );
  const primaryCount = suppressed.filter(Boolean).length;
  const exposedOf = (s: readonly boolean[]): number[] => {
    const det = determinedUnknowns(n, layout.constraints, s);
    return det.flatMap((d, i) => (d && s[i] === true ? [i] : []));
  };
  for (let guard = 0; guard <= n; guard++) {
    const exposed = exposedOf(suppressed);
    if (exposed.length === 0) {
      break;
    }
    // Candidates: published entries sharing an equation with any exposed entry (closing the cycle that makes
    // them undeterminable usually needs a cell next to a different exposed entry than the first one).
    const partners = new Set<number>();
    for (const c of layout.constraints) {
      const members = [...c.plus, ...c.minus];
      if (members.some((m) => suppressed[m] === true && exposed.includes(m))) {
        members.forEach((m) => partners.add(m));
      }
    }
    let candidates = [...partners].filter((u) => suppressed[u] !== true);
    if (candidates.length === 0) {
      candidates = range(n).filter((u) => suppressed[u] !== true);
    }
    if (candidates.length === 0) {
      break;
    }
    // Interior cells before totals (hiding a total loses more); then non-zero counts (a hidden zero hides
    // little); then the smallest value. Among the first few, take the one leaving the fewest exposed entries.
    const interior = candidates.filter((u) => layout.isTotal[u] !== true);
    const pool = interior.length > 0 ? interior : candidates;
    pool.sort(
      (a, b) =>
        Number(layout.counts[a] === 0) - Number(layout.counts[b] === 0) ||
        Math.abs(layout.values[a]!) - Math.abs(layout.values[b]!) ||
        a - b,
    );
    let best = pool[0]!;
    let bestExposed = Infinity;
    for (const u of pool.slice(0, 12)) {
      suppressed[u] = true;
      const e = exposedOf(suppressed).length;
      suppressed[u] = false;
      if (e < bestExposed) {
        bestExposed = e;
        best = u;
      }
    }
    suppressed[best] = true;
  }
  return { suppressed, primaryCount };
}

function checkCounts(table: readonly (readonly number[])[]): void {
  const width = table[0]?.length ?? 0;
  const ok = width > 0 && table.every((r) => r.length === width && r.every((k) => Number.isInteger(k) && k >= 0));
  if (!ok) {
    throw new HavenError('HAVEN_PRIVACY_INVALID_TABLE');
  }
}

function sum(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
