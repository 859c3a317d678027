 
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HavenError } from '../../../errors/haven-error.js';
import { RCOUNT_EXTENSION_URL } from './fhir-codes.js';
import { mapAdmission } from './map-admission.js';
import type { AdmissionRecord } from './los-record.js';

const shared = (name: string): unknown => JSON.parse(readFileSync(resolve(process.cwd(), '../shared/fhir', name), 'utf8')) as unknown;
const admit = (): Record<string, unknown> => shared('admit_100001.json') as Record<string, unknown>;

/**
 * Written by hand from /work/shared/fhir/README.md and admit_100001.json (inactive conditions not counted; the
 * repeated 81659004 and 263756000 conditions do not set psychother/malnutrition, see README "Decisions").
 */
const EXPECTED: AdmissionRecord = {
  First: 'FQOyd', Middle: 'vGECP', Last: 'AutXO',
  eid: 100001, vdate: '11/24/2017', rcount: null, gender: 'M',
  dialysisrenalendstage: 0, asthma: 1, irondef: 0, pneum: 1, substancedependence: 0,
  psychologicaldisordermajor: 1, depress: 1, psychother: 0, fibrosisandother: 1, malnutrition: 0, hemo: 0,
  hematocrit: 12.841591387494276, neutrophils: 15.324001778766513, sodium: 6.477982171335249,
  glucose: 80.05802161244583, bloodureanitro: 8, creatinine: 0.7538774242875527, bmi: 27.315629304859616,
  pulse: 65, respiration: 7.432499034205684,
  secondarydiagnosisnonicd9: 0, facid: 'B',
};

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof HavenError) {
      return err.code;
    }
    throw err;
  }
  return 'no error';
}

/** The demo admission as an R4 Bundle: R4 clinicalStatus, string id, rcount extension. */
function asBundle(msg: Record<string, unknown>, type = 'transaction'): Record<string, unknown> {
  const enc = { ...(msg['encounter'] as object), id: '100001', extension: [{ url: RCOUNT_EXTENSION_URL, valueInteger: 3 }] };
  const conds = (msg['conditions'] as Record<string, unknown>[]).map((c) => ({
    ...c,
    clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: c['clinicalStatus'] }] },
  }));
  const resources = [msg['patient'], enc, ...(msg['observations'] as unknown[]), ...conds];
  return { resourceType: 'Bundle', type, entry: resources.map((resource) => ({ resource })) };
}

