import { describe, expect, it } from 'vitest';
import { cellText, numberText } from './cell-text.js';

const day = (y: number, m: number, d: number, h = 0, min = 0, s = 0) => new Date(Date.UTC(y, m - 1, d, h, min, s));

describe('cellText', () => {
  it('text, booleans, rich text and hyperlinks', () => {
    expect(cellText('  Ann  ', undefined, false)).toEqual({ text: '  Ann  ', error: false });
    expect(cellText(true, undefined, false).text).toBe('TRUE');
    expect(cellText(false, undefined, false).text).toBe('FALSE');
    expect(cellText({ richText: [{ text: 'Jo' }, { text: 'hn' }] }, undefined, false).text).toBe('John');
    expect(cellText({ text: 'site', hyperlink: 'https://example.org' }, undefined, false).text).toBe('site');
    expect(cellText(null, undefined, false)).toEqual({ text: '', error: false });
    expect(cellText(undefined, 'm/d/yyyy', false)).toEqual({ text: '', error: false });
  });

  it('numbers as their value at 15 significant digits, whatever the display format', () => {
    expect(cellText(0.1 + 0.2, undefined, false).text).toBe('0.3');
    expect(cellText(1 / 3, '0.00', false).text).toBe('0.333333333333333');
    expect(cellText(0.25, '0%', false).text).toBe('0.25');
    expect(cellText(1234567, '#,##0', false).text).toBe('1234567');
    expect(cellText(-0, undefined, false).text).toBe('0');
    expect(numberText(2 ** 53 + 2)).toBe('9007199254740990');
    expect(numberText(1e21)).toBe('1e+21');
  });

  it('dates at the granularity their format shows, in ISO 8601', () => {
    expect(cellText(day(2012, 8, 29), 'm/d/yyyy', false).text).toBe('2012-08-29');
    // A date format hides the time: the day is imported, as Excel shows it.
    expect(cellText(day(2012, 8, 29, 18, 30), 'm/d/yyyy', false).text).toBe('2012-08-29');
    expect(cellText(day(2012, 8, 29, 18, 30, 15), 'yyyy-mm-dd hh:mm', false).text).toBe('2012-08-29T18:30:15');
    expect(cellText(day(1899, 12, 30, 7, 5), 'h:mm', false).text).toBe('07:05:00');
    // A Date under a format that is no date format by these rules: midnight is a day, else a date-time.
    expect(cellText(day(2012, 8, 29), undefined, false).text).toBe('2012-08-29');
    expect(cellText(day(2012, 8, 29, 1), undefined, false).text).toBe('2012-08-29T01:00:00');
  });

  it('date serials (a formula result under a date format) in both date systems, seconds rounded', () => {
    expect(cellText({ formula: 'A1+1', result: 41150 }, 'yyyy-mm-dd', false).text).toBe('2012-08-29');
    expect(cellText({ formula: 'A1+1', result: 41150 - 1462 }, 'yyyy-mm-dd', true).text).toBe('2012-08-29');
    expect(cellText({ formula: 'A1', result: 41150.5 + 0.4 / 86400 }, 'yyyy-mm-dd hh:mm:ss', false).text).toBe('2012-08-29T12:00:00');
    expect(cellText({ formula: 'A1', result: 41150.99998 }, 'yyyy-mm-dd hh:mm', false).text).toBe('2012-08-29T23:59:58');
    // 23:59:59.91 rounds to the next second, which is the next day (as Excel shows it).
    expect(cellText({ formula: 'A1', result: 41150.999999 }, 'yyyy-mm-dd hh:mm', false).text).toBe('2012-08-30T00:00:00');
  });

  it('formulas as their cached result: 0, empty text and FALSE are values, no result is a missing value', () => {
    expect(cellText({ formula: 'A1-A1', result: 0 }, undefined, false)).toEqual({ text: '0', error: false });
    expect(cellText({ formula: '""', result: '' }, undefined, false)).toEqual({ text: '', error: false });
    expect(cellText({ formula: '1=2', result: false }, undefined, false).text).toBe('FALSE');
    expect(cellText({ formula: 'A1&B1', result: 'AnnB' }, undefined, false).text).toBe('AnnB');
    expect(cellText({ formula: 'NOW()' }, 'yyyy-mm-dd', false)).toEqual({ text: '', error: false });
    expect(cellText({ sharedFormula: 'D2', result: 7 }, undefined, false).text).toBe('7');
  });

  it('error values are flagged, whether plain, a cached formula error, or a number the parser could not read', () => {
    expect(cellText({ error: '#N/A' }, undefined, false)).toEqual({ text: '#N/A', error: true });
    expect(cellText({ formula: '1/0', result: { error: '#DIV/0!' } }, undefined, false)).toEqual({ text: '#DIV/0!', error: true });
    expect(cellText({ formula: '1/0', result: Number.NaN }, undefined, false).error).toBe(true);
    expect(cellText(Number.POSITIVE_INFINITY, undefined, false).error).toBe(true);
    expect(cellText(new Date(Number.NaN), 'm/d/yyyy', false).error).toBe(true);
  });
});
