import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it, expect } from 'vitest';
import { HavenError } from '../../errors/haven-error.js';
import { parseCsv } from '../formats/csv/csv-reader.js';
import { assertNoSecrets, classifyDataset, DatasetClassifier } from './classify-dataset.js';

const CLINICAL = [
  'rcount', 'dialysisrenalendstage', 'asthma', 'irondef', 'pneum', 'substancedependence', 'psychologicaldisordermajor',
  'depress', 'psychother', 'fibrosisandother', 'malnutrition', 'hemo', 'hematocrit', 'neutrophils', 'sodium', 'glucose',
  'bloodureanitro', 'creatinine', 'bmi', 'pulse', 'respiration', 'secondarydiagnosisnonicd9', 'lengthofstay',
];

describe('classifyDataset on the real sample los-10k.csv', () => {
  const p = parseCsv(readFileSync(resolve(process.cwd(), '../shared/data/los-10k.csv')));
  const results = classifyDataset(p.summary.header, p.records.map((r) => r.fields));
  const by = new Map(results.map((r) => [r.column, r]));

  it('labels every one of the 31 columns exactly as expected', () => {
    const got = Object.fromEntries(results.map((r) => [r.column, r.label === 'direct_identifier' || r.label === 'quasi_identifier' ? `${r.label}:${r.kind}` : r.label]));
    const expected: Record<string, string> = {
      First: 'direct_identifier:name',
      Middle: 'direct_identifier:name',
      Last: 'direct_identifier:name',
      eid: 'direct_identifier:unique_id',
      vdate: 'direct_identifier:date',
      discharged: 'direct_identifier:date',
      gender: 'quasi_identifier:sex',
      facid: 'quasi_identifier:facility',
    };
    for (const c of CLINICAL) {
      expected[c] = 'sensitive_attribute';
    }
    expect(Object.keys(expected)).toHaveLength(31);
    expect(got).toEqual(expected);
  });

  it('gives confidences in 0..1 and evidence made of counts', () => {
    for (const r of results) {
      expect(r.confidence).toBeGreaterThan(0.5);
      expect(r.confidence).toBeLessThanOrEqual(1);
      expect(r.evidence.present).toBe(10_000);
    }
    expect(by.get('eid')!.evidence.uniqueRatio).toBeGreaterThan(0.95);
    expect(by.get('eid')!.evidence.header).toContain('header:unique_id');
    expect(by.get('vdate')!.evidence.valueType).toBe('date');
    expect(by.get('glucose')!.kind).toBe('lab_value');
    expect(by.get('pulse')!.kind).toBe('vital_sign');
    expect(by.get('asthma')!.kind).toBe('clinical_flag');
    expect(by.get('secondarydiagnosisnonicd9')!.kind).toBe('diagnosis');
  });

  it('evidence never holds a cell value of the file', () => {
    const json = JSON.stringify(results);
    for (const v of ['FirstA', 'Amiddle', 'LASTCEVUDKM', '101000', '9/21/2012', '139.001601', '97.91131015']) {
      expect(json).not.toContain(v);
    }
  });

  it('does not stop the import: no secrets', () => {
    expect(() => assertNoSecrets(results)).not.toThrow();
  });
});

