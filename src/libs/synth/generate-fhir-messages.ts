import { LOINC_SYSTEM, RCOUNT_EXTENSION_URL, SNOMED_SYSTEM } from '../formats/fhir/fhir-codes.js';
import { parseMdy } from '../formats/fhir/los-date.js';
import { FLAG_COLUMNS, type FlagColumn, type LabColumn, type LosRecord } from '../formats/fhir/los-record.js';
import { makeLosRecord, type SynthRecord } from './generate-los-records.js';
import { Prng, rowSeed } from './prng.js';
import { resolveSynthOptions, type SynthOptions } from './synth-options.js';

/** A JSON message as built here (plain data, ready for JSON.stringify). */
export type JsonMessage = Record<string, unknown>;

/** Options of generateFhirMessages. */
export interface FhirMessageOptions extends SynthOptions {
  /** 'bundle' (R4 transaction Bundle, default) or 'legacy' (the reference's `{patient, encounter, observations, conditions}`). */
  readonly shape?: 'bundle' | 'legacy' | undefined;
  /**
   * Replace sodium with 5.9–14.9 "mmol/L", as in the reference deployment's demo messages (training data: ~138),
   * to exercise out-of-distribution checks. The returned record holds the same value.
   */
  readonly outOfDistribution?: boolean | undefined;
}

/** One synthetic encounter: its record and the admission and discharge messages that produce it. */
export interface SynthEncounterMessages {
  readonly record: SynthRecord;
  readonly admission: JsonMessage;
  readonly discharge: JsonMessage;
}

/** Observation code and unit per lab column. */
const LAB_LOINC: Readonly<Record<LabColumn, { code: string; unit: string; display: string }>> = {
  hematocrit: { code: '4544-3', unit: '%', display: 'Hematocrit' },
  neutrophils: { code: '770-8', unit: '%', display: 'Neutrophils' },
  sodium: { code: '2947-0', unit: 'mmol/L', display: 'Sodium' },
  glucose: { code: '2339-0', unit: 'mg/dL', display: 'Glucose' },
  bloodureanitro: { code: '6299-2', unit: 'mg/dL', display: 'Urea nitrogen' },
  creatinine: { code: '2160-0', unit: 'mg/dL', display: 'Creatinine' },
  bmi: { code: '39156-5', unit: 'kg/m2', display: 'Body mass index' },
  pulse: { code: '8867-4', unit: 'beats/min', display: 'Heart rate' },
  respiration: { code: '9279-1', unit: 'breaths/min', display: 'Respiratory rate' },
};

/** One SNOMED CT code per flag (psychother and malnutrition get their own codes, see formats/fhir/README.md). */
const FLAG_SNOMED: Readonly<Record<FlagColumn, string>> = {
  dialysisrenalendstage: '236435004', asthma: '195967001', irondef: '35240004', pneum: '233604007',
  substancedependence: '361055000', psychologicaldisordermajor: '81659004', depress: '35489007', psychother: '74732009',
  fibrosisandother: '263756000', malnutrition: '2492009', hemo: '34093004',
};

const STREAM_FHIR = 3;

