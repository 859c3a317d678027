import { describe, expect, it } from 'vitest';
import { buildFeatureMatrix, inferFeatureSpec, rowsToColumns, selectRows, specColumnNames } from './feature-matrix.js';

describe('feature matrix', () => {
  const rows = [
    { age: '34', sex: 'F', ward: 'A', empty: '', id: 'x1' },
    { age: '', sex: 'M', ward: 'B', empty: '', id: 'x2' },
    { age: '51.5', sex: 'F', ward: '', empty: 'NA', id: 'x3' },
  ];
  const cols = rowsToColumns(rows);
  it('infers numeric and categorical columns, drops all-missing ones with a note', () => {
    const { spec, notes } = inferFeatureSpec(cols, { exclude: ['id'] });
    expect(spec.columns.map((c) => [c.name, c.type])).toEqual([['age', 'numeric'], ['sex', 'categorical'], ['ward', 'categorical']]);
    expect(notes).toEqual([{ column: 'empty', reason: 'all-missing' }, { column: 'id', reason: 'excluded' }]);
    expect(specColumnNames(spec)).toEqual(['age', 'sex_F', 'sex_M', 'ward_A', 'ward_B']);
  });
  it('builds a column-major matrix with NaN for missing and one-hot levels', () => {
    const { spec } = inferFeatureSpec(cols, { exclude: ['id'] });
    const m = buildFeatureMatrix(spec, cols);
    expect(m.nRows).toBe(3);
    expect(Array.from(m.data.subarray(0, 3))).toEqual([34, NaN, 51.5]);
    expect(Array.from(m.data.subarray(3, 6))).toEqual([1, 0, 1]); // sex_F
    expect(Array.from(m.data.subarray(12, 15))).toEqual([0, 1, NaN]); // ward_B, row 3 missing
  });
  it('rebuilds scoring rows the same way and maps unseen levels to all-zero', () => {
    const { spec } = inferFeatureSpec(cols, { exclude: ['id'], encoding: 'code' });
    const m = buildFeatureMatrix(spec, { age: ['1'], sex: ['X'], ward: ['B'] });
    expect(Array.from(m.data)).toEqual([1, NaN, 1]);
  });
  it('rejects a non-numeric cell in a numeric column with its row and column', () => {
    const { spec } = inferFeatureSpec(cols, { exclude: ['id'] });
    try {
      buildFeatureMatrix(spec, { age: ['1', 'abc'], sex: ['F', 'M'], ward: ['A', 'A'] });
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({ code: 'HAVEN_ML_FEATURE_NOT_NUMERIC', detail: { column: 'age', row: 1 } });
      expect(String((e as Error).message)).not.toContain('abc');
    }
  });
  it('selects rows in order', () => {
    const { spec } = inferFeatureSpec(cols, { exclude: ['id'] });
    const m = selectRows(buildFeatureMatrix(spec, cols), [2, 0]);
    expect(Array.from(m.data.subarray(0, 2))).toEqual([51.5, 34]);
  });
});
