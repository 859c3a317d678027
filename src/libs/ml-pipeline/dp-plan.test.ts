import { describe, expect, it } from 'vitest';
import { epsilonToZcdp } from '../privacy/dp/mechanisms.js';
import { createAccountant, spend } from '../privacy/dp/privacy-accountant.js';
import { MARGINAL_SHARE, planDpGbdt, planDpLinear } from './dp-plan.js';

describe('DP training plans', () => {
  it('DP-GBDT: marginals take their share of ρ, the trees get the largest ε per tree that keeps the total within ε', () => {
    for (const [epsilon, trees] of [
      [0.5, 10],
      [1, 100],
      [4, 100],
      [10, 1000],
    ] as const) {
      const plan = planDpGbdt(epsilon, 1e-6, trees);
      expect(plan.costs).toHaveLength(trees + 1);
      expect(plan.rhoMarginals).toBeCloseTo(MARGINAL_SHARE * epsilonToZcdp(epsilon, 1e-6), 12);
      expect(plan.spentEpsilon).toBeLessThanOrEqual(epsilon * (1 + 1e-9));
      expect(plan.spentEpsilon).toBeGreaterThan(epsilon * 0.999);
      // Maximal: one more tree at the same ε does not fit.
      let acc = createAccountant({ epsilon, delta: 1e-6 });
      for (const c of plan.costs) {
        acc = spend(acc, c.cost, c.label);
      }
      expect(() => spend(acc, { kind: 'pure', epsilon: plan.epsilonPerTree }, 'one-more')).toThrow(
        expect.objectContaining({ code: 'HAVEN_PRIVACY_BUDGET_EXHAUSTED' }),
      );
    }
  });

  it('many trees are cheaper each under zCDP than under basic composition (ε/T)', () => {
    const plan = planDpGbdt(1, 1e-6, 100);
    expect(plan.epsilonPerTree).toBeGreaterThan(1 / 100);
  });

  it('DP linear: marginals and descent split one zCDP budget that converts back to ε', () => {
    const plan = planDpLinear(2, 1e-6);
    expect(plan.rhoMarginals + plan.rhoDescent).toBeCloseTo(epsilonToZcdp(2, 1e-6), 12);
    expect(plan.spentEpsilon).toBeCloseTo(2, 9);
    expect(plan.costs.map((c) => c.label)).toEqual(['marginals', 'descent']);
  });

  it('refuses nonsense targets', () => {
    for (const [e, d, t] of [
      [0, 1e-6, 10],
      [-1, 1e-6, 10],
      [NaN, 1e-6, 10],
      [Infinity, 1e-6, 10],
      [1, 0, 10],
      [1, 1, 10],
      [1, 1e-6, 0],
      [1, 1e-6, 2.5],
    ] as const) {
      expect(() => planDpGbdt(e, d, t)).toThrow(expect.objectContaining({ code: 'HAVEN_PRIVACY_INVALID_PARAMETER' }));
    }
    expect(() => planDpLinear(1, 0)).toThrow(expect.objectContaining({ code: 'HAVEN_PRIVACY_INVALID_PARAMETER' }));
  });
});
