 
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HavenError } from '../../../errors/haven-error.js';
import { mapAdmission } from './map-admission.js';
import { applyDischarge, mapDischarge } from './map-discharge.js';

const shared = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(resolve(process.cwd(), '../shared/fhir', name), 'utf8')) as Record<string, unknown>;

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return err instanceof HavenError ? err.code : 'not a HavenError';
  }
  return 'no error';
}

describe('mapDischarge and applyDischarge', () => {
  it('maps the reference discharge and computes the length of stay from the stored admission', () => {
    const d = mapDischarge(shared('discharge_100001.json'));
    expect(d).toEqual({ eid: 100001, discharged: '11/26/2017', dischargedAt: '2017-11-26T12:42:58+05:30' });
    const admitted = mapAdmission(shared('admit_100001.json')).record;
    const r = applyDischarge(admitted, d);
    // 11/24/2017 → 11/26/2017; the discharge message's own period.start (2012) is ignored.
    expect(r.lengthofstay).toBe(2);
    expect(r.discharged).toBe('11/26/2017');
    expect(r.sodium).toBe(admitted.sodium);
  });

  it('counts calendar days across month and leap-year ends', () => {
    const base = mapAdmission(shared('admit_100001.json')).record;
    expect(applyDischarge({ ...base, vdate: '2/28/2012' }, { eid: 100001, discharged: '3/1/2012', dischargedAt: '' }).lengthofstay).toBe(2);
    expect(applyDischarge({ ...base, vdate: '12/31/2012' }, { eid: 100001, discharged: '1/1/2013', dischargedAt: '' }).lengthofstay).toBe(1);
    expect(applyDischarge({ ...base, vdate: '5/5/2012' }, { eid: 100001, discharged: '5/5/2012', dischargedAt: '' }).lengthofstay).toBe(0);
  });

  it('refuses discharge before admission, a second discharge and another encounter', () => {
    const base = mapAdmission(shared('admit_100001.json')).record;
    expect(codeOf(() => applyDischarge(base, { eid: 100001, discharged: '11/23/2017', dischargedAt: '' }))).toBe('HAVEN_FHIR_DISCHARGE_BEFORE_ADMISSION');
    const once = applyDischarge(base, { eid: 100001, discharged: '11/26/2017', dischargedAt: '' });
    expect(codeOf(() => applyDischarge(once, { eid: 100001, discharged: '11/27/2017', dischargedAt: '' }))).toBe('HAVEN_FHIR_ALREADY_DISCHARGED');
    expect(codeOf(() => applyDischarge(base, { eid: 9, discharged: '11/26/2017', dischargedAt: '' }))).toBe('HAVEN_FHIR_ENCOUNTER_MISMATCH');
  });

  it('requires an encounter id and a valid end date', () => {
    const msg = shared('discharge_100001.json');
    const enc = msg['encounter'] as Record<string, unknown>;
    expect(codeOf(() => mapDischarge({ ...msg, encounter: { ...enc, period: { start: '2017-11-24' } } }))).toBe('HAVEN_FHIR_MISSING_DISCHARGE_DATE');
    expect(codeOf(() => mapDischarge({ ...msg, encounter: { ...enc, period: { end: '2017-11-31' } } }))).toBe('HAVEN_FHIR_INVALID_DATE');
    expect(codeOf(() => mapDischarge({ ...msg, encounter: { ...enc, id: null } }))).toBe('HAVEN_FHIR_MISSING_ENCOUNTER_ID');
    expect(codeOf(() => mapDischarge({ patient: msg['patient'] }))).toBe('HAVEN_FHIR_MISSING_ENCOUNTER');
    const bundle = { resourceType: 'Bundle', type: 'collection', entry: [{ resource: { ...enc, id: '100001' } }] };
    expect(mapDischarge(bundle).eid).toBe(100001);
  });
});
