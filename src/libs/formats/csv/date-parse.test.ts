import { describe, it, expect } from 'vitest';
import { isCalendarDay, parseDate, parseSlashedDate } from './date-parse.js';

describe('date-parse', () => {
  it('knows the calendar', () => {
    expect(isCalendarDay(2024, 2, 29)).toBe(true);
    expect(isCalendarDay(2023, 2, 29)).toBe(false);
    expect(isCalendarDay(1900, 2, 29)).toBe(false);
    expect(isCalendarDay(2000, 2, 29)).toBe(true);
    expect(isCalendarDay(2024, 4, 31)).toBe(false);
    expect(isCalendarDay(2024, 13, 1)).toBe(false);
  });

  it('splits A/B/YYYY with one consistent separator', () => {
    expect(parseSlashedDate('9/21/2012')).toEqual({ first: 9, second: 21, year: 2012 });
    expect(parseSlashedDate('21.09.2012')).toEqual({ first: 21, second: 9, year: 2012 });
    for (const bad of ['9/21-2012', '9/21/12', '123/1/2012', '9//2012', 'a/b/cdef', '9/21/2012x']) {
      expect(parseSlashedDate(bad)).toBeUndefined();
    }
  });

  it('parses each format to an ISO day', () => {
    expect(parseDate('9/21/2012', 'M/D/YYYY')).toBe('2012-09-21');
    expect(parseDate('9/21/2012', 'D/M/YYYY')).toBeUndefined();
    expect(parseDate('21/9/2012', 'D/M/YYYY')).toBe('2012-09-21');
    expect(parseDate('2012-09-21', 'YYYY-MM-DD')).toBe('2012-09-21');
    expect(parseDate('2012-9-21', 'YYYY-MM-DD')).toBeUndefined();
    expect(parseDate('2012-09-21T25:00:00Z', 'ISO-DATETIME')).toBeUndefined();
    expect(parseDate('2012-09-21T23:59:60+01:00', 'ISO-DATETIME')).toBe('2012-09-21T23:59:60+01:00');
  });
});
