import { describe, expect, it } from 'vitest';
import { DP_LIMITS, parseDpParams, parsePrivacy, resolveDelta } from './training-params.js';

const codeOf = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (err) {
    return { code: (err as { code?: string }).code, detail: (err as { detail?: unknown }).detail };
  }
  return 'no error';
};

describe('privacy parameters of a training request', () => {
  it('accepts ε in (0, 10], δ in (0, 1e-4], and picks the mechanism by ε unless told', () => {
    expect(parsePrivacy({ epsilon: 1 })).toEqual({ epsilon: 1, delta: undefined, mechanism: 'gbdt' });
    expect(parsePrivacy({ epsilon: '0.5' })).toEqual({ epsilon: 0.5, delta: undefined, mechanism: 'linear' });
    expect(parsePrivacy({ epsilon: DP_LIMITS.maxEpsilon, delta: 1e-7, mechanism: 'linear' })).toEqual({ epsilon: 10, delta: 1e-7, mechanism: 'linear' });
  });

  it('refuses ε ≤ 0, NaN, infinite or huge, a bad δ and an unknown mechanism with HAVEN_TRAIN_BAD_PARAM', () => {
    for (const epsilon of [0, -1, NaN, 'NaN', Infinity, 11, 1e9, '', 'one', null, true]) {
      expect(codeOf(() => parsePrivacy({ epsilon }))).toEqual({ code: 'HAVEN_TRAIN_BAD_PARAM', detail: { param: 'privacy.epsilon', reason: 'out_of_range' } });
    }
    for (const delta of [0, -1e-6, 1e-3, 'x', NaN]) {
      expect(codeOf(() => parsePrivacy({ epsilon: 1, delta }))).toEqual({
        code: 'HAVEN_TRAIN_BAD_PARAM',
        detail: { param: 'privacy.delta', reason: 'out_of_range' },
      });
    }
    expect(codeOf(() => parsePrivacy({ epsilon: 1, mechanism: 'magic' }))).toMatchObject({
      code: 'HAVEN_TRAIN_BAD_PARAM',
      detail: { param: 'privacy.mechanism' },
    });
  });

  it('defaults δ to min(1e-6, 1/(10·n)) and refuses a requested δ that is not far below 1/n', () => {
    expect(resolveDelta(undefined, 10_000)).toBe(1e-6);
    expect(resolveDelta(undefined, 10_000_000)).toBeCloseTo(1e-8, 20);
    expect(resolveDelta(1e-5, 10_000)).toBe(1e-5);
    expect(codeOf(() => resolveDelta(1e-4, 10_000))).toMatchObject({ code: 'HAVEN_TRAIN_BAD_PARAM', detail: { param: 'privacy.delta' } });
  });

  it('DP runs take only nRounds, learningRate and (trees) lambda; tree-growing parameters are refused', () => {
    expect(parseDpParams({ nRounds: '50', learningRate: 0.5, lambda: 100 }, 'gbdt')).toEqual({ nRounds: 50, learningRate: 0.5, lambda: 100 });
    expect(codeOf(() => parseDpParams({ maxDepth: 6 }, 'gbdt'))).toEqual({
      code: 'HAVEN_TRAIN_BAD_PARAM',
      detail: { param: 'maxDepth', reason: 'not_with_privacy' },
    });
    expect(codeOf(() => parseDpParams({ earlyStoppingRounds: 5 }, 'gbdt'))).toMatchObject({ detail: { reason: 'not_with_privacy' } });
    expect(codeOf(() => parseDpParams({ lambda: 1 }, 'linear'))).toMatchObject({ detail: { param: 'lambda', reason: 'not_with_privacy' } });
    expect(codeOf(() => parseDpParams({ bogus: 1 }, 'gbdt'))).toMatchObject({ detail: { reason: 'unknown' } });
    expect(codeOf(() => parseDpParams({ nRounds: DP_LIMITS.maxRounds + 1 }, 'gbdt'))).toMatchObject({ detail: { param: 'nRounds', reason: 'out_of_range' } });
  });
});