describe('mapAdmission on the reference demo message', () => {
  it('maps every column as the README says', () => {
    const m = mapAdmission(admit());
    expect(m.record).toEqual(EXPECTED);
    expect(m.shape).toBe('legacy');
    expect(m.admittedAt).toBe('2017-11-24T11:31:32+05:30');
    expect(m.unknownCodes).toEqual([]);
    // The demo glucose says mmol/L but holds a mg/dL-sized value: noted, not converted.
    expect(m.notes).toEqual([
      { kind: 'unexpected_unit', column: 'glucose', path: 'observations[3]' },
      { kind: 'reference_shared_code', column: 'psychother', path: 'conditions[7]' },
      { kind: 'reference_shared_code', column: 'malnutrition', path: 'conditions[9]' },
    ]);
  });

  it('counts inactive conditions only when asked (reference behaviour)', () => {
    const m = mapAdmission(admit(), { countInactive: true });
    expect(m.record).toEqual({ ...EXPECTED, dialysisrenalendstage: 1, irondef: 1, substancedependence: 1 });
  });

  it('maps the same admission sent as an R4 Bundle to the same record', () => {
    for (const type of ['transaction', 'collection']) {
      const m = mapAdmission(asBundle(admit(), type));
      expect(m.shape).toBe('bundle');
      expect(m.record).toEqual({ ...EXPECTED, rcount: '3' });
    }
  });

  it('reads the legacy returnCount and caps it at 5+', () => {
    const msg = admit();
    msg['encounter'] = { ...(msg['encounter'] as object), returnCount: 7 };
    expect(mapAdmission(msg).record.rcount).toBe('5+');
    msg['encounter'] = { ...(msg['encounter'] as object), returnCount: 0 };
    expect(mapAdmission(msg).record.rcount).toBe('0');
  });

  it('records a missing observation as null, never 0', () => {
    const msg = admit();
    msg['observations'] = (msg['observations'] as unknown[]).slice(1);
    expect(mapAdmission(msg).record.hematocrit).toBeNull();
  });

  it('reports unknown codes and codes of the wrong system instead of dropping them', () => {
    const msg = admit();
    const obs = msg['observations'] as Record<string, unknown>[];
    obs[0] = { ...obs[0], code: { coding: [{ system: 'http://snomed.info/sct', code: '4544-3' }] } };
    obs.push({ resourceType: 'Observation', code: { coding: [{ system: 'http://loinc.org', code: '1234-5' }] }, valueQuantity: { value: 1 } });
    const m = mapAdmission(msg);
    expect(m.record.hematocrit).toBeNull();
    expect(m.unknownCodes).toEqual([
      { system: 'http://snomed.info/sct', code: '4544-3', resourceType: 'Observation' },
      { system: 'http://loinc.org', code: '1234-5', resourceType: 'Observation' },
    ]);
  });

  it('keeps the first of duplicate observations (the reference quirk: BMI sent with the creatinine code)', () => {
    const msg = admit();
    const obs = msg['observations'] as Record<string, unknown>[];
    obs[6] = { ...obs[6], code: { coding: [{ system: 'http://loinc.org', code: '2160-0' }] } };
    const m = mapAdmission(msg);
    expect(m.record.creatinine).toBe(0.7538774242875527);
    expect(m.record.bmi).toBeNull();
    expect(m.notes).toContainEqual({ kind: 'duplicate_observation', column: 'creatinine', path: 'observations[6]' });
    expect(m.notes).toContainEqual({ kind: 'unexpected_unit', column: 'creatinine', path: 'observations[6]' });
  });

  it('takes the facility from the Organization reference and reports an unknown one', () => {
    const b = asBundle(admit());
    const entries = b['entry'] as { resource: Record<string, unknown> }[];
    entries[1]!.resource['serviceProvider'] = { reference: 'Organization/D' };
    entries.push({ resource: { resourceType: 'Organization', id: 'D' } });
    expect(mapAdmission(b).record.facid).toBe('D');
    entries[1]!.resource['serviceProvider'] = { display: 'Z' };
    const m = mapAdmission(b);
    expect(m.record.facid).toBeNull();
    expect(m.unknownCodes).toEqual([{ system: 'urn:haven:facility', code: 'Z', resourceType: 'Encounter' }]);
  });

  it('ignores refuted conditions and entered-in-error observations', () => {
    const msg = admit();
    const conds = msg['conditions'] as Record<string, unknown>[];
    conds[1] = { ...conds[1], verificationStatus: 'refuted' };
    const obs = msg['observations'] as Record<string, unknown>[];
    obs[2] = { ...obs[2], status: 'entered-in-error' };
    const m = mapAdmission(msg);
    expect(m.record.asthma).toBe(0);
    expect(m.record.sodium).toBeNull();
  });
});

