import { describe, it, expect } from 'vitest';
import { matchHeader, normaliseHeader } from './header-rules.js';

const ids = (h: string): string[] => matchHeader(h).map((r) => r.id);

describe('header rules', () => {
  it('normalises case and separators', () => {
    expect(normaliseHeader('Date of Birth')).toBe('dateofbirth');
    expect(normaliseHeader('patient_ID')).toBe('patientid');
  });

  it('matches the sample headers as intended', () => {
    expect(ids('First')).toEqual(['header:name']);
    expect(ids('eid')).toEqual(['header:unique_id']);
    expect(ids('vdate')).toEqual(['header:date']);
    expect(ids('discharged')).toEqual(['header:date']);
    expect(ids('gender')).toEqual(['header:sex']);
    expect(ids('facid')).toEqual(['header:facility']);
    expect(ids('glucose')).toEqual(['header:lab_value']);
    expect(ids('lengthofstay')).toEqual(['header:outcome']);
    expect(ids('secondarydiagnosisnonicd9')).toEqual(['header:diagnosis']);
  });

  it('does not fire on look-alikes', () => {
    expect(ids('thyroid')).not.toContain('header:unique_id');
    expect(ids('lipid')).not.toContain('header:unique_id');
    expect(ids('agent')).not.toContain('header:age');
    expect(ids('')).toEqual([]);
  });

  it('knows the other identifier headers', () => {
    expect(ids('Patient SSN')).toContain('header:ssn');
    expect(ids('MRN')).toContain('header:mrn');
    expect(ids('fax_number')).toContain('header:fax');
    expect(ids('zip3')).toContain('header:zip3');
    expect(ids('db_password')).toContain('header:secret');
  });
});
