import { describe, expect, it } from 'vitest';
import { trainGbdt } from './gbdt.js';
import { validateModel } from './gbdt-model.js';
import { stepData } from './test-helpers.js';

const invalid = (path: string): Error => expect.objectContaining({ code: 'HAVEN_ML_MODEL_INVALID', detail: { path } }) as Error;

describe('validateModel', () => {
  const { m, y } = stepData(500, 3);
  const json = JSON.stringify(trainGbdt(m, y, { nRounds: 5, maxDepth: 3 }));
  const fresh = (): Record<string, unknown> => JSON.parse(json) as Record<string, unknown>;

  it('accepts a serialised model', () => {
    expect(validateModel(fresh()).trees).toHaveLength(5);
  });
  it('rejects a truncated JSON model', () => {
    const cut = json.slice(0, Math.floor(json.length / 2));
    let parsed: unknown = null;
    try {
      parsed = JSON.parse(cut);
    } catch {
      parsed = { format: 'haven-gbdt' };
    }
    expect(() => validateModel(parsed)).toThrowError(expect.objectContaining({ code: 'HAVEN_ML_MODEL_INVALID' }) as Error);
  });
  it('rejects foreign objects', () => {
    expect(() => validateModel(null)).toThrowError(invalid('$'));
    expect(() => validateModel({ format: 'xgboost' })).toThrowError(invalid('format'));
    expect(() => validateModel([1, 2])).toThrowError(invalid('$'));
  });
  it('names the first bad field', () => {
    const a = fresh();
    (a.trees as { value: unknown[] }[])[2]!.value[0] = 'x';
    expect(() => validateModel(a)).toThrowError(invalid('trees[2].value[0]'));
    const b = fresh();
    (b.trees as { left: number[] }[])[0]!.left[0] = 0; // self-loop
    expect(() => validateModel(b)).toThrowError(invalid('trees[0].left[0]'));
    const c = fresh();
    (c.trees as { feature: number[] }[])[1]!.feature[0] = 99;
    expect(() => validateModel(c)).toThrowError(invalid('trees[1].feature[0]'));
    const d = fresh();
    (d.trees as { threshold: number[] }[])[0]!.threshold.pop();
    expect(() => validateModel(d)).toThrowError(invalid('trees[0].threshold'));
    const e = fresh();
    e.objective = 'poisson';
    expect(() => validateModel(e)).toThrowError(invalid('objective'));
  });
});
