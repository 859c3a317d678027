/**
 * Exact-recovery analysis for published tables with additive totals. A table publishes cell values and
 * totals; some are suppressed (unknown). Every total is a linear equation over the table's entries, so an
 * attacker who knows the published values can solve for a suppressed entry exactly iff its unit vector lies
 * in the row space of the constraint matrix restricted to the unknowns. Row-reduce that matrix: unknown j is
 * determined iff some reduced row is exactly e_j.
 *
 * This catches every exact recovery by linear algebra (rows, columns, grand total and their combinations),
 * which is what secondary suppression must prevent. It does not bound interval (LP) disclosure: with
 * non-negativity an attacker can still bound a suppressed cell by the smallest total it appears in.
 */

/** One additive equation: Σ values[plus] − Σ values[minus] = 0. */
export interface LinearConstraint {
  readonly plus: readonly number[];
  readonly minus: readonly number[];
}

const EPS = 1e-9;

/**
 * Which unknowns are uniquely determined by the constraints given all known values.
 * @param nVars - number of variables (table entries incl. totals)
 * @param constraints - additive equations over variable indices
 * @param unknown - unknown[v] is true when entry v is suppressed
 * @returns determined[v] true for suppressed entries an attacker can recover exactly
 */
export function determinedUnknowns(nVars: number, constraints: readonly LinearConstraint[], unknown: readonly boolean[]): boolean[] {
  const cols: number[] = [];
  const colOf = new Map<number, number>();
  for (let v = 0; v < nVars; v++) {
    if (unknown[v] === true) {
      colOf.set(v, cols.length);
      cols.push(v);
    }
  }
  const n = cols.length;
  const rows: Float64Array[] = [];
  for (const c of constraints) {
    const row = new Float64Array(n);
    let any = false;
    for (const v of c.plus) {
      const j = colOf.get(v);
      if (j !== undefined) {
        row[j]! += 1;
        any = true;
      }
    }
    for (const v of c.minus) {
      const j = colOf.get(v);
      if (j !== undefined) {
        row[j]! -= 1;
        any = true;
      }
    }
    if (any) {
      rows.push(row);
    }
  }
  // Reduced row echelon form by Gauss–Jordan with partial pivoting.
  let r = 0;
  const pivotRows: number[] = [];
  for (let j = 0; j < n && r < rows.length; j++) {
    let best = r;
    for (let i = r + 1; i < rows.length; i++) {
      if (Math.abs(rows[i]![j]!) > Math.abs(rows[best]![j]!)) {
        best = i;
      }
    }
    if (Math.abs(rows[best]![j]!) < EPS) {
      continue;
    }
    const tmp = rows[r]!;
    rows[r] = rows[best]!;
    rows[best] = tmp;
    const pr = rows[r]!;
    const p = pr[j]!;
    for (let k = 0; k < n; k++) {
      pr[k] = pr[k]! / p;
    }
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      const f = row[j]!;
      if (i !== r && Math.abs(f) > EPS) {
        for (let k = 0; k < n; k++) {
          row[k] = row[k]! - f * pr[k]!;
        }
      }
    }
    pivotRows.push(j);
    r++;
  }
  const determined = new Array<boolean>(nVars).fill(false);
  for (let i = 0; i < r; i++) {
    const row = rows[i]!;
    let nonZero = 0;
    for (let k = 0; k < n; k++) {
      if (Math.abs(row[k]!) > EPS) {
        nonZero++;
      }
    }
    if (nonZero === 1) {
      determined[cols[pivotRows[i]!]!] = true;
    }
  }
  return determined;
}
