import { describe, it, expect } from 'vitest';
import { HavenError } from '../../errors/haven-error.js';
import { rocAuc, tprAtFpr } from './roc.js';

describe('ROC AUC', () => {
  it('matches hand-computed pair counts', () => {
    // members 3,4,5 vs non-members 1,2,4: pairs won = (3>1,3>2)+(4>1,4>2,4=4 → ½)+(5>1,5>2,5>4) = 2+2.5+3 = 7.5 of 9
    expect(rocAuc([3, 4, 5], [1, 2, 4])).toBeCloseTo(7.5 / 9, 12);
    expect(rocAuc([10, 11], [1, 2])).toBe(1);
    expect(rocAuc([1, 2], [10, 11])).toBe(0);
    expect(rocAuc([1, 1], [1, 1, 1])).toBe(0.5);
  });
  it('rejects empty input', () => {
    expect(() => rocAuc([], [1])).toThrowError(HavenError);
  });
});

describe('TPR at low FPR', () => {
  it('hand-computed: 10 non-members, FPR 10 % allows one false positive', () => {
    const neg = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const pos = [9.5, 10.5, 11, 3];
    // threshold = 2nd-highest negative = 9; members above 9: 9.5, 10.5, 11 → 3/4
    expect(tprAtFpr(pos, neg, 0.1)).toBe(0.75);
    // FPR 0 (also 1 % with only 10 negatives): threshold 10 → 10.5, 11 → 2/4
    expect(tprAtFpr(pos, neg, 0.01)).toBe(0.5);
    expect(tprAtFpr(pos, neg, 0)).toBe(0.5);
  });
  it('ties at the threshold never count', () => {
    expect(tprAtFpr([5, 5, 6], [5, 1, 1, 1, 1, 1, 1, 1, 1, 1], 0.05)).toBeCloseTo(1 / 3, 12);
  });
});
