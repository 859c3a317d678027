import { describe, expect, it } from 'vitest';
import { dateFormatKind } from './number-format.js';

describe('dateFormatKind', () => {
  it.each([
    ['m/d/yyyy', 'date'],
    ['mm-dd-yy', 'date'],
    ['yyyy-mm-dd', 'date'],
    ['d-mmm-yy', 'date'],
    ['mmm yyyy', 'date'],
    ['[$-409]dddd, mmmm d, yyyy', 'date'],
    ['yyyy-mm-dd hh:mm', 'datetime'],
    ['m/d/yyyy h:mm AM/PM', 'datetime'],
    ['h:mm', 'time'],
    ['mm:ss', 'time'],
    ['[h]:mm:ss', 'time'],
    ['h:mm AM/PM', 'time'],
  ] as const)('%s is a %s format', (format, kind) => {
    expect(dateFormatKind(format)).toBe(kind);
  });

  it.each([
    [undefined],
    [''],
    ['General'],
    ['0'],
    ['0.00'],
    ['#,##0.00'],
    ['0%'],
    ['0.00E+00'],
    ['"days: "0'],
    ['0 \\d\\a\\y\\s'],
    ['[Red]-0.0'],
    ['@'],
    ['#,##0;[Red](#,##0)'],
    ['0_);(0)'],
  ])('%s is not a date format', (format) => {
    expect(dateFormatKind(format)).toBeUndefined();
  });

  it('reads the first section only', () => {
    expect(dateFormatKind('0.00;m/d/yyyy')).toBeUndefined();
    expect(dateFormatKind('m/d/yyyy;0.00')).toBe('date');
  });
});
