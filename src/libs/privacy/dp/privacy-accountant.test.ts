import { describe, it, expect } from 'vitest';
import { HavenError } from '../../../errors/haven-error.js';
import { zcdpToEpsilon } from './mechanisms.js';
import { canSpend, createAccountant, remainingEpsilon, spend, spentEpsilon } from './privacy-accountant.js';

describe('privacy accountant', () => {
  it('adds pure epsilons (basic composition) and refuses past the budget', () => {
    let s = createAccountant({ epsilon: 1, delta: 0 });
    s = spend(s, { kind: 'pure', epsilon: 0.4 }, 'q1');
    s = spend(s, { kind: 'pure', epsilon: 0.4 }, 'q2');
    expect(spentEpsilon(s)).toBeCloseTo(0.8, 12);
    expect(remainingEpsilon(s)).toBeCloseTo(0.2, 12);
    expect(canSpend(s, { kind: 'pure', epsilon: 0.3 })).toBe(false);
    let err: unknown;
    try {
      spend(s, { kind: 'pure', epsilon: 0.3 }, 'q3');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(HavenError);
    expect((err as HavenError).code).toBe('HAVEN_PRIVACY_BUDGET_EXHAUSTED');
    expect(s.entries.map((e) => e.label)).toEqual(['q1', 'q2']);
  });

  it('spends a budget split into ten equal parts exactly', () => {
    let s = createAccountant({ epsilon: 1, delta: 0 });
    for (let i = 0; i < 10; i++) {
      s = spend(s, { kind: 'pure', epsilon: 0.1 }, `q${i}`);
    }
    expect(() => spend(s, { kind: 'pure', epsilon: 0.01 }, 'extra')).toThrowError(HavenError);
  });

  it('refuses Gaussian (zCDP) releases when delta is 0', () => {
    const s = createAccountant({ epsilon: 10, delta: 0 });
    expect(canSpend(s, { kind: 'zcdp', rho: 0.001 })).toBe(false);
  });

  it('composes Gaussian releases in zCDP and converts once', () => {
    let s = createAccountant({ epsilon: 2, delta: 1e-6 });
    s = spend(s, { kind: 'zcdp', rho: 0.01 }, 'g1');
    s = spend(s, { kind: 'zcdp', rho: 0.02 }, 'g2');
    expect(spentEpsilon(s)).toBeCloseTo(zcdpToEpsilon(0.03, 1e-6), 12);
    // Composing in zCDP is tighter than adding the two converted epsilons.
    expect(spentEpsilon(s)).toBeLessThan(zcdpToEpsilon(0.01, 1e-6) + zcdpToEpsilon(0.02, 1e-6));
  });

  it('uses the all-zCDP bound when it beats basic composition for many small pure releases', () => {
    let s = createAccountant({ epsilon: 100, delta: 1e-6 });
    for (let i = 0; i < 400; i++) {
      s = spend(s, { kind: 'pure', epsilon: 0.01 }, `q${i}`);
    }
    const basic = 400 * 0.01;
    const zc = zcdpToEpsilon((400 * 0.01 * 0.01) / 2, 1e-6);
    expect(zc).toBeLessThan(basic);
    expect(spentEpsilon(s)).toBeCloseTo(zc, 9);
  });

  it('state is plain JSON that round-trips', () => {
    let s = createAccountant({ epsilon: 1, delta: 1e-5 });
    s = spend(s, { kind: 'pure', epsilon: 0.2 }, 'q');
    const back = JSON.parse(JSON.stringify(s)) as typeof s;
    expect(spentEpsilon(back)).toBe(spentEpsilon(s));
  });

  it('rejects invalid budgets and costs', () => {
    expect(() => createAccountant({ epsilon: 0, delta: 0 })).toThrowError(HavenError);
    expect(() => canSpend(createAccountant({ epsilon: 1, delta: 0 }), { kind: 'pure', epsilon: -1 })).toThrowError(HavenError);
  });
});
