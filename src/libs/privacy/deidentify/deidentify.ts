import { HavenError } from '../../../errors/haven-error.js';
import type { ColumnLabel, ColumnLabels } from './column-labels.js';
import { parseDeidDate, shiftDate } from './deid-dates.js';
import { planColumn, planColumns, type DeidAction } from './plan-columns.js';
import { generaliseZip } from './safe-harbor-zip.js';

/** A cell value. */
export type DeidValue = string | number | null;
/** A row in. */
export type DeidRow = Readonly<Record<string, DeidValue>>;

/** Options of the Safe Harbor transform. */
export interface DeidentifyOptions {
  /** Column classification. Unlabelled columns are dropped unless `unlabelled: 'keep'`. */
  readonly labels: ColumnLabels;
  /** Dates → year only (default) or shifted by `shiftDays(patientKey(row))` days. */
  readonly dates?: 'year' | 'shift' | undefined;
  /** Days to shift one patient's dates (same patient → same shift keeps intervals such as length of stay). */
  readonly shiftDays?: ((patientKey: string) => number) | undefined;
  /** The patient a row belongs to, for date shifting (e.g. a patient id column before it is pseudonymised). */
  readonly patientKey?: ((row: DeidRow, index: number) => string) | undefined;
  /** Replaces a unique id (MRN, account, unique_id); without it those columns are dropped. */
  readonly pseudonym?: ((value: string, column: string) => string) | undefined;
  /** The year ages are measured at (no clock in libs); needed only when a birth_date column is labelled. */
  readonly referenceYear?: number | undefined;
  /** Unlabelled columns: 'drop' (default) or 'keep'. */
  readonly unlabelled?: 'drop' | 'keep' | undefined;
}

/** What was done to one column: counts only, never values. */
export interface ColumnReport {
  readonly column: string;
  readonly label: ColumnLabel['label'] | 'unlabelled';
  readonly kind: string | null;
  readonly action: DeidAction;
  /** Rows in which the column was present. */
  rows: number;
  /** Values changed (generalised, shifted, pseudonymised or removed). */
  changed: number;
  /** Values that could not be transformed safely and were set to null. */
  suppressed: number;
  /** Ages over 89 written as "90+" and birth years top-coded. */
  topCoded: number;
  /** ZIP codes in a restricted 3-digit area, written as "000". */
  restrictedZip: number;
}

/** The result of de-identifying a batch. */
export interface DeidentifyResult {
  readonly rows: Record<string, DeidValue>[];
  /** Output columns in first-seen order. */
  readonly columns: string[];
  readonly report: ColumnReport[];
}

/** A streaming de-identifier: transform rows one by one, then read the report. */
export interface Deidentifier {
  /** Transforms one row (index is its position, passed to patientKey). */
  transform(row: DeidRow, index: number): Record<string, DeidValue>;
  /** Per-column report so far, in first-seen column order. */
  report(): ColumnReport[];
}

function callSafely<T>(fn: () => T, column: string): T {
  try {
    return fn();
  } catch {
    // The cause may carry the value; do not attach it.
    throw new HavenError('HAVEN_DEID_TRANSFORM_FAILED', undefined, { detail: { column } });
  }
}

/**
 * Creates a streaming HIPAA Safe Harbor de-identifier. Plans every labelled column first, so a missing function or
 * parameter (HAVEN_DEID_MISSING_FUNCTION) fails before any row is read.
 * @param o - labels and transform functions
 */
