/**
 * Target column parsing and checks shared by every trainer.
 */
import { HavenError } from '../../errors/haven-error.js';
import { isMissingCell, type RawCell } from './feature-matrix.js';

/**
 * Parse a raw target column into numbers.
 * Absent column or a non-numeric cell → HAVEN_ML_TARGET_MISSING; empty/NaN/Infinity cell → HAVEN_ML_TARGET_NOT_FINITE.
 * @param col - raw cells (undefined when the column does not exist)
 * @param name - column name, for the error detail
 */
export function parseTarget(col: readonly RawCell[] | undefined, name: string): Float64Array {
  if (col === undefined) {
    throw new HavenError('HAVEN_ML_TARGET_MISSING', undefined, { detail: { column: name } });
  }
  const y = new Float64Array(col.length);
  for (let r = 0; r < col.length; r++) {
    const v = col[r];
    if (isMissingCell(v)) {
      throw new HavenError('HAVEN_ML_TARGET_NOT_FINITE', undefined, { detail: { column: name, row: r } });
    }
    const n = typeof v === 'number' ? v : typeof v === 'boolean' ? (v ? 1 : 0) : Number(String(v).trim());
    if (Number.isNaN(n) && typeof v !== 'number') {
      const s = String(v).trim().toLowerCase();
      const code = s === 'infinity' || s === '-infinity' || s === '+infinity' ? 'HAVEN_ML_TARGET_NOT_FINITE' : 'HAVEN_ML_TARGET_MISSING';
      throw new HavenError(code, undefined, { detail: { column: name, row: r } });
    }
    if (!Number.isFinite(n)) {
      throw new HavenError('HAVEN_ML_TARGET_NOT_FINITE', undefined, { detail: { column: name, row: r } });
    }
    y[r] = n;
  }
  return y;
}

/**
 * Check a numeric target before training: length, finiteness, at least two rows, not constant.
 * @param y - target values
 * @param nRows - rows in the feature matrix
 * @param opts - `binary` requires 0/1 values
 */
export function checkTarget(y: ArrayLike<number>, nRows: number, opts: { binary?: boolean } = {}): void {
  if (y.length !== nRows) {
    throw new HavenError('HAVEN_ML_SHAPE_MISMATCH', undefined, { detail: { targetRows: y.length, matrixRows: nRows } });
  }
  if (nRows < 2) {
    throw new HavenError('HAVEN_ML_TOO_FEW_ROWS', undefined, { detail: { rows: nRows } });
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < nRows; i++) {
    const v = y[i]!;
    if (!Number.isFinite(v)) {
      throw new HavenError('HAVEN_ML_TARGET_NOT_FINITE', undefined, { detail: { row: i } });
    }
    if (opts.binary === true && v !== 0 && v !== 1) {
      throw new HavenError('HAVEN_ML_TARGET_NOT_BINARY', undefined, { detail: { row: i } });
    }
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (lo === hi) {
    throw new HavenError('HAVEN_ML_TARGET_CONSTANT', undefined, { detail: { rows: nRows } });
  }
}
