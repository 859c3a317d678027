import { describe, it, expect } from 'vitest';
import { seededRandom, standardNormal } from '../privacy/dp/seeded-random.js';
import { fitRidge, predictLinearFit } from './linalg.js';
import { liraAttack, lossesFromModel, lossThresholdAttack, type LabelledRows, type Predict, type Train } from './membership-inference.js';
import { checkLeafCoverage, releaseGate } from './release-gate.js';

function linearData(n: number, seed: number): LabelledRows {
  const r = seededRandom(seed);
  const rows: number[][] = [];
  const targets: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = [r(), r(), r(), r()];
    rows.push(x);
    targets.push(2 * x[0]! - x[1]! + 0.5 * x[2]! + 3 + standardNormal(r));
  }
  return { rows, targets };
}

/** A "model" that memorises its training rows: the 1-nearest-neighbour regressor. */
const trainOneNn: Train = (rows, targets) => (x) => {
  let best = 0;
  let bestD = Infinity;
  rows.forEach((r, i) => {
    let d = 0;
    for (let j = 0; j < r.length; j++) {
      d += (r[j]! - x[j]!) ** 2;
    }
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  });
  return targets[best]!;
};

const trainRidge: Train = (rows, targets) => {
  const fit = fitRidge(rows, targets, 1);
  return (x) => predictLinearFit(fit, x);
};

const members = linearData(200, 1);
const nonMembers = linearData(200, 2);

describe('loss-threshold attack', () => {
  it('hand-computed: perfectly separated losses give AUC 1 and TPR 1', () => {
    const r = lossThresholdAttack([0, 0.1, 0.2], [1, 2, 3]);
    expect(r.auc).toBe(1);
    expect(r.tprAt1pctFpr).toBe(1);
    const s = lossThresholdAttack([1, 2], [1, 2]);
    expect(s.auc).toBe(0.5);
  });

  it('a memorising 1-NN model is exposed (AUC > 0.8) and refused by the gate', () => {
    const model: Predict = trainOneNn(members.rows, members.targets, 0);
    const r = lossThresholdAttack(lossesFromModel(model, members), lossesFromModel(model, nonMembers));
    expect(r.auc).toBeGreaterThan(0.8);
    const gate = releaseGate({ attacks: [r] });
    expect(gate.release).toBe(false);
    expect(gate.reasons.map((x) => x.code)).toContain('mia_auc_too_high');
  });

  it('a regularised ridge model on a linear target is near 0.5 and passes the gate', () => {
    const model: Predict = trainRidge(members.rows, members.targets, 0);
    const r = lossThresholdAttack(lossesFromModel(model, members), lossesFromModel(model, nonMembers));
    expect(Math.abs(r.auc - 0.5)).toBeLessThan(0.07);
    expect(releaseGate({ attacks: [r] })).toEqual({ release: true, reasons: [] });
  });
});

describe('LiRA shadow-model attack', () => {
  it('exposes the 1-NN model with high AUC and high TPR at low FPR', () => {
    const r = liraAttack({ targetPredict: trainOneNn(members.rows, members.targets, 0), train: trainOneNn, members, nonMembers, shadows: 8, seed: 3 });
    expect(r.variance).toBe('global');
    expect(r.auc).toBeGreaterThan(0.8);
    expect(r.tprAt1pctFpr).toBeGreaterThan(0.3);
    expect(releaseGate({ attacks: [r] }).release).toBe(false);
  });
  it('finds little on ridge (AUC near 0.5), per-example variances with K = 16', () => {
    const r = liraAttack({ targetPredict: trainRidge(members.rows, members.targets, 0), train: trainRidge, members, nonMembers, shadows: 16, seed: 4 });
    expect(r.variance).toBe('per_example');
    expect(Math.abs(r.auc - 0.5)).toBeLessThan(0.1);
  });
  it('is deterministic in the seed', () => {
    const a = liraAttack({ targetPredict: trainRidge(members.rows, members.targets, 0), train: trainRidge, members, nonMembers, shadows: 4, seed: 9 });
    const b = liraAttack({ targetPredict: trainRidge(members.rows, members.targets, 0), train: trainRidge, members, nonMembers, shadows: 4, seed: 9 });
    expect(a).toEqual(b);
  });
});

describe('release gate and leaf coverage', () => {
  it('flags leaves under 5 samples', () => {
    const c = checkLeafCoverage([[10, 7, 5], [12, 3, 9, 1]]);
    expect(c).toEqual({ ok: false, minSamples: 5, smallestLeaf: 1, violations: 2, treesWithViolations: [1] });
    expect(checkLeafCoverage([[5, 6]]).ok).toBe(true);
    const gate = releaseGate({ attacks: [lossThresholdAttack(new Array(100).fill(1), new Array(100).fill(1))], leafCoverage: c });
    expect(gate.release).toBe(false);
    expect(gate.reasons).toEqual([{ code: 'leaf_too_small', value: 1, limit: 5 }]);
  });
  it('refuses when no attack ran or the audit is too small', () => {
    expect(releaseGate({ attacks: [] }).reasons[0]!.code).toBe('no_attack_run');
    expect(releaseGate({ attacks: [lossThresholdAttack([1, 2], [1, 2])] }).reasons[0]!.code).toBe('audit_too_small');
  });
});
