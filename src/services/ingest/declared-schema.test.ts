import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HavenError } from '../../errors/haven-error.js';
import { MAX_DECLARED_COLUMNS, parseDeclaredSchema } from './declared-schema.js';

const failure = (text: string): { code: string; detail: unknown } => {
  try {
    parseDeclaredSchema(text);
  } catch (err) {
    return err instanceof HavenError ? { code: err.code, detail: err.detail } : { code: 'not a HavenError', detail: undefined };
  }
  return { code: 'no error', detail: undefined };
};
const schemaOf = (...columns: unknown[]) => JSON.stringify({ columns });

describe('parseDeclaredSchema', () => {
  it('reads names, types, nullability, ranges, date formats and levels into the CSV library form', () => {
    const s = parseDeclaredSchema(
      schemaOf(
        { name: 'eid', type: 'integer', nullable: false, min: 1 },
        { name: 'vdate', type: 'date', dateFormat: 'M/D/YYYY', min: '2010-01-01', max: '2020-12-31' },
        { name: 'bmi', type: 'decimal', min: 5.5, max: 90 },
        { name: 'gender', type: 'categorical', categories: ['F', 'M'] },
        { name: 'seen', type: 'datetime', dateFormat: 'ISO-DATETIME' },
        { name: 'note', type: 'text', nullable: true },
      ),
    );
    expect(s.columns).toEqual([
      { name: 'eid', type: 'integer', required: true, min: 1 },
      { name: 'vdate', type: 'date', dateFormat: 'M/D/YYYY', min: '2010-01-01', max: '2020-12-31' },
      { name: 'bmi', type: 'decimal', min: 5.5, max: 90 },
      { name: 'gender', type: 'categorical', categories: ['F', 'M'] },
      { name: 'seen', type: 'datetime', dateFormat: 'ISO-DATETIME' },
      { name: 'note', type: 'text' },
    ]);
  });

  it.each([
    ['not JSON', '{columns:', 0, 'json'],
    ['not an object', '[]', 0, 'columns'],
    ['an extra top-level field', JSON.stringify({ columns: [{ name: 'a', type: 'text' }], x: 1 }), 0, 'columns'],
    ['no columns', schemaOf(), 0, 'columns'],
    ['a column that is not an object', schemaOf('a'), 1, 'column'],
    ['an unknown field', schemaOf({ name: 'a', type: 'text', secret: 'x' }), 1, 'unknown_field'],
    ['an empty name', schemaOf({ name: ' ', type: 'text' }), 1, 'name'],
    ['a duplicate name (any case)', schemaOf({ name: 'a', type: 'text' }, { name: 'A', type: 'text' }), 2, 'duplicate_name'],
    ['an unknown type', schemaOf({ name: 'a', type: 'empty' }), 1, 'type'],
    ['a non-boolean nullable', schemaOf({ name: 'a', type: 'text', nullable: 'no' }), 1, 'nullable'],
    ['a fractional integer bound', schemaOf({ name: 'a', type: 'integer', min: 1.5 }), 1, 'min'],
    ['a range on text', schemaOf({ name: 'a', type: 'text', max: 3 }), 1, 'max'],
    ['an impossible date bound', schemaOf({ name: 'a', type: 'date', min: '2012-02-30' }), 1, 'min'],
    ['min above max', schemaOf({ name: 'a', type: 'decimal', min: 5, max: 1 }), 1, 'range'],
    ['a date format on a number', schemaOf({ name: 'a', type: 'integer', dateFormat: 'M/D/YYYY' }), 1, 'dateFormat'],
    ['a datetime format on a date', schemaOf({ name: 'a', type: 'date', dateFormat: 'ISO-DATETIME' }), 1, 'dateFormat'],
    ['levels on a non-categorical column', schemaOf({ name: 'a', type: 'text', categories: ['x'] }), 1, 'categories'],
    ['an empty level', schemaOf({ name: 'a', type: 'categorical', categories: [''] }), 1, 'categories'],
  ])('%s → HAVEN_INGEST_SCHEMA_INVALID naming the column and field', (_name, text, column, field) => {
    expect(failure(text)).toEqual({ code: 'HAVEN_INGEST_SCHEMA_INVALID', detail: { column, field } });
  });

  it('refuses more than the column limit', () => {
    const columns = Array.from({ length: MAX_DECLARED_COLUMNS + 1 }, (_, i) => ({ name: `c${i}`, type: 'text' }));
    expect(failure(schemaOf(...columns)).code).toBe('HAVEN_INGEST_SCHEMA_INVALID');
  });

  it('never echoes a value of the schema in its error', () => {
    const f = failure(schemaOf({ name: 'Smith-John-123', type: 'nonsense-type-456' }));
    expect(JSON.stringify(f)).not.toMatch(/Smith|nonsense/);
  });

  it('any input gives a schema or a coded error, never a crash', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.jsonValue().map((v) => JSON.stringify({ columns: [v] })),
        ),
        (text) => {
          try {
            parseDeclaredSchema(text);
          } catch (err) {
            expect(err).toBeInstanceOf(HavenError);
            expect((err as HavenError).code).toBe('HAVEN_INGEST_SCHEMA_INVALID');
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
