import { describe, it, expect } from 'vitest';
import { detectDelimiter } from './detect-delimiter.js';

const d = (s: string): string => detectDelimiter(new TextEncoder().encode(s));

describe('detectDelimiter', () => {
  it('picks the delimiter that is consistent across lines', () => {
    expect(d('a,b,c\n1,2,3\n')).toBe(',');
    expect(d('a;b;c\n1,5;2,5;3\n4;5;6\n')).toBe(';');
    expect(d('a\tb\n1\t2\n')).toBe('\t');
    expect(d('a|b|c\n1|2|3')).toBe('|');
  });

  it('ignores delimiters inside quotes', () => {
    expect(d('"a;b;c";x\n"1;2;3";y\n')).toBe(';');
    expect(d('name,note\n"Smith; John","a|b|c"\n')).toBe(',');
  });

  it('falls back to comma for one column or empty input', () => {
    expect(d('only\nvalues\n')).toBe(',');
    expect(d('')).toBe(',');
  });
});
