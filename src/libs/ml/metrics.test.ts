import { describe, expect, it } from 'vitest';
import { auc, calibrationBins, logLoss, losDayAccuracy, mae, r2, rae, regressionReport, rmse, rse } from './metrics.js';

describe('regression metrics', () => {
  const y = [1, 2, 3, 4];
  const p = [1.5, 2, 2, 5];
  it('match hand-computed values', () => {
    // errors 0.5, 0, -1, 1 ; mean y = 2.5 ; SST = 2.25+0.25+0.25+2.25 = 5 ; SAD = 1.5+0.5+0.5+1.5 = 4
    expect(mae(y, p)).toBeCloseTo(2.5 / 4, 12);
    expect(rmse(y, p)).toBeCloseTo(Math.sqrt(2.25 / 4), 12);
    expect(rse(y, p)).toBeCloseTo(2.25 / 5, 12);
    expect(r2(y, p)).toBeCloseTo(1 - 2.25 / 5, 12);
    expect(rae(y, p)).toBeCloseTo(2.5 / 4, 12);
    expect(regressionReport(y, p).rmse).toBe(rmse(y, p));
  });
  it('perfect predictions give zero error and R² 1', () => {
    expect(rmse(y, y)).toBe(0);
    expect(r2(y, y)).toBe(1);
  });
  it('rejects mismatched lengths with a code', () => {
    expect(() => rmse([1, 2], [1])).toThrowError(expect.objectContaining({ code: 'HAVEN_ML_SHAPE_MISMATCH' }) as Error);
  });
});

describe('classification metrics', () => {
  it('AUC counts ordered pairs with ties as one half', () => {
    // pairs (pos, neg): (0.8,0.1) win, (0.8,0.4) win, (0.4,0.1) win, (0.4,0.4) tie → 3.5 / 4
    expect(auc([1, 0, 1, 0], [0.8, 0.1, 0.4, 0.4])).toBeCloseTo(3.5 / 4, 12);
    expect(auc([1, 1, 0, 0], [0.9, 0.8, 0.2, 0.1])).toBe(1);
    expect(auc([1, 1], [0.9, 0.8])).toBeNaN();
  });
  it('log-loss matches the definition', () => {
    expect(logLoss([1, 0], [0.8, 0.3])).toBeCloseTo(-(Math.log(0.8) + Math.log(0.7)) / 2, 12);
  });
  it('calibration bins group probabilities and report observed rates', () => {
    const bins = calibrationBins([0, 1, 1, 1], [0.05, 0.15, 0.95, 1], 10);
    expect(bins).toHaveLength(3);
    expect(bins[0]).toMatchObject({ lo: 0, count: 1, observedRate: 0 });
    expect(bins[2]).toMatchObject({ count: 2, observedRate: 1 });
    expect(bins[2]!.meanPredicted).toBeCloseTo(0.975, 12);
  });
});

describe('losDayAccuracy', () => {
  it('rounds half up and floors at day 1 like the peer script', () => {
    // days: 2 (1.5 rounds up), 1 (0.2 floors to 1), 3 (2.49 → 2? no: floor(2.99) = 2) → see below
    const r = losDayAccuracy([2, 1, 4, 6], [1.5, 0.2, 2.49, 6.6]);
    // 1.5 → 2 exact; 0.2 → max(1, 0) = 1 exact; 2.49 → 2 (off by 2); 6.6 → 7 (off by 1)
    expect(r.exact).toBe(0.5);
    expect(r.within1).toBe(0.75);
  });
});
