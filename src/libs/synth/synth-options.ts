import { HavenError } from '../../errors/haven-error.js';

/** Options of the record generators. */
export interface SynthOptions {
  /** Number of rows (0..100,000,000). */
  readonly rows: number;
  /** Seed: the same seed gives the same rows. Any safe integer. */
  readonly seed: number;
  /** eid of the first row (default 1,000,001: never one of the sample's eids 101000..110999). */
  readonly startEid?: number | undefined;
  /** Add PII-laden columns (ssn, phone, email, street, city, zip, ccnum, birthdate, age, notes) for classifier tests. */
  readonly withPii?: boolean | undefined;
  /** 'sample': FirstA/Amiddle/LASTXXXXXXX like the sample (default); 'realistic': common first/last names. */
  readonly nameStyle?: 'sample' | 'realistic' | undefined;
}

/** Options after validation, with defaults filled in. */
export interface ResolvedSynthOptions {
  readonly rows: number;
  readonly seed: number;
  readonly startEid: number;
  readonly withPii: boolean;
  readonly nameStyle: 'sample' | 'realistic';
}

/** Upper bound on rows: a guard against a typo asking for 10^12 rows, not a performance limit. */
export const MAX_SYNTH_ROWS = 100_000_000;

/**
 * Validates generator options; throws HAVEN_SYNTH_INVALID_OPTION naming the option.
 * @param o - the options
 */
export function resolveSynthOptions(o: SynthOptions): ResolvedSynthOptions {
  const bad = (option: string): HavenError => new HavenError('HAVEN_SYNTH_INVALID_OPTION', undefined, { detail: { option } });
  if (!Number.isSafeInteger(o.rows) || o.rows < 0 || o.rows > MAX_SYNTH_ROWS) {
    throw bad('rows');
  }
  if (!Number.isSafeInteger(o.seed)) {
    throw bad('seed');
  }
  const startEid = o.startEid ?? 1_000_001;
  if (!Number.isSafeInteger(startEid) || startEid < 1 || startEid + o.rows > Number.MAX_SAFE_INTEGER) {
    throw bad('startEid');
  }
  const nameStyle = o.nameStyle ?? 'sample';
  if (nameStyle !== 'sample' && nameStyle !== 'realistic') {
    throw bad('nameStyle');
  }
  return { rows: o.rows, seed: o.seed, startEid, withPii: o.withPii === true, nameStyle };
}