describe('mapAdmission validation', () => {
  it('rejects non-objects and unknown shapes', () => {
    expect(codeOf(() => mapAdmission(null))).toBe('HAVEN_FHIR_INVALID_SHAPE');
    expect(codeOf(() => mapAdmission([admit()]))).toBe('HAVEN_FHIR_INVALID_SHAPE');
    expect(codeOf(() => mapAdmission({ foo: 1 }))).toBe('HAVEN_FHIR_INVALID_SHAPE');
    expect(codeOf(() => mapAdmission({ ...admit(), extra: 1 }))).toBe('HAVEN_FHIR_INVALID_SHAPE');
    expect(codeOf(() => mapAdmission({ ...asBundle(admit()), type: 'searchset' }))).toBe('HAVEN_FHIR_INVALID_SHAPE');
  });

  it('rejects wrong or disallowed resource types', () => {
    expect(codeOf(() => mapAdmission({ resourceType: 'Patient', id: '1' }))).toBe('HAVEN_FHIR_RESOURCE_NOT_ALLOWED');
    expect(codeOf(() => mapAdmission({ ...admit(), patient: { resourceType: 'Encounter' } }))).toBe('HAVEN_FHIR_RESOURCE_NOT_ALLOWED');
    const b = asBundle(admit());
    (b['entry'] as unknown[]).push({ resource: { resourceType: 'MedicationRequest' } });
    expect(codeOf(() => mapAdmission(b))).toBe('HAVEN_FHIR_RESOURCE_NOT_ALLOWED');
  });

  it('requires a patient, an encounter and a positive integer encounter id', () => {
    const noPatient = admit();
    delete noPatient['patient'];
    expect(codeOf(() => mapAdmission(noPatient))).toBe('HAVEN_FHIR_MISSING_PATIENT');
    const noEncounter = admit();
    delete noEncounter['encounter'];
    expect(codeOf(() => mapAdmission(noEncounter))).toBe('HAVEN_FHIR_MISSING_ENCOUNTER');
    for (const id of [undefined, 0, -3, 1.5, '12a', '', true]) {
      const msg = admit();
      msg['encounter'] = { ...(msg['encounter'] as object), id };
      expect(codeOf(() => mapAdmission(msg))).toBe('HAVEN_FHIR_MISSING_ENCOUNTER_ID');
    }
    const b = asBundle(admit());
    (b['entry'] as unknown[]).push({ resource: { resourceType: 'Patient', id: '2' } });
    expect(codeOf(() => mapAdmission(b))).toBe('HAVEN_FHIR_AMBIGUOUS_RESOURCE');
  });

  it('rejects wrong types and bad dates with the path, never the value', () => {
    const msg = admit();
    (msg['observations'] as Record<string, unknown>[])[2] = {
      resourceType: 'Observation', code: { coding: [{ system: 'http://loinc.org', code: '2947-0' }] }, valueQuantity: { value: 'Jane Doe' },
    };
    try {
      mapAdmission(msg);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(HavenError);
      expect((err as HavenError).code).toBe('HAVEN_FHIR_INVALID_FIELD');
      expect((err as HavenError).detail).toEqual({ path: 'observations[2].valueQuantity.value' });
      expect(JSON.stringify(err) + (err as Error).message).not.toContain('Jane');
    }
    const g = admit();
    g['patient'] = { ...(g['patient'] as object), gender: 'm' };
    expect(codeOf(() => mapAdmission(g))).toBe('HAVEN_FHIR_INVALID_FIELD');
    for (const start of ['2017-13-01', '2017-02-29T00:00:00Z', 'yesterday', 20171124]) {
      const d = admit();
      d['encounter'] = { ...(d['encounter'] as object), period: { start } };
      expect(codeOf(() => mapAdmission(d))).toMatch(/HAVEN_FHIR_INVALID_(DATE|FIELD)/);
    }
    const otherEnc = admit();
    otherEnc['encounter'] = { ...(otherEnc['encounter'] as object), subject: { reference: 'Patient/9' } };
    expect(codeOf(() => mapAdmission(otherEnc))).toBe('HAVEN_FHIR_INVALID_FIELD');
    const other = admit();
    (other['conditions'] as Record<string, unknown>[])[0]!['subject'] = { reference: 'Patient/2' };
    expect(codeOf(() => mapAdmission(other))).toBe('HAVEN_FHIR_INVALID_FIELD');
  });

  it('refuses huge arrays before walking them', () => {
    const msg = admit();
    msg['observations'] = new Array(501).fill({});
    expect(codeOf(() => mapAdmission(msg))).toBe('HAVEN_FHIR_TOO_MANY_ENTRIES');
    expect(codeOf(() => mapAdmission(admit(), { limits: { maxEntries: 5, maxDepth: 24, maxNodes: 50_000 } }))).toBe('HAVEN_FHIR_TOO_MANY_ENTRIES');
  });

  it('refuses deep nesting and cycles quickly', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i += 1) {
      deep = [deep];
    }
    const msg = admit();
    (msg['patient'] as Record<string, unknown>)['extension'] = deep;
    const t0 = performance.now();
    expect(codeOf(() => mapAdmission(msg))).toBe('HAVEN_FHIR_TOO_DEEP');
    expect(performance.now() - t0).toBeLessThan(200);
    const wide = admit();
    (wide['patient'] as Record<string, unknown>)['extension'] = Object.fromEntries(Array.from({ length: 60_000 }, (_, i) => [`k${i}`, i]));
    expect(codeOf(() => mapAdmission(wide))).toBe('HAVEN_FHIR_TOO_DEEP');
    const cyclic = admit();
    (cyclic['encounter'] as Record<string, unknown>)['self'] = cyclic;
    expect(codeOf(() => mapAdmission(cyclic))).toBe('HAVEN_FHIR_TOO_DEEP');
  });
});
