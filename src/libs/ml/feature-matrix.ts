/**
 * Column-major numeric feature matrices, and the spec that turns raw columns (strings or numbers)
 * into one the same way at training and at scoring time.
 *
 * All-missing columns: `inferFeatureSpec` DROPS them and records a note (name + reason) rather than
 * erroring, because a column that is empty in one extract is common in health data and carries no
 * signal; callers can surface the note. A feature that is all-missing inside a matrix handed straight
 * to training is harmless (it never yields a split) and is therefore allowed.
 */
import { HavenError } from '../../errors/haven-error.js';

/** Cell storage: Float64 for exactness, Float32 to halve memory on large sets. */
export type FeatureData = Float64Array | Float32Array;

/** A dense column-major matrix: value of row r, column c is `data[c * nRows + r]`; NaN = missing. */
export interface FeatureMatrix {
  readonly nRows: number;
  readonly nCols: number;
  readonly names: readonly string[];
  readonly data: FeatureData;
}

/** How one raw column becomes matrix columns. */
export type ColumnSpec =
  | { readonly name: string; readonly type: 'numeric' }
  | { readonly name: string; readonly type: 'categorical'; readonly levels: readonly string[]; readonly encoding: 'onehot' | 'code' };

/** The recipe to rebuild a matrix from raw columns; JSON-serialisable, stored with a model. */
export interface FeatureSpec {
  readonly columns: readonly ColumnSpec[];
}

/** A raw cell as it arrives from a parser or a database row. */
export type RawCell = string | number | boolean | null | undefined;

/** Raw input: a column accessor by name (so both row objects and column arrays work without copying). */
export type RawColumns = Readonly<Record<string, readonly RawCell[]>>;

/** A note about a column that `inferFeatureSpec` left out. */
export interface SpecNote {
  readonly column: string;
  readonly reason: 'all-missing' | 'excluded';
}

const MISSING_STRINGS = new Set(['', 'na', 'nan', 'null', 'none', '?']);

/** True when a raw cell means "no value". */
export function isMissingCell(v: RawCell): boolean {
  if (v === null || v === undefined) {
    return true;
  }
  if (typeof v === 'number') {
    return Number.isNaN(v);
  }
  if (typeof v === 'string') {
    return MISSING_STRINGS.has(v.trim().toLowerCase());
  }
  return false;
}

/** Parse a raw cell as a number: NaN for missing, undefined when it is not numeric. */
export function parseNumericCell(v: RawCell): number | undefined {
  if (isMissingCell(v)) {
    return NaN;
  }
  if (typeof v === 'number') {
    return Number.isFinite(v) ? v : undefined;
  }
  if (typeof v === 'boolean') {
    return v ? 1 : 0;
  }
  const n = Number((v as string).trim());
  return Number.isFinite(n) ? n : undefined;
}

/**
 * Turn row objects into column arrays (no parsing).
 * @param rows - row objects keyed by column name
 * @param names - columns to take (default: keys of the first row)
 */
export function rowsToColumns(rows: readonly Readonly<Record<string, RawCell>>[], names?: readonly string[]): Record<string, RawCell[]> {
  const cols = names ?? (rows.length > 0 ? Object.keys(rows[0]!) : []);
  const out: Record<string, RawCell[]> = {};
  for (const c of cols) {
    const arr = new Array<RawCell>(rows.length);
    for (let i = 0; i < rows.length; i++) {
      arr[i] = rows[i]![c];
    }
    out[c] = arr;
  }
  return out;
}

/**
 * Decide per column: numeric when every present cell parses as a finite number, else categorical
 * (sorted levels). All-missing columns are dropped with a note (see file comment).
 * @param columns - raw columns by name
 * @param opts - `features` (default: all columns minus `exclude`), `categorical` forces categorical, `encoding` for categoricals
 */
export function inferFeatureSpec(
  columns: RawColumns,
  opts: { features?: readonly string[]; exclude?: readonly string[]; categorical?: readonly string[]; encoding?: 'onehot' | 'code' } = {},
): { spec: FeatureSpec; notes: SpecNote[] } {
  const exclude = new Set(opts.exclude ?? []);
  const forced = new Set(opts.categorical ?? []);
  const names = opts.features ?? Object.keys(columns);
  const specs: ColumnSpec[] = [];
  const notes: SpecNote[] = [];
  for (const name of names) {
    if (exclude.has(name)) {
      notes.push({ column: name, reason: 'excluded' });
      continue;
    }
    const col = columns[name];
    if (col === undefined) {
      throw new HavenError('HAVEN_ML_SHAPE_MISMATCH', undefined, { detail: { column: name } });
    }
    let present = 0;
    let numeric = !forced.has(name);
    const levels = new Set<string>();
    for (const v of col) {
      if (isMissingCell(v)) {
        continue;
      }
      present++;
      if (numeric && parseNumericCell(v) === undefined) {
        numeric = false;
      }
      levels.add(String(v).trim());
    }
    if (present === 0) {
      notes.push({ column: name, reason: 'all-missing' });
    } else if (numeric) {
      specs.push({ name, type: 'numeric' });
    } else {
      specs.push({ name, type: 'categorical', levels: [...levels].sort(), encoding: opts.encoding ?? 'onehot' });
    }
  }
  if (specs.length === 0) {
    throw new HavenError('HAVEN_ML_NO_FEATURES');
  }
  return { spec: { columns: specs }, notes };
}