function isoDate(mdy: string, rng: Prng): string {
  const d = parseMdy(mdy)!;
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${d.year}-${two(d.month)}-${two(d.day)}T${two(rng.int(24))}:${two(rng.int(60))}:${two(rng.int(60))}+00:00`;
}

/**
 * Builds the admission message for a record (the inverse of formats/fhir mapAdmission, minus discharge columns).
 * @param r - the record
 * @param shape - bundle or legacy
 * @param admittedAt - encounter.period.start (a FHIR dateTime on the record's vdate)
 */
export function admissionMessage(r: LosRecord, shape: 'bundle' | 'legacy', admittedAt: string): JsonMessage {
  const legacy = shape === 'legacy';
  const subject = { reference: `Patient/p${r.eid}` };
  const patient = {
    resourceType: 'Patient', id: `p${r.eid}`, active: true,
    name: [{ use: 'official', family: r.Last, given: [r.First, r.Middle] }],
    gender: r.gender === 'F' ? 'female' : 'male',
  };
  const rcount = legacy
    ? { returnCount: r.rcount === '5+' ? 5 : Number(r.rcount) }
    : { extension: [{ url: RCOUNT_EXTENSION_URL, valueInteger: r.rcount === '5+' ? 5 : Number(r.rcount) }] };
  const encounter = {
    resourceType: 'Encounter', id: legacy ? r.eid : String(r.eid), status: 'in-progress',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP', display: 'inpatient encounter' },
    period: { start: admittedAt }, subject, serviceProvider: { reference: `Organization/${r.facid}`, display: r.facid },
    ...rcount,
  };
  const observations: JsonMessage[] = Object.entries(LAB_LOINC).map(([col, m], i) => ({
    resourceType: 'Observation', id: String(i + 1), status: 'final',
    code: { coding: [{ system: LOINC_SYSTEM, code: m.code, display: m.display }] }, subject,
    valueQuantity: { value: r[col as LabColumn], unit: m.unit, system: 'http://unitsofmeasure.org', code: m.unit },
  }));
  observations.push({
    resourceType: 'Observation', id: String(observations.length + 1), status: 'final',
    code: { coding: [{ system: LOINC_SYSTEM, code: '54554-1' }] }, subject, valueInteger: r.secondarydiagnosisnonicd9,
  });
  const conditions = FLAG_COLUMNS.filter((f) => r[f] === 1).map((f, i) => ({
    resourceType: 'Condition', id: String(i + 1),
    clinicalStatus: legacy ? 'active' : { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
    code: { coding: [{ system: SNOMED_SYSTEM, code: FLAG_SNOMED[f] }] }, subject,
  }));
  if (legacy) {
    return { patient, encounter, observations, conditions };
  }
  return { resourceType: 'Bundle', type: 'transaction', entry: [patient, encounter, ...observations, ...conditions].map((resource) => ({ resource })) };
}

/**
 * Builds the discharge message for a record: the encounter with `period.end` on the record's discharge date.
 * @param r - the record
 * @param shape - bundle or legacy
 * @param admittedAt - encounter.period.start
 * @param dischargedAt - encounter.period.end
 */
export function dischargeMessage(r: LosRecord, shape: 'bundle' | 'legacy', admittedAt: string, dischargedAt: string): JsonMessage {
  const encounter = {
    resourceType: 'Encounter', id: shape === 'legacy' ? r.eid : String(r.eid), status: 'finished',
    period: { start: admittedAt, end: dischargedAt }, subject: { reference: `Patient/p${r.eid}` },
  };
  return shape === 'legacy' ? { encounter } : { resourceType: 'Bundle', type: 'transaction', entry: [{ resource: encounter }] };
}

/**
 * Generates synthetic admissions and discharges (with the records they map to), deterministically from the seed.
 * Throws HAVEN_SYNTH_INVALID_OPTION for bad options.
 * @param options - generator options plus message shape and out-of-distribution vitals
 */
export function generateFhirMessages(options: FhirMessageOptions): Generator<SynthEncounterMessages> {
  const o = resolveSynthOptions(options);
  const shape = options.shape ?? 'bundle';
  return (function* messages(): Generator<SynthEncounterMessages> {
    for (let i = 0; i < o.rows; i += 1) {
      const rng = new Prng(rowSeed(o.seed, i, STREAM_FHIR));
      const base = makeLosRecord(i, o);
      const ood = rng.uniform(5.9, 14.9);
      const record = options.outOfDistribution === true ? { ...base, sodium: ood } : base;
      const admittedAt = isoDate(record.vdate, rng);
      const dischargedAt = isoDate(record.discharged, rng);
      yield {
        record,
        admission: admissionMessage(record, shape, admittedAt),
        discharge: dischargeMessage(record, shape, admittedAt, dischargedAt),
      };
    }
  })();
}