export function createDeidentifier(o: DeidentifyOptions): Deidentifier {
  const planOpts = {
    dates: o.dates, unlabelled: o.unlabelled, hasPseudonym: o.pseudonym !== undefined,
    hasShift: o.shiftDays !== undefined && o.patientKey !== undefined, hasReferenceYear: o.referenceYear !== undefined,
  };
  if (o.referenceYear !== undefined && !Number.isSafeInteger(o.referenceYear)) {
    throw new HavenError('HAVEN_DEID_MISSING_FUNCTION', undefined, { detail: { option: 'referenceYear' } });
  }
  const plan = planColumns(o.labels, planOpts);
  const reports = new Map<string, ColumnReport>();
  const reportFor = (column: string): ColumnReport => {
    let r = reports.get(column);
    if (r === undefined) {
      const label = Object.hasOwn(o.labels, column) ? o.labels[column] : undefined;
      const action = plan.get(column) ?? planColumn(label, planOpts);
      plan.set(column, action);
      r = {
        column, label: label?.label ?? 'unlabelled', kind: label !== undefined && 'kind' in label ? label.kind : null, action,
        rows: 0, changed: 0, suppressed: 0, topCoded: 0, restrictedZip: 0,
      };
      reports.set(column, r);
    }
    return r;
  };

  const transformCell = (v: DeidValue, r: ColumnReport, shift: () => number): DeidValue | undefined => {
    if (r.action === 'drop') {
      r.changed += v === null ? 0 : 1;
      return undefined;
    }
    if (v === null || v === '' || r.action === 'keep') {
      return v;
    }
    let out: DeidValue = null;
    switch (r.action) {
      case 'zip3': {
        const z = generaliseZip(v);
        out = z?.value ?? null;
        r.restrictedZip += z?.restricted === true ? 1 : 0;
        break;
      }
      case 'age_top_code': {
        const n = typeof v === 'number' ? v : /^\s*\d+(\.\d+)?\s*$/.test(v) ? Number(v) : Number.NaN;
        if (v === '90+') {
          out = v; // already top-coded: transforming twice changes nothing
        } else if (Number.isFinite(n) && n >= 0) {
          out = n > 89 ? '90+' : v;
          r.topCoded += n > 89 ? 1 : 0;
        }
        break;
      }
      case 'date_to_year':
      case 'birth_date_to_year': {
        const text = String(v).trim();
        const limit = (o.referenceYear ?? 0) - 90;
        if (text === `<=${limit}` && r.action === 'birth_date_to_year') {
          out = text; // already top-coded: transforming twice changes nothing
          break;
        }
        // A bare year (already generalised) or a full date.
        const year = /^\d{4}$/.test(text) ? Number(text) : parseDeidDate(text)?.date.year;
        if (year !== undefined) {
          const top = r.action === 'birth_date_to_year' && year <= limit;
          out = top ? `<=${limit}` : year;
          r.topCoded += top ? 1 : 0;
        }
        break;
      }
      case 'date_shift': {
        const p = parseDeidDate(String(v));
        out = p === null ? null : shiftDate(p, shift());
        break;
      }
      case 'pseudonymise': {
        const pseudonym = o.pseudonym!;
        out = callSafely(() => pseudonym(String(v), r.column), r.column);
        if (typeof out !== 'string') {
          throw new HavenError('HAVEN_DEID_TRANSFORM_FAILED', undefined, { detail: { column: r.column } });
        }
        break;
      }
    }
    if (out === null) {
      r.suppressed += 1;
    }
    r.changed += out === v ? 0 : 1;
    return out;
  };

  return {
    transform(row, index) {
      const out: Record<string, DeidValue> = {};
      let days: number | undefined;
      const shift = (): number => {
        if (days === undefined) {
          const key = callSafely(() => o.patientKey!(row, index), 'patientKey');
          days = callSafely(() => o.shiftDays!(key), 'shiftDays');
          if (!Number.isSafeInteger(days) || Math.abs(days) > 36_500) {
            throw new HavenError('HAVEN_DEID_TRANSFORM_FAILED', undefined, { detail: { column: 'shiftDays' } });
          }
        }
        return days;
      };
      for (const column of Object.keys(row)) {
        const r = reportFor(column);
        r.rows += 1;
        const v = transformCell(row[column] ?? null, r, shift);
        if (v !== undefined) {
          out[column] = v;
        }
      }
      return out;
    },
    report() {
      return [...reports.values()].map((r) => ({ ...r }));
    },
  };
}

/**
 * Applies HIPAA Safe Harbor transforms to a batch of rows given a column classification: drops direct identifiers,
 * generalises ZIP to 3 digits (restricted prefixes → "000"), ages over 89 → "90+", dates → year or a per-patient
 * shift, birth dates → year (top-coded), unique ids → a supplied pseudonym. Returns the rows and a per-column report
 * of counts (never values). Safe Harbor also requires no actual knowledge that the rest identifies someone: free text
 * and unlabelled columns are dropped by default for that reason.
 * @param rows - the input rows
 * @param options - labels and transform functions
 */
export function deidentify(rows: Iterable<DeidRow>, options: DeidentifyOptions): DeidentifyResult {
  const d = createDeidentifier(options);
  const out: Record<string, DeidValue>[] = [];
  const columns = new Set<string>();
  let i = 0;
  for (const row of rows) {
    const t = d.transform(row, i);
    for (const c of Object.keys(t)) {
      columns.add(c);
    }
    out.push(t);
    i += 1;
  }
  return { rows: out, columns: [...columns], report: d.report() };
}
