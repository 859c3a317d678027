import { HavenError } from '../../../errors/haven-error.js';
import type { ColumnLabel, ColumnLabels } from './column-labels.js';

/** What happens to a column. */
export type DeidAction =
  | 'keep'
  | 'drop'
  | 'zip3'
  | 'age_top_code'
  | 'date_to_year'
  | 'birth_date_to_year'
  | 'date_shift'
  | 'pseudonymise';

/** Options that decide the plan (functions are used later, only their presence matters here). */
export interface PlanOptions {
  /** Dates: keep only the year (default) or shift by a per-patient number of days. */
  readonly dates?: 'year' | 'shift' | undefined;
  /** Whether a pseudonym function was supplied (unique ids are pseudonymised, otherwise dropped). */
  readonly hasPseudonym: boolean;
  /** Whether shift functions were supplied. */
  readonly hasShift: boolean;
  /** Whether a reference year was supplied (needed to top-code birth years). */
  readonly hasReferenceYear: boolean;
  /** Columns with no label: drop (default, deny by default) or keep. */
  readonly unlabelled?: 'drop' | 'keep' | undefined;
}

/** Identifiers that may be replaced by a pseudonym (a record-linkage code) instead of being removed. */
const PSEUDONYMISABLE = new Set(['unique_id', 'medical_record_number', 'account_number', 'health_plan_number']);

function missing(option: string): HavenError {
  return new HavenError('HAVEN_DEID_MISSING_FUNCTION', undefined, { detail: { option } });
}

/**
 * Decides the Safe Harbor action for one column.
 * @param label - the column's label, or undefined when unlabelled
 * @param o - plan options
 */
export function planColumn(label: ColumnLabel | undefined, o: PlanOptions): DeidAction {
  if (label === undefined) {
    return o.unlabelled === 'keep' ? 'keep' : 'drop';
  }
  switch (label.label) {
    case 'sensitive':
    case 'non_identifying':
      return 'keep';
    case 'secret':
      return 'drop';
    case 'quasi_identifier':
      switch (label.kind) {
        case 'age':
          return 'age_top_code';
        case 'zip':
        case 'zip3':
          return 'zip3';
        case 'date':
          return dateAction(o);
        default:
          // year, gender, facility, other: Safe Harbor allows them as they are.
          return 'keep';
      }
    case 'direct_identifier':
      switch (label.kind) {
        case 'zip':
          return 'zip3';
        case 'date':
          return dateAction(o);
        case 'birth_date':
          // Birth dates keep only the year, never a shifted date: a shifted birth date still gives the age, and
          // ages over 89 must not be derivable. The year itself is top-coded.
          if (!o.hasReferenceYear) {
            throw missing('referenceYear');
          }
          return 'birth_date_to_year';
        default:
          return PSEUDONYMISABLE.has(label.kind) && o.hasPseudonym ? 'pseudonymise' : 'drop';
      }
  }
}

function dateAction(o: PlanOptions): DeidAction {
  if (o.dates === 'shift') {
    if (!o.hasShift) {
      throw missing('shiftDays');
    }
    return 'date_shift';
  }
  return 'date_to_year';
}

/**
 * Plans every labelled column up front, so a missing function fails before any row is touched.
 * @param labels - the classification map
 * @param o - plan options
 */
export function planColumns(labels: ColumnLabels, o: PlanOptions): Map<string, DeidAction> {
  const plan = new Map<string, DeidAction>();
  for (const [column, label] of Object.entries(labels)) {
    plan.set(column, planColumn(label, o));
  }
  return plan;
}
