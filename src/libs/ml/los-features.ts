/**
 * The hospital length-of-stay (LOS) feature rules, identical to ../shared/bench/peer_los.py:
 * 29 numeric features in a fixed order, target `lengthofstay`, TEST rows where eid % 5 == 0.
 * Dropped: First, Middle, Last, eid (identifiers, not features) and vdate, discharged — both dates
 * must go because discharged - vdate == lengthofstay on every row (a target leak).
 */
import { HavenError } from '../../errors/haven-error.js';
import { parseNumericCell, type FeatureMatrix, type RawColumns } from './feature-matrix.js';
import { parseTarget } from './target.js';

/** The 11 condition flags, in feature order. */
export const LOS_FLAGS = [
  'dialysisrenalendstage', 'asthma', 'irondef', 'pneum', 'substancedependence',
  'psychologicaldisordermajor', 'depress', 'psychother', 'fibrosisandother', 'malnutrition', 'hemo',
] as const;

/** The 9 lab/vital columns, in feature order. */
export const LOS_LABS = [
  'hematocrit', 'neutrophils', 'sodium', 'glucose', 'bloodureanitro', 'creatinine', 'bmi', 'pulse', 'respiration',
] as const;

const FACIDS = ['A', 'B', 'C', 'D', 'E'] as const;

/** The 29 feature names, in the order peer_los.py uses. */
export const LOS_FEATURES: readonly string[] = [
  'rcount', 'gender_M', ...LOS_FLAGS, ...LOS_LABS, 'secondarydiagnosisnonicd9',
  ...FACIDS.map((f) => `facid_${f}`), 'number_of_issues',
];

/** Columns never used as features (identifiers, and the two leaking dates). */
export const LOS_DROPPED = ['First', 'Middle', 'Last', 'eid', 'vdate', 'discharged'] as const;

/** The target column. */
export const LOS_TARGET = 'lengthofstay';

/** LOS matrix with its target and TEST mask (1 = test row). */
export interface LosData {
  readonly matrix: FeatureMatrix;
  readonly target: Float64Array;
  readonly isTest: Uint8Array;
}

function need(cols: RawColumns, name: string): NonNullable<RawColumns[string]> {
  const c = cols[name];
  if (c === undefined) {
    throw new HavenError('HAVEN_ML_SHAPE_MISMATCH', 'required LOS column is missing', { detail: { column: name } });
  }
  return c;
}

function num(v: unknown, column: string, row: number): number {
  const n = parseNumericCell(v as string);
  if (n === undefined) {
    throw new HavenError('HAVEN_ML_FEATURE_NOT_NUMERIC', undefined, { detail: { column, row } });
  }
  return n;
}

/**
 * Build the LOS features, target and split from raw columns (strings from a CSV reader, or numbers).
 * @param cols - raw columns by header name
 * @param opts - `withTarget: false` for scoring files without `lengthofstay` (target is then empty)
 */
export function buildLosData(cols: RawColumns, opts: { withTarget?: boolean } = {}): LosData {
  const eid = need(cols, 'eid');
  const n = eid.length;
  const data = new Float64Array(n * LOS_FEATURES.length);
  const put = (c: number, r: number, v: number): void => {
    data[c * n + r] = v;
  };
  const rcount = need(cols, 'rcount');
  const gender = need(cols, 'gender');
  const facid = need(cols, 'facid');
  const flags = LOS_FLAGS.map((f) => need(cols, f));
  const labs = LOS_LABS.map((f) => need(cols, f));
  const sec = need(cols, 'secondarydiagnosisnonicd9');
  const isTest = new Uint8Array(n);
  for (let r = 0; r < n; r++) {
    const rc = String(rcount[r] ?? '').trim();
    put(0, r, rc === '5+' ? 5 : num(rc, 'rcount', r));
    put(1, r, String(gender[r] ?? '').trim() === 'M' ? 1 : 0);
    let issues = 0;
    for (let k = 0; k < flags.length; k++) {
      const v = num(flags[k]![r], LOS_FLAGS[k]!, r);
      put(2 + k, r, v);
      issues += v;
    }
    for (let k = 0; k < labs.length; k++) {
      put(13 + k, r, num(labs[k]![r], LOS_LABS[k]!, r));
    }
    put(22, r, num(sec[r], 'secondarydiagnosisnonicd9', r));
    const fac = String(facid[r] ?? '').trim();
    for (let k = 0; k < FACIDS.length; k++) {
      put(23 + k, r, fac === FACIDS[k] ? 1 : 0);
    }
    put(28, r, issues);
    const e = num(eid[r], 'eid', r);
    isTest[r] = e % 5 === 0 ? 1 : 0;
  }
  const target = opts.withTarget === false ? new Float64Array(0) : parseTarget(cols[LOS_TARGET], LOS_TARGET);
  return { matrix: { nRows: n, nCols: LOS_FEATURES.length, names: LOS_FEATURES, data }, target, isTest };
}
