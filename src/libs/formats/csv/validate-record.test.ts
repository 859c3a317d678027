import { describe, it, expect } from 'vitest';
import { HavenError } from '../../../errors/haven-error.js';
import { checkHeaderAgainstSchema, validateRecord, type DeclaredSchema } from './validate-record.js';

const schema: DeclaredSchema = {
  columns: [
    { name: 'eid', type: 'integer', required: true, min: 1 },
    { name: 'vdate', type: 'date', dateFormat: 'M/D/YYYY', min: '2010-01-01' },
    { name: 'gender', type: 'categorical', categories: ['F', 'M'] },
    { name: 'bmi', type: 'decimal', min: 5, max: 100 },
    { name: 'flag', type: 'boolean' },
    { name: 'note', type: 'text' },
  ],
};

describe('validateRecord', () => {
  it('returns typed values', () => {
    expect(validateRecord(['12', '9/21/2012', 'F', '31.4', 'yes', 'x'], schema)).toEqual({
      ok: true,
      values: [12, '2012-09-21', 'F', 31.4, true, 'x'],
    });
    expect(validateRecord(['12', '', '', '', '', ''], schema)).toEqual({ ok: true, values: [12, null, null, null, null, null] });
  });

  it('rejects with a code and column, never the value', () => {
    expect(validateRecord(['', '9/21/2012', 'F', '31', 'y', ''], schema)).toEqual({ ok: false, code: 'HAVEN_CSV_MISSING_REQUIRED', column: 1 });
    expect(validateRecord(['1.5', '', '', '', '', ''], schema)).toEqual({ ok: false, code: 'HAVEN_CSV_TYPE_MISMATCH', column: 1 });
    expect(validateRecord(['0', '', '', '', '', ''], schema)).toEqual({ ok: false, code: 'HAVEN_CSV_OUT_OF_RANGE', column: 1 });
    expect(validateRecord(['1', '2/30/2012', '', '', '', ''], schema)).toEqual({ ok: false, code: 'HAVEN_CSV_TYPE_MISMATCH', column: 2 });
    expect(validateRecord(['1', '1/1/2009', '', '', '', ''], schema)).toEqual({ ok: false, code: 'HAVEN_CSV_OUT_OF_RANGE', column: 2 });
    expect(validateRecord(['1', '', 'X', '', '', ''], schema)).toEqual({ ok: false, code: 'HAVEN_CSV_TYPE_MISMATCH', column: 3 });
    expect(validateRecord(['1', '', '', '101', '', ''], schema)).toEqual({ ok: false, code: 'HAVEN_CSV_OUT_OF_RANGE', column: 4 });
    expect(validateRecord(['1', '', '', '', 'maybe', ''], schema)).toEqual({ ok: false, code: 'HAVEN_CSV_TYPE_MISMATCH', column: 5 });
    expect(validateRecord(['1', ''], schema)).toEqual({ ok: false, code: 'HAVEN_CSV_COLUMN_COUNT', column: 3 });
  });

  it('checks the header against the schema', () => {
    expect(() => checkHeaderAgainstSchema(['EID', 'vdate', 'gender', 'bmi', 'flag', 'note'], schema)).not.toThrow();
    try {
      checkHeaderAgainstSchema(['eid', 'gender'], schema);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(HavenError);
      expect((err as HavenError).code).toBe('HAVEN_CSV_SCHEMA_MISMATCH');
      expect((err as HavenError).detail).toEqual({ column: 2, expectedColumns: 6, columns: 2 });
    }
  });
});
