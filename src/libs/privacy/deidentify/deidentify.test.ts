import { describe, expect, it } from 'vitest';
import { HavenError } from '../../../errors/haven-error.js';
import { generateLosRecords } from '../../synth/generate-los-records.js';
import { parseColumnLabels, type ColumnLabels } from './column-labels.js';
import { deidentify, type DeidRow } from './deidentify.js';
import { generaliseZip, RESTRICTED_ZIP3 } from './safe-harbor-zip.js';

const LABELS: ColumnLabels = {
  First: { label: 'direct_identifier', kind: 'name' },
  Middle: { label: 'direct_identifier', kind: 'name' },
  Last: { label: 'direct_identifier', kind: 'name' },
  eid: { label: 'direct_identifier', kind: 'unique_id' },
  vdate: { label: 'direct_identifier', kind: 'date' },
  discharged: { label: 'direct_identifier', kind: 'date' },
  birthdate: { label: 'direct_identifier', kind: 'birth_date' },
  ssn: { label: 'direct_identifier', kind: 'ssn' },
  phone: { label: 'direct_identifier', kind: 'phone' },
  email: { label: 'direct_identifier', kind: 'email' },
  street: { label: 'direct_identifier', kind: 'address' },
  city: { label: 'direct_identifier', kind: 'geographic_subunit' },
  zip: { label: 'direct_identifier', kind: 'zip' },
  ccnum: { label: 'direct_identifier', kind: 'credit_card' },
  notes: { label: 'direct_identifier', kind: 'free_text' },
  age: { label: 'quasi_identifier', kind: 'age' },
  gender: { label: 'quasi_identifier', kind: 'gender' },
  facid: { label: 'quasi_identifier', kind: 'facility' },
  sodium: { label: 'sensitive' },
  lengthofstay: { label: 'non_identifying' },
};

const rows = (): DeidRow[] => [...generateLosRecords({ rows: 400, seed: 99, withPii: true })] as unknown as DeidRow[];

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return err instanceof HavenError ? err.code : 'not a HavenError';
  }
  return 'no error';
}

describe('generaliseZip', () => {
  it('keeps 3 digits and blanks the 17 restricted prefixes', () => {
    expect(RESTRICTED_ZIP3).toHaveLength(17);
    expect(generaliseZip('02139')).toEqual({ value: '021', restricted: false });
    expect(generaliseZip('02139-4307')).toEqual({ value: '021', restricted: false });
    expect(generaliseZip(2139)).toEqual({ value: '021', restricted: false });
    expect(generaliseZip('03601')).toEqual({ value: '000', restricted: true });
    expect(generaliseZip('893')).toEqual({ value: '000', restricted: true });
    expect(generaliseZip('ABCDE')).toBeNull();
    expect(generaliseZip('1234')).toBeNull();
  });
});

