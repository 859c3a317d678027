import { describe, it, expect } from 'vitest';
import { formatCsv, formatCsvField, formatCsvRecord, neutraliseFormula } from './csv-writer.js';

describe('csv-formula-injection', () => {
  it('prefixes cells a spreadsheet would run as a formula', () => {
    for (const cell of ['=1+2', '+A1', '-1+2', '@SUM(A1:A2)', '\tcmd', '\r=x', '=HYPERLINK("http://x","y")', "-cmd|' /C calc'!A0"]) {
      expect(neutraliseFormula(cell)).toBe(`'${cell}`);
    }
  });

  it('leaves plain numbers and ordinary text alone', () => {
    for (const cell of ['-3.5', '+1', '-2e-3', '42', '', 'plain', 'a=b', ' =not first']) {
      expect(neutraliseFormula(cell)).toBe(cell);
    }
  });

  it('quotes a neutralised cell that also needs quoting', () => {
    expect(formatCsvField('=1,2')).toBe(`"'=1,2"`);
    expect(formatCsvField('=1,2', { neutraliseFormulas: false })).toBe('"=1,2"');
  });
});

describe('formatCsv', () => {
  it('quotes delimiters, quotes and line breaks only', () => {
    expect(formatCsvRecord(['a', 'b,c', 'say "hi"', 'x\ny', 'r\rs'])).toBe('a,"b,c","say ""hi""","x\ny","r\rs"\r\n');
    expect(formatCsvRecord(['a;b', 'c,d'], { delimiter: ';', lineEnding: '\n' })).toBe('"a;b";c,d\n');
  });

  it('writes a lone empty field as "" so the record survives', () => {
    expect(formatCsvRecord([''])).toBe('""\r\n');
    expect(formatCsvRecord(['', ''])).toBe(',\r\n');
  });

  it('writes header then rows', () => {
    expect(formatCsv(['h1', 'h2'], [['1', '2'], ['3', '-4']], { lineEnding: '\n' })).toBe('h1,h2\n1,2\n3,-4\n');
  });
});
