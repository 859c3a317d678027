import { describe, expect, it } from 'vitest';
import { HavenError } from '../../../errors/haven-error.js';
import { SheetTable, type SheetRow } from './sheet-table.js';

const t = (text: string) => ({ text, error: false });
const err = (text: string) => ({ text, error: true });
const row = (number: number, ...cells: [number, { text: string; error: boolean }][]): SheetRow => ({ number, cells });

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(HavenError);
    return (e as HavenError).code;
  }
  throw new Error('expected a HavenError');
}

describe('SheetTable', () => {
  it('the first non-empty row is the header; it spans its first to last non-empty cell; data rows are laid out under it', () => {
    const table = new SheetTable({ maxColumns: 10 });
    expect(table.push(row(1))).toBeUndefined();
    expect(table.push(row(2, [2, t(' id ')], [3, t('name')], [4, t('note')]))).toBe('id,name,note\n');
    expect(table.push(row(3, [2, t('1')], [4, t('a, "b"')]))).toBe('1,,"a, ""b"""\n');
    expect(table.push(row(4, [3, t('')]))).toBeUndefined();
    expect(table.push(row(5, [2, t('2')], [3, t('Ann')], [4, t('=SUM(A1)')]))).toBe('2,Ann,=SUM(A1)\n');
    table.end();
    expect(table.header).toEqual(['id', 'name', 'note']);
    const batch = table.drain();
    expect(batch.records).toEqual([
      { row: 1, line: 3, fields: ['1', '', 'a, "b"'] },
      { row: 2, line: 5, fields: ['2', 'Ann', '=SUM(A1)'] },
    ]);
    expect(batch.rejected).toEqual([]);
    expect(table.drain().records).toEqual([]);
  });

  it('a value outside the header span, or an error value, sends the row to quarantine with all its cells', () => {
    const table = new SheetTable({ maxColumns: 10 });
    table.push(row(1, [1, t('a')], [2, t('b')]));
    expect(table.push(row(2, [1, t('1')], [2, t('2')], [4, t('stray')]))).toBe('1,2,,stray\n');
    table.push(row(3, [1, t('3')], [2, err('#N/A')]));
    table.push(row(4, [1, t('5')], [2, t('6')]));
    table.end();
    const batch = table.drain();
    expect(batch.rejected).toEqual([
      { row: 1, line: 2, code: 'HAVEN_XLSX_CELL_OUTSIDE_TABLE', raw: '1,2,,stray' },
      { row: 2, line: 3, code: 'HAVEN_XLSX_ERROR_CELL', raw: '3,#N/A' },
    ]);
    expect(batch.records.map((r) => r.row)).toEqual([3]);
  });

  it('empty, duplicate (case-insensitive) and error header names are fatal, naming columns not values', () => {
    const empty = new SheetTable({ maxColumns: 10 });
    expect(codeOf(() => empty.push(row(1, [1, t('a')], [3, t('c')])))).toBe('HAVEN_XLSX_BAD_HEADER');
    const dup = new SheetTable({ maxColumns: 10 });
    try {
      dup.push(row(1, [1, t('Name')], [2, t('NAME ')]));
    } catch (e) {
      expect((e as HavenError).detail).toEqual({ column: 2, firstColumn: 1, reason: 'duplicate' });
    }
    const bad = new SheetTable({ maxColumns: 10 });
    expect(codeOf(() => bad.push(row(1, [1, err('#REF!')])))).toBe('HAVEN_XLSX_BAD_HEADER');
    const wide = new SheetTable({ maxColumns: 3 });
    expect(codeOf(() => wide.push(row(1, [1, t('a')], [4, t('d')])))).toBe('HAVEN_XLSX_TOO_MANY_COLUMNS');
  });

  it('an empty sheet and a header with no rows are coded errors; quarantined rows count as rows', () => {
    expect(codeOf(() => new SheetTable({ maxColumns: 5 }).end())).toBe('HAVEN_XLSX_EMPTY_SHEET');
    const headerOnly = new SheetTable({ maxColumns: 5 });
    headerOnly.push(row(1, [1, t('a')]));
    expect(codeOf(() => headerOnly.end())).toBe('HAVEN_XLSX_NO_ROWS');
    const onlyBad = new SheetTable({ maxColumns: 5 });
    onlyBad.push(row(1, [1, t('a')]));
    onlyBad.push(row(2, [1, err('#N/A')]));
    expect(() => onlyBad.end()).not.toThrow();
  });
});