/** Matrix column names a spec produces (one-hot levels become `name_level`). */
export function specColumnNames(spec: FeatureSpec): string[] {
  const out: string[] = [];
  for (const c of spec.columns) {
    if (c.type === 'categorical' && c.encoding === 'onehot') {
      for (const l of c.levels) {
        out.push(`${c.name}_${l}`);
      }
    } else {
      out.push(c.name);
    }
  }
  return out;
}

/**
 * Build a matrix from raw columns with a spec. Unknown categorical levels at scoring time become
 * all-zero one-hot columns (or NaN codes), i.e. "none of the levels seen in training".
 * @param spec - the recipe (from `inferFeatureSpec` or stored with a model)
 * @param columns - raw columns by name
 * @param opts - `float32` to store cells as Float32
 */
export function buildFeatureMatrix(spec: FeatureSpec, columns: RawColumns, opts: { float32?: boolean } = {}): FeatureMatrix {
  const names = specColumnNames(spec);
  const first = spec.columns[0];
  const nRows = first === undefined ? 0 : (columns[first.name]?.length ?? 0);
  const data = opts.float32 === true ? new Float32Array(nRows * names.length) : new Float64Array(nRows * names.length);
  let c = 0;
  for (const cs of spec.columns) {
    const col = columns[cs.name];
    if (col?.length !== nRows) {
      throw new HavenError('HAVEN_ML_SHAPE_MISMATCH', undefined, { detail: { column: cs.name } });
    }
    if (cs.type === 'numeric') {
      const base = c * nRows;
      for (let r = 0; r < nRows; r++) {
        const v = parseNumericCell(col[r]);
        if (v === undefined) {
          throw new HavenError('HAVEN_ML_FEATURE_NOT_NUMERIC', undefined, { detail: { column: cs.name, row: r } });
        }
        data[base + r] = v;
      }
      c++;
      continue;
    }
    const index = new Map<string, number>();
    cs.levels.forEach((l, i) => index.set(l, i));
    if (cs.encoding === 'code') {
      const base = c * nRows;
      for (let r = 0; r < nRows; r++) {
        const v = col[r];
        data[base + r] = isMissingCell(v) ? NaN : (index.get(String(v).trim()) ?? NaN);
      }
      c++;
      continue;
    }
    // One-hot: zero-filled already; set the one. A missing cell is NaN in every level column.
    for (let r = 0; r < nRows; r++) {
      const v = col[r];
      if (isMissingCell(v)) {
        for (let k = 0; k < cs.levels.length; k++) {
          data[(c + k) * nRows + r] = NaN;
        }
        continue;
      }
      const k = index.get(String(v).trim());
      if (k !== undefined) {
        data[(c + k) * nRows + r] = 1;
      }
    }
    c += cs.levels.length;
  }
  return { nRows, nCols: names.length, names, data };
}

/**
 * A new matrix holding the given rows, in the given order.
 * @param m - source matrix
 * @param rows - row indices to keep
 */
export function selectRows(m: FeatureMatrix, rows: ArrayLike<number>): FeatureMatrix {
  const n = rows.length;
  const data = m.data instanceof Float32Array ? new Float32Array(n * m.nCols) : new Float64Array(n * m.nCols);
  for (let c = 0; c < m.nCols; c++) {
    const src = c * m.nRows;
    const dst = c * n;
    for (let i = 0; i < n; i++) {
      data[dst + i] = m.data[src + rows[i]!]!;
    }
  }
  return { nRows: n, nCols: m.nCols, names: m.names, data };
}

/**
 * Build a matrix from already-numeric column arrays (no parsing), e.g. from another lib.
 * @param names - column names
 * @param cols - one numeric array per name, equal lengths
 */
export function matrixFromColumns(names: readonly string[], cols: readonly ArrayLike<number>[]): FeatureMatrix {
  if (names.length !== cols.length) {
    throw new HavenError('HAVEN_ML_SHAPE_MISMATCH');
  }
  const nRows = cols[0]?.length ?? 0;
  const data = new Float64Array(nRows * names.length);
  cols.forEach((col, c) => {
    if (col.length !== nRows) {
      throw new HavenError('HAVEN_ML_SHAPE_MISMATCH', undefined, { detail: { column: names[c]! } });
    }
    for (let r = 0; r < nRows; r++) {
      data[c * nRows + r] = col[r]!;
    }
  });
  return { nRows, nCols: names.length, names: [...names], data };
}
