import type { ColumnReport } from '../../libs/privacy/deidentify/index.js';
import type { DeidExportPlan, DeidExportReport, DeidExportTotals } from './deidentified-export.js';

/**
 * How the export report travels with the CSV over HTTP: the plan (every column's action, known before the first row)
 * as a response header, the counts (known after the last row) as a trailer — whose presence also proves the
 * download complete. Both are base64url of JSON. Sizes are kept under what curl accepts: 100 KiB for a header line,
 * 4 KiB for a trailer line (beyond it curl fails the whole transfer).
 */

/** Response header holding the plan. */
export const DEID_PLAN_HEADER = 'x-haven-deid-plan';
/** Trailer holding the counts. */
export const DEID_COUNTS_TRAILER = 'x-haven-deid-counts';

const MAX_PLAN_CHARS = 64 * 1024;
const MAX_COUNTS_CHARS = 3000;

/** The counts as sent: rows, totals, and [changed, suppressed, topCoded, restrictedZip] per transformed column. */
export interface DeidExportCounts {
  readonly rows: number;
  readonly totals: DeidExportTotals;
  /** Absent when the table is too wide for the trailer (the totals remain). */
  readonly perColumn?: Readonly<Record<string, readonly [number, number, number, number]>>;
}

const encode = (x: unknown): string => Buffer.from(JSON.stringify(x)).toString('base64url');

/**
 * The plan header value: in full; for a wide table without the per-column actions; for a very wide one without the
 * column lists too (`listsOmitted`).
 * @param plan - the export plan
 */
export function encodeDeidPlan(plan: DeidExportPlan): string {
  const { dataset, version, dates, referenceYear, patientColumn, maxShiftDays, columns, dropped, generalised, shifted, pseudonymised, kept, actions } = plan;
  const base = { dataset, version, dates, referenceYear, patientColumn, maxShiftDays };
  const lists = { columns, dropped, generalised, shifted, pseudonymised, kept };
  for (const candidate of [
    { ...base, ...lists, actions },
    { ...base, ...lists, actions: [] },
  ]) {
    const text = encode(candidate);
    if (text.length <= MAX_PLAN_CHARS) {
      return text;
    }
  }
  return encode({
    ...base,
    columns: [],
    dropped: [],
    generalised: [],
    shifted: [],
    pseudonymised: [],
    kept: [],
    actions: [],
    listsOmitted: true,
  } satisfies DeidExportPlan);
}

/**
 * The counts trailer value (without the per-column counts if they would not fit).
 * @param report - the finished report
 */
export function encodeDeidCounts(report: DeidExportReport): string {
  const perColumn = Object.fromEntries(
    report.perColumn.filter((c) => c.action !== 'keep').map((c) => [c.column, [c.changed, c.suppressed, c.topCoded, c.restrictedZip] as const]),
  );
  const full = encode({ rows: report.rows, totals: report.totals, perColumn } satisfies DeidExportCounts);
  return full.length <= MAX_COUNTS_CHARS ? full : encode({ rows: report.rows, totals: report.totals } satisfies DeidExportCounts);
}

/**
 * The report from the two values (per-column counts rebuilt from the plan's actions where they were sent).
 * @param plan - the plan header value
 * @param counts - the counts trailer value
 */
export function decodeDeidReport(plan: string, counts: string): DeidExportReport {
  const p = JSON.parse(Buffer.from(plan, 'base64url').toString('utf8')) as DeidExportPlan;
  const c = JSON.parse(Buffer.from(counts, 'base64url').toString('utf8')) as DeidExportCounts;
  const perColumn: ColumnReport[] = [];
  for (const a of p.actions) {
    const n = c.perColumn?.[a.column];
    if (n !== undefined) {
      perColumn.push({
        column: a.column,
        label: a.label as ColumnReport['label'],
        kind: a.kind,
        action: a.action,
        rows: c.rows,
        changed: n[0],
        suppressed: n[1],
        topCoded: n[2],
        restrictedZip: n[3],
      });
    }
  }
  return { ...p, rows: c.rows, totals: c.totals, perColumn };
}
