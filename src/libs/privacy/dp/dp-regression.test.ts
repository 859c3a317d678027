import { describe, it, expect } from 'vitest';
import { predictLinear, trainDpRegression } from './dp-regression.js';
import { createAccountant, spend, spentEpsilon } from './privacy-accountant.js';
import { seededRandom, standardNormal } from './seeded-random.js';

function linearData(n: number, seed: number): { x: number[][]; y: number[] } {
  const r = seededRandom(seed);
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = [r() * 2 - 1, r() * 2 - 1, r() * 2 - 1];
    x.push(row);
    y.push(0.5 * row[0]! - 0.3 * row[1]! + 0.2 * row[2]! + 0.1 + 0.05 * standardNormal(r));
  }
  return { x, y };
}

function r2(model: Parameters<typeof predictLinear>[0], x: number[][], y: number[]): number {
  const mean = y.reduce((a, b) => a + b, 0) / y.length;
  let ss = 0;
  let st = 0;
  x.forEach((row, i) => {
    ss += (predictLinear(model, row) - y[i]!) ** 2;
    st += (y[i]! - mean) ** 2;
  });
  return 1 - ss / st;
}

describe('DP regression', () => {
  it('linear model learns the signal at ε = 1 and the cost is charged to the accountant', () => {
    const tr = linearData(3000, 1);
    const te = linearData(1000, 2);
    const m = trainDpRegression(tr.x, tr.y, { loss: 'squared', epsilon: 1, delta: 1e-6, steps: 60 }, seededRandom(3));
    expect(r2(m, te.x, te.y)).toBeGreaterThan(0.8);
    let acc = createAccountant({ epsilon: 1, delta: 1e-6 });
    acc = spend(acc, m.cost, 'train');
    expect(spentEpsilon(acc)).toBeCloseTo(1, 9);
    expect(() => spend(acc, { kind: 'pure', epsilon: 0.01 }, 'more')).toThrowError();
  });
  it('tiny ε on a small dataset destroys the signal (noise really is added)', () => {
    const tr = linearData(200, 4);
    const te = linearData(1000, 5);
    const m = trainDpRegression(tr.x, tr.y, { loss: 'squared', epsilon: 0.01, delta: 1e-6, steps: 60 }, seededRandom(6));
    expect(r2(m, te.x, te.y)).toBeLessThan(0.5);
  });
  it('logistic model classifies a separable problem at ε = 1', () => {
    const r = seededRandom(7);
    const x: number[][] = [];
    const y: number[] = [];
    for (let i = 0; i < 3000; i++) {
      const row = [r() * 2 - 1, r() * 2 - 1];
      x.push(row);
      y.push(row[0]! + row[1]! > 0 ? 1 : 0);
    }
    const m = trainDpRegression(x, y, { loss: 'logistic', epsilon: 1, delta: 1e-6, steps: 80, learningRate: 2 }, seededRandom(8));
    const acc = x.filter((row, i) => (predictLinear(m, row) > 0.5 ? 1 : 0) === y[i]).length / x.length;
    expect(acc).toBeGreaterThan(0.9);
  });
});
