import { describe, expect, it } from 'vitest';
import { parseTarget } from './target.js';

const code = (c: string, row?: number): Error => expect.objectContaining({ code: c, ...(row === undefined ? {} : { detail: expect.objectContaining({ row }) as unknown }) }) as Error;

describe('parseTarget', () => {
  it('parses numbers and numeric strings', () => {
    expect(Array.from(parseTarget(['1', 2, ' 3.5 '], 'y'))).toEqual([1, 2, 3.5]);
  });
  it('gives coded errors for missing column, non-numeric, empty and infinite cells', () => {
    expect(() => parseTarget(undefined, 'y')).toThrowError(code('HAVEN_ML_TARGET_MISSING'));
    expect(() => parseTarget(['1', 'abc'], 'y')).toThrowError(code('HAVEN_ML_TARGET_MISSING', 1));
    expect(() => parseTarget(['1', ''], 'y')).toThrowError(code('HAVEN_ML_TARGET_NOT_FINITE', 1));
    expect(() => parseTarget(['Infinity'], 'y')).toThrowError(code('HAVEN_ML_TARGET_NOT_FINITE', 0));
    expect(() => parseTarget([1, -Infinity], 'y')).toThrowError(code('HAVEN_ML_TARGET_NOT_FINITE', 1));
  });
});