describe('deidentify', () => {
  it('drops names and contact details, generalises zip, age and dates, keeps clinical columns', () => {
    const input = rows();
    const res = deidentify(input, { labels: LABELS, referenceYear: 2012, pseudonym: (v) => `P${v.length}` });
    const gone = ['First', 'Middle', 'Last', 'ssn', 'phone', 'email', 'street', 'city', 'ccnum', 'notes'];
    // Unlabelled columns (the flags, most labs) are dropped by default.
    expect(res.columns).toEqual(['eid', 'vdate', 'gender', 'sodium', 'discharged', 'facid', 'lengthofstay', 'zip', 'birthdate', 'age']);
    for (const [i, r] of res.rows.entries()) {
      const src = input[i]!;
      for (const c of gone) {
        expect(r).not.toHaveProperty(c);
      }
      expect(r['eid']).toBe(`P${String(src['eid']).length}`);
      expect(r['vdate']).toBe(2012);
      expect(r['sodium']).toBe(src['sodium']);
      expect(r['zip']).toMatch(/^\d{3}$/);
      expect((RESTRICTED_ZIP3 as readonly string[]).includes(String(src['zip']).slice(0, 3)) ? r['zip'] : '000').toBe('000');
      expect(Number(src['age']) > 89 ? r['age'] === '90+' : r['age'] === src['age']).toBe(true);
      const birthYear = Number(String(src['birthdate']).split('/')[2]);
      expect(r['birthdate']).toBe(birthYear <= 1922 ? '<=1922' : birthYear);
    }
    const rep = Object.fromEntries(res.report.map((r) => [r.column, r]));
    expect(rep['ssn']).toMatchObject({ action: 'drop', rows: 400, changed: 400 });
    expect(rep['zip']!.restrictedZip).toBe(input.filter((r) => (RESTRICTED_ZIP3 as readonly string[]).includes(String(r['zip']).slice(0, 3))).length);
    expect(rep['age']!.topCoded).toBe(input.filter((r) => Number(r['age']) > 89).length);
    expect(rep['age']!.topCoded).toBeGreaterThan(0);
    expect(rep['hematocrit']).toMatchObject({ label: 'unlabelled', action: 'drop' });
    expect(rep['sodium']).toMatchObject({ action: 'keep', changed: 0 });
  });

  it('reports counts only, never values', () => {
    const input = rows().slice(0, 50);
    const text = JSON.stringify(deidentify(input, { labels: LABELS, referenceYear: 2012 }).report);
    for (const r of input) {
      for (const c of ['ssn', 'phone', 'email', 'Last', 'notes'] as const) {
        expect(text).not.toContain(String(r[c]));
      }
    }
  });

  it('shifts dates per patient, keeping the length of stay', () => {
    const input = rows().slice(0, 100);
    const res = deidentify(input, {
      labels: { ...LABELS, eid: { label: 'non_identifying' } },
      referenceYear: 2012,
      dates: 'shift',
      patientKey: (row) => String(row['eid']),
      shiftDays: (key) => -(Number(key) % 97) - 1,
    });
    const day = (s: unknown): number => Date.UTC(Number(String(s).split('/')[2]), Number(String(s).split('/')[0]) - 1, Number(String(s).split('/')[1])) / 86_400_000;
    res.rows.forEach((r, i) => {
      const src = input[i]!;
      expect(day(r['vdate']) - day(src['vdate'])).toBe(-(Number(src['eid']) % 97) - 1);
      expect(day(r['discharged']) - day(r['vdate'])).toBe(src['lengthofstay']);
    });
  });

  it('refuses a plan that needs a missing function or parameter, before reading any row', () => {
    const never = (): Iterable<DeidRow> => ({
      [Symbol.iterator]: () => {
        throw new Error('rows must not be read');
      },
    });
    expect(codeOf(() => deidentify(never(), { labels: LABELS, dates: 'shift', referenceYear: 2012 }))).toBe('HAVEN_DEID_MISSING_FUNCTION');
    expect(codeOf(() => deidentify(never(), { labels: LABELS }))).toBe('HAVEN_DEID_MISSING_FUNCTION');
  });

  it('drops unique ids without a pseudonym function and wraps failing functions without the value', () => {
    const input = rows().slice(0, 5);
    expect(deidentify(input, { labels: LABELS, referenceYear: 2012 }).rows[0]).not.toHaveProperty('eid');
    try {
      deidentify(input, { labels: LABELS, referenceYear: 2012, pseudonym: (v) => { throw new Error(`bad ${v}`); } });
      expect.unreachable();
    } catch (err) {
      expect((err as HavenError).code).toBe('HAVEN_DEID_TRANSFORM_FAILED');
      expect((err as HavenError).detail).toEqual({ column: 'eid' });
      expect((err as HavenError).cause).toBeUndefined();
    }
  });

  it('keeps unlabelled columns only when asked, and validates external label maps', () => {
    const res = deidentify([{ a: 1, b: 'x' }], { labels: { a: { label: 'sensitive' } }, unlabelled: 'keep' });
    expect(res.rows).toEqual([{ a: 1, b: 'x' }]);
    expect(parseColumnLabels({ zip: { label: 'quasi_identifier', kind: 'zip3' } })).toEqual({ zip: { label: 'quasi_identifier', kind: 'zip3' } });
    expect(codeOf(() => parseColumnLabels({ zip: { label: 'quasi_identifier', kind: 'name' } }))).toBe('HAVEN_DEID_INVALID_LABELS');
    expect(codeOf(() => parseColumnLabels([]))).toBe('HAVEN_DEID_INVALID_LABELS');
  });

  it('suppresses values it cannot transform safely and counts them', () => {
    const res = deidentify([{ zip: 'n/a', age: 'old', vdate: 'someday' }], {
      labels: { zip: { label: 'direct_identifier', kind: 'zip' }, age: { label: 'quasi_identifier', kind: 'age' }, vdate: { label: 'direct_identifier', kind: 'date' } },
    });
    expect(res.rows).toEqual([{ zip: null, age: null, vdate: null }]);
    expect(res.report.map((r) => r.suppressed)).toEqual([1, 1, 1]);
  });
});
