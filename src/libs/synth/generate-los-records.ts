import { FLAG_COLUMNS, LAB_COLUMNS, FACILITIES, RCOUNT_VALUES, type LosRecord } from '../formats/fhir/los-record.js';
import { formatMdy, fromEpochDay, toEpochDay } from '../formats/fhir/los-date.js';
import { fakePii, FIRST_NAMES, LAST_NAMES, type PiiColumns } from './fake-pii.js';
import {
  FACID_PROBS, FLAG_BASE_LOGIT, FRAILTY_WEIGHT, LAB_SPECS, LOS_MAX, LOS_MIN, LOS_MODEL, LOS_NOISE_SD, P_FEMALE, RCOUNT_PROBS,
  SECDIAG_PROBS, VDATE_YEAR,
} from './los-calibration.js';
import { Prng, rowSeed } from './prng.js';
import { sampleLab } from './sample-lab.js';
import { resolveSynthOptions, type ResolvedSynthOptions, type SynthOptions } from './synth-options.js';

/** A synthetic record, with the PII columns when `withPii` is set. */
export type SynthRecord = LosRecord & Partial<PiiColumns>;

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const YEAR_START = toEpochDay({ year: VDATE_YEAR, month: 1, day: 1 });
const YEAR_DAYS = toEpochDay({ year: VDATE_YEAR + 1, month: 1, day: 1 }) - YEAR_START;

/** Stream numbers for rowSeed: one per group of columns, so options that add columns do not change the others. */
const STREAM_BASE = 0;
const STREAM_PII = 1;
const STREAM_NAMES = 2;

function names(index: number, o: ResolvedSynthOptions): { First: string; Middle: string; Last: string } {
  const rng = new Prng(rowSeed(o.seed, index, STREAM_NAMES));
  if (o.nameStyle === 'realistic') {
    return { First: rng.choice(FIRST_NAMES), Middle: rng.choice(FIRST_NAMES), Last: rng.choice(LAST_NAMES) };
  }
  const letter = LETTERS[index % 26]!;
  let last = 'LAST';
  for (let k = 0; k < 7; k += 1) {
    last += LETTERS[rng.int(26)]!;
  }
  return { First: `First${letter}`, Middle: `${letter}middle`, Last: last };
}

/**
 * Makes row `index` (0-based) of the synthetic file. Depends only on (seed, index, options), not on other rows.
 * @param index - the row index
 * @param o - validated options
 */
export function makeLosRecord(index: number, o: ResolvedSynthOptions): SynthRecord {
  const rng = new Prng(rowSeed(o.seed, index, STREAM_BASE));
  const rc = rng.pick(RCOUNT_PROBS);
  const female = rng.float() < P_FEMALE;
  const fac = rng.pick(FACID_PROBS);
  const sec = rng.pick(SECDIAG_PROBS);
  const frailty = rng.normal();
  // Plain arrays and one object literal below: building the record by spreading or by dynamic keys made V8 fall back
  // to dictionary-mode objects, which cost ~3x in time and garbage at 1M rows.
  const f: (0 | 1)[] = [];
  let g = LOS_MODEL.intercept + LOS_MODEL.rcount[rc]! + LOS_MODEL.facility[fac]! + sec * LOS_MODEL.secondaryDiagnosis
    + (female ? 0 : LOS_MODEL.male);
  for (let k = 0; k < FLAG_COLUMNS.length; k += 1) {
    const col = FLAG_COLUMNS[k]!;
    const p = 1 / (1 + Math.exp(-(FLAG_BASE_LOGIT[col] + FRAILTY_WEIGHT * frailty)));
    const bit = rng.float() < p ? 1 : 0;
    f.push(bit);
    g += bit * LOS_MODEL.flags[col];
  }
  const l: number[] = [];
  for (let k = 0; k < LAB_COLUMNS.length; k += 1) {
    const col = LAB_COLUMNS[k]!;
    const v = sampleLab(LAB_SPECS[col], rng);
    l.push(v);
    g += v * LOS_MODEL.labs[col];
  }
  const los = Math.min(LOS_MAX, Math.max(LOS_MIN, Math.round(g + LOS_NOISE_SD * rng.normal())));
  const day = YEAR_START + rng.int(YEAR_DAYS);
  const n = names(index, o);
  const base: LosRecord = {
    First: n.First,
    Middle: n.Middle,
    Last: n.Last,
    eid: o.startEid + index,
    vdate: formatMdy(fromEpochDay(day)),
    rcount: RCOUNT_VALUES[rc]!,
    gender: female ? 'F' : 'M',
    dialysisrenalendstage: f[0]!, asthma: f[1]!, irondef: f[2]!, pneum: f[3]!, substancedependence: f[4]!,
    psychologicaldisordermajor: f[5]!, depress: f[6]!, psychother: f[7]!, fibrosisandother: f[8]!, malnutrition: f[9]!,
    hemo: f[10]!,
    hematocrit: l[0]!, neutrophils: l[1]!, sodium: l[2]!, glucose: l[3]!, bloodureanitro: l[4]!, creatinine: l[5]!,
    bmi: l[6]!, pulse: l[7]!, respiration: l[8]!,
    secondarydiagnosisnonicd9: sec,
    // As in the sample, discharged - vdate == lengthofstay (drop both dates before training: the target leaks).
    discharged: formatMdy(fromEpochDay(day + los)),
    facid: FACILITIES[fac]!,
    lengthofstay: los,
  };
  if (!o.withPii) {
    return base;
  }
  return { ...base, ...fakePii(new Prng(rowSeed(o.seed, index, STREAM_PII)), base) };
}

/**
 * Generates synthetic length-of-stay records calibrated to the real 10k sample (same 31 columns, names and value
 * formats). Lazy: 1M rows stream in constant memory. Throws HAVEN_SYNTH_INVALID_OPTION for bad options.
 * @param options - rows, seed, startEid, withPii, nameStyle
 */
export function generateLosRecords(options: SynthOptions): Generator<SynthRecord> {
  // Validate now, not at the first next(): a bad option fails where it is passed.
  const o = resolveSynthOptions(options);
  return (function* rows(): Generator<SynthRecord> {
    for (let i = 0; i < o.rows; i += 1) {
      yield makeLosRecord(i, o);
    }
  })();
}
