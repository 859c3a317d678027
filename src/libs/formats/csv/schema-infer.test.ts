import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it, expect } from 'vitest';
import { parseCsv } from './csv-reader.js';
import { ColumnTypeAccumulator, inferSchema, numberShape } from './schema-infer.js';

function infer(values: string[]): ReturnType<ColumnTypeAccumulator['finish']> {
  const acc = new ColumnTypeAccumulator('c');
  values.forEach((v) => acc.observe(v));
  return acc.finish();
}

describe('numberShape', () => {
  it('tells integers, decimals and non-numbers apart', () => {
    expect(['0', '-12', '+7'].map(numberShape)).toEqual([1, 1, 1]);
    expect(['1.5', '-.5', '2.', '1e5', '1.2E-3'].map(numberShape)).toEqual([2, 2, 2, 2, 2]);
    expect(['', '-', '.', 'e5', '1e', '1.2.3', '12a', '0x10', ' 1', 'NaN', 'Infinity'].map(numberShape)).toEqual(Array(11).fill(0));
  });
});

describe('ColumnTypeAccumulator', () => {
  it('infers integer and decimal with ranges and nullability', () => {
    expect(infer(['3', '', '-2', '10'])).toMatchObject({ type: 'integer', min: -2, max: 10, nullable: true, missing: 1, present: 3 });
    expect(infer(['3', '2.5'])).toMatchObject({ type: 'decimal', min: 2.5, max: 3, nullable: false });
    expect(infer(['99999999999999999999'])).toMatchObject({ type: 'decimal' });
  });

  it('infers booleans from words, not from 0/1', () => {
    expect(infer(['yes', 'No', 'TRUE', 'f']).type).toBe('boolean');
    expect(infer(['0', '1', '1']).type).toBe('integer');
  });

  it('resolves M/D versus D/M by evidence and flags ambiguity', () => {
    expect(infer(['9/21/2012', '1/2/2013'])).toMatchObject({ type: 'date', dateFormat: 'M/D/YYYY', dateAmbiguous: false, min: '2012-09-21', max: '2013-01-02' });
    expect(infer(['21/9/2012', '1/2/2013'])).toMatchObject({ type: 'date', dateFormat: 'D/M/YYYY', dateAmbiguous: false, min: '2012-09-21', max: '2013-02-01' });
    expect(infer(['1/2/2013', '3/4/2013'])).toMatchObject({ type: 'date', dateFormat: 'M/D/YYYY', dateAmbiguous: true });
    expect(infer(['21.09.2012', '01.02.2013'])).toMatchObject({ dateFormat: 'D/M/YYYY' });
    // 13/13 fits neither order.
    expect(infer(['13/13/2012', '1/2/2013']).type).not.toBe('date');
  });

  it('infers ISO dates and datetimes, refusing impossible days', () => {
    expect(infer(['2024-02-29', '2023-12-01'])).toMatchObject({ type: 'date', dateFormat: 'YYYY-MM-DD', min: '2023-12-01', max: '2024-02-29' });
    expect(infer(['2023-02-29']).type).not.toBe('date');
    expect(infer(['2024-01-01T10:00:00Z', '2024-01-02 23:59']).type).toBe('datetime');
  });

  it('infers categorical for few levels and text otherwise', () => {
    expect(infer(['F', 'M', 'F', 'M', 'F'])).toMatchObject({ type: 'categorical', categories: ['F', 'M'] });
    expect(infer(['a', 'b', 'c', 'd']).type).toBe('text');
    expect(infer(['', '']).type).toBe('empty');
  });

  it('caps remembered distinct values', () => {
    const acc = new ColumnTypeAccumulator('c', { distinctCap: 10 });
    for (let i = 0; i < 100; i++) {
      acc.observe(`v${i}`);
    }
    expect(acc.finish()).toMatchObject({ type: 'text', distinct: 10, distinctCapped: true });
  });
});

describe('inferSchema on los-10k.csv', () => {
  it('types every column of the real sample', () => {
    const p = parseCsv(readFileSync(resolve(process.cwd(), '../shared/data/los-10k.csv')));
    const schema = inferSchema(p.summary.header, p.records.map((r) => r.fields));
    const types = Object.fromEntries(schema.map((c) => [c.name, c.type]));
    expect(types).toMatchObject({
      eid: 'integer', vdate: 'date', discharged: 'date', rcount: 'categorical', // 0..4 and '5+'
      gender: 'categorical', facid: 'categorical',
      hematocrit: 'decimal', glucose: 'decimal', bmi: 'decimal', pulse: 'integer', lengthofstay: 'integer', Last: 'text',
    });
    const vdate = schema.find((c) => c.name === 'vdate')!;
    expect(vdate).toMatchObject({ dateFormat: 'M/D/YYYY', dateAmbiguous: false, nullable: false });
    expect(schema.every((c) => c.missing === 0 && c.present === 10_000)).toBe(true);
  });
});
