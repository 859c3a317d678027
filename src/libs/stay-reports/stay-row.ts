/**
 * One encounter as the reports compute with it, parsed once from the stored record JSON: facility, admission month and
 * day, length of stay once discharged, condition flags as a bit mask, and the prediction made at admission.
 */
import { FACILITIES, FLAG_COLUMNS, type Facility } from '../formats/fhir/los-record.js';
import { parseMdy, toEpochDay } from '../formats/fhir/los-date.js';
import type { FacilityKey } from './report-types.js';

/** A stored encounter with its prediction, as the store returns it (the record JSON holds no names). */
export interface StaySource {
  readonly id: string;
  readonly eid: number;
  readonly record: string;
  readonly admittedBy: string;
  readonly lengthOfStay: number | null;
  readonly prediction: {
    readonly status: string;
    readonly predicted: number | null;
    readonly intervalLow: number | null;
    readonly intervalHigh: number | null;
    readonly ood: boolean;
    readonly oodReasons: string;
    readonly errorCode: string | null;
  } | null;
}

/** The prediction stored for an admission, as the reports use it. */
export interface StayPrediction {
  /** Whether a model scored the admission (failures keep their code). */
  readonly scored: boolean;
  readonly predicted: number | null;
  readonly interval: readonly [number, number] | null;
  readonly ood: boolean;
  /** Features named by the out-of-distribution check (`multivariate` when no single feature is). */
  readonly oodFeatures: readonly string[];
  readonly errorCode: string | null;
}

/** An encounter ready for aggregation. */
export interface StayRow {
  readonly id: string;
  readonly eid: number;
  readonly facility: FacilityKey;
  /** Admission date as stored (M/D/YYYY). */
  readonly vdate: string;
  /** Admission month YYYY-MM, or null when the stored date does not parse. */
  readonly month: string | null;
  /** Admission date as an epoch day, or null when it does not parse. */
  readonly admittedDay: number | null;
  readonly lengthOfStay: number | null;
  /** Bit i set when condition FLAG_COLUMNS[i] is present. */
  readonly conditions: number;
  readonly admittedBy: string;
  readonly prediction: StayPrediction | null;
}

/**
 * The admission month (YYYY-MM) of an M/D/YYYY date, or null when it is not a date.
 * @param vdate - the record's admission date
 */
export function monthOf(vdate: string): string | null {
  const d = parseMdy(vdate);
  return d === null ? null : `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}`;
}

/**
 * The epoch day of an M/D/YYYY date, or null.
 * @param vdate - the record's admission date
 */
export function dayOf(vdate: string): number | null {
  const d = parseMdy(vdate);
  return d === null ? null : toEpochDay(d);
}

function oodFeatures(json: string): string[] {
  try {
    const reasons = JSON.parse(json) as unknown;
    if (!Array.isArray(reasons)) {
      return [];
    }
    return reasons.map((r: { feature?: unknown; kind?: unknown }) =>
      typeof r.feature === 'string' ? r.feature : typeof r.kind === 'string' ? r.kind : 'unknown',
    );
  } catch {
    return [];
  }
}

/**
 * Parse a stored encounter into a report row. Values that do not have the expected type are treated as missing.
 * @param s - the stored encounter and its prediction
 */
export function toStayRow(s: StaySource): StayRow {
  const rec = JSON.parse(s.record) as Record<string, unknown>;
  const facid = rec.facid;
  const vdate = typeof rec.vdate === 'string' ? rec.vdate : '';
  const date = parseMdy(vdate);
  let conditions = 0;
  for (let i = 0; i < FLAG_COLUMNS.length; i++) {
    if (rec[FLAG_COLUMNS[i]!] === 1) {
      conditions |= 1 << i;
    }
  }
  const p = s.prediction;
  return {
    id: s.id,
    eid: s.eid,
    facility: typeof facid === 'string' && (FACILITIES as readonly string[]).includes(facid) ? (facid as Facility) : 'unknown',
    vdate,
    month: date === null ? null : `${String(date.year).padStart(4, '0')}-${String(date.month).padStart(2, '0')}`,
    admittedDay: date === null ? null : toEpochDay(date),
    lengthOfStay: s.lengthOfStay,
    conditions,
    admittedBy: s.admittedBy,
    prediction:
      p === null
        ? null
        : {
            scored: p.status === 'scored' && p.predicted !== null,
            predicted: p.predicted,
            interval: p.intervalLow === null || p.intervalHigh === null ? null : [p.intervalLow, p.intervalHigh],
            ood: p.ood,
            oodFeatures: oodFeatures(p.oodReasons),
            errorCode: p.errorCode,
          },
  };
}