describe('classification of synthetic columns', () => {
  const rows = (n: number, f: (i: number) => string[]): string[][] => Array.from({ length: n }, (_, i) => f(i));
  const classify = (headers: string[], data: string[][]) => new Map(classifyDataset(headers, data).map((r) => [r.column, r]));

  it('finds formats by value, with or without header help', () => {
    const r = classify(
      ['contact', 'c2', 'c3', 'home_phone', 'c5', 'c6', 'c7', 'zip', 'provider_npi', 'c10', 'c11'],
      rows(300, (i) => [
        `user${i}@example.org`,
        `(555) 201-${String(1000 + i)}`,
        `10.0.${i % 256}.${(i * 7) % 256}`,
        `555201${String(1000 + i)}`,
        `https://example.org/p/${i}`,
        `${100 + i} Main Street`,
        ['078-05-1120', '219-09-9999', '123-45-6789'][i % 3]!,
        String(10000 + i),
        ['1234567893', '1245319599', '1003000126'][i % 3]!,
        ['4111 1111 1111 1111', '5500 0000 0000 0004', '340000000000009'][i % 3]!,
        ['GB82 WEST 1234 5698 7654 32', 'DE89370400440532013000'][i % 2]!,
      ]),
    );
    const kinds = [...r.values()].map((c) => `${c.label}:${c.kind}`);
    expect(kinds).toEqual([
      'direct_identifier:email',
      'direct_identifier:phone',
      'direct_identifier:ip_address',
      'direct_identifier:phone',
      'direct_identifier:url',
      'direct_identifier:geographic_subunit',
      'direct_identifier:ssn',
      'direct_identifier:geographic_subunit',
      'quasi_identifier:provider',
      'direct_identifier:account_number',
      'direct_identifier:account_number',
    ]);
    expect(r.get('c7')!.evidence.detectors.map((d) => d.detector)).toContain('value:ssn');
  });

  it('rejects invalid SSNs, card numbers and NPIs by their checks', () => {
    const r = classify(['a', 'b', 'c'], rows(300, (i) => [`${900 + (i % 99)}-12-3456`, `4111 1111 1111 111${i % 9 === 0 ? 2 : 3}`, '1234567890']));
    expect(r.get('a')!.label).not.toBe('direct_identifier');
    expect(r.get('b')!.label).not.toBe('direct_identifier');
    expect(r.get('c')!.kind).not.toBe('provider');
  });

  it('recognises names from the dictionary without a header hint', () => {
    const first = ['Mary', 'James', 'Linda', 'Robert', 'Patricia', 'Michael', 'Jennifer', 'David'];
    const last = ['Smith', 'Johnson', 'Garcia', 'Nguyen', 'Brown', 'Lopez', 'Kim', "O'Brien"];
    const r = classify(['who'], rows(200, (i) => [`${first[i % 8]} ${last[(i * 3) % 8]}`]));
    expect(r.get('who')).toMatchObject({ label: 'direct_identifier', kind: 'name' });
  });

  it('scans free text for PII spans and reports counts only', () => {
    const r = classify(
      ['notes', 'comments'],
      rows(200, (i) => [
        i % 2 === 0 ? `Seen by Dr. Robert today, call 555-201-${String(1000 + i)} to follow up` : 'Patient stable overnight, no acute distress noted',
        'Stable overnight with no acute distress and good appetite',
      ]),
    );
    const notes = r.get('notes')!;
    expect(notes.label).toBe('direct_identifier');
    expect(notes.evidence.spans).toEqual({ phone: 100, name: 100 });
    expect(r.get('comments')).toMatchObject({ label: 'sensitive_attribute', kind: 'free_text' });
  });

  it('uses header context for quasi-identifiers and unique ids', () => {
    const r = classify(
      ['age', 'sex', 'zip3', 'birth_year', 'patient_id', 'row_key2', 'colour', 'DOB'],
      rows(300, (i) => [String(20 + (i % 60)), i % 2 ? 'F' : 'M', String(100 + (i % 50)), String(1940 + (i % 50)), `P${i % 100}`, String(5000 + i), ['red', 'blue'][i % 2]!, String(1950 + (i % 40))]),
    );
    const got = [...r.values()].map((c) => `${c.label}:${c.kind ?? ''}`);
    expect(got).toEqual([
      'quasi_identifier:age',
      'quasi_identifier:sex',
      'quasi_identifier:zip3',
      'quasi_identifier:year',
      'direct_identifier:unique_id',
      'direct_identifier:unique_id',
      'non_sensitive:',
      'quasi_identifier:year',
    ]);
    expect(r.get('patient_id')!.confidence).toBeLessThan(r.get('row_key2')!.confidence + 0.2);
  });
});

describe('secrets stop the import', () => {
  const cases: [string, string][] = [
    ['aws_access_key', 'key AKIAIOSFODNN7EXAMPLE here'],
    ['private_key', '-----BEGIN RSA PRIVATE KEY-----\nMIIEow...\n-----END RSA PRIVATE KEY-----'],
    ['github_token', `token ghp_${'a1B2'.repeat(9)}`],
    ['slack_token', 'xoxb-123456789012-abcdefghij'],
    ['api_key', `sk-${'x'.repeat(40)}`],
    ['connection_string', 'postgres://admin:hunter2@db.internal:5432/haven'],
    ['connection_string', 'Server=db;Database=x;User Id=sa;Password=Secr3t!;'],
  ];
  it.each(cases)('detects %s even in one cell of a million-row-like column', (kind, secret) => {
    const d = new DatasetClassifier(['note']);
    for (let i = 0; i < 5000; i++) {
      d.observe([i === 4321 ? secret : 'routine follow-up visit, nothing to add']);
    }
    const [r] = d.result();
    expect(r).toMatchObject({ label: 'secret', kind });
    expect(r!.evidence.secrets).toEqual({ [kind]: 1 });
    expect(JSON.stringify(r)).not.toContain(secret.slice(0, 12));
    try {
      assertNoSecrets([r!]);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(HavenError);
      expect((err as HavenError).code).toBe('HAVEN_CLASSIFY_SECRET_FOUND');
      expect((err as HavenError).detail).toEqual({ column: 'note', kind, columns: 1 });
    }
  });

  it('a column named like a password is a secret too', () => {
    expect(classifyDataset(['db_password'], [['x'], ['y']])[0]).toMatchObject({ label: 'secret', kind: 'credential' });
  });
});
