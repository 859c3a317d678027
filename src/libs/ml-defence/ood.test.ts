import { describe, it, expect } from 'vitest';
// The real sample is loaded through Vite's ?raw import: the lint rule keeps node:fs out of libs, tests included.
import losCsv from '../../../../shared/data/los-10k.csv?raw';
import { HavenError } from '../../errors/haven-error.js';
import { seededRandom, standardNormal } from '../privacy/dp/seeded-random.js';
import { fitOodProfile, scoreOod, scoreOodRecord, type OodProfile } from './ood.js';

const FEATURES = [
  'dialysisrenalendstage', 'asthma', 'irondef', 'pneum', 'substancedependence', 'psychologicaldisordermajor',
  'depress', 'psychother', 'fibrosisandother', 'malnutrition', 'hemo', 'hematocrit', 'neutrophils', 'sodium',
  'glucose', 'bloodureanitro', 'creatinine', 'bmi', 'pulse', 'respiration', 'secondarydiagnosisnonicd9',
];

function loadLos(): number[][] {
  const [header, ...lines] = losCsv.trim().split(/\r?\n/);
  const cols = header!.split(',');
  const idx = FEATURES.map((f) => cols.indexOf(f));
  expect(idx.every((i) => i >= 0)).toBe(true);
  return lines.map((l) => {
    const cells = l.split(',');
    return idx.map((i) => Number(cells[i]));
  });
}

describe('OOD on the real LOS sample', () => {
  const rows = loadLos();
  const train = rows.slice(0, 8000);
  const held = rows.slice(8000);
  const profile = fitOodProfile(FEATURES, train);
  const sodium = FEATURES.indexOf('sodium');

  it('flags the reference demo sodium values 5.9–14.9 mmol/L as below range, naming only the feature', () => {
    for (let k = 0; k < 10; k++) {
      const value = 5.9 + k;
      const row = [...held[k]!];
      row[sodium] = value;
      const r = scoreOod(profile, row);
      expect(r.ood).toBe(true);
      expect(r.reasons).toContainEqual({ feature: 'sodium', kind: 'below_range' });
      expect(r.reasons.some((x) => x.kind === 'multivariate')).toBe(true);
      expect(JSON.stringify(r.reasons)).not.toContain(String(value));
    }
    expect(scoreOod(profile, [...held[0]!].map((v, j) => (j === sodium ? 14.9 : v))).reasons[0]).toEqual({ feature: 'sodium', kind: 'below_range' });
  });

  it('flags fewer than 2 % of in-distribution held-out rows', () => {
    const flagged = held.filter((r) => scoreOod(profile, r).ood).length;
    expect(flagged / held.length).toBeLessThan(0.02);
  });

  it('the profile survives a JSON round trip', () => {
    const back = JSON.parse(JSON.stringify(profile)) as OodProfile;
    expect(scoreOod(back, held[3]!)).toEqual(scoreOod(profile, held[3]!));
  });

  it('names missing values as not finite', () => {
    const rec = Object.fromEntries(FEATURES.map((f, j) => [f, held[5]![j]!]));
    delete rec['bmi'];
    expect(scoreOodRecord(profile, rec).reasons).toContainEqual({ feature: 'bmi', kind: 'not_finite' });
  });
});

describe('OOD on synthetic data', () => {
  it('range bands: values seen in training are never flagged, far values are', () => {
    const r = seededRandom(1);
    const rows = Array.from({ length: 2000 }, () => [standardNormal(r), 10 + 2 * standardNormal(r)]);
    const p = fitOodProfile(['a', 'b'], rows);
    for (const row of rows) {
      expect(scoreOod(p, row).reasons.filter((x) => x.kind !== 'multivariate')).toEqual([]);
    }
    expect(scoreOod(p, [0, 40]).reasons).toContainEqual({ feature: 'b', kind: 'above_range' });
    expect(scoreOod(p, [-9, 10]).reasons).toContainEqual({ feature: 'a', kind: 'below_range' });
  });
  it('multivariate check catches broken correlation', () => {
    const r = seededRandom(2);
    const rows = Array.from({ length: 3000 }, () => {
      const x = standardNormal(r);
      return [x, x + 0.1 * standardNormal(r)];
    });
    const p = fitOodProfile(['x', 'y'], rows);
    expect(scoreOod(p, [1.5, 1.5]).ood).toBe(false);
    const broken = scoreOod(p, [1.5, -1.5]);
    expect(broken.reasons).toEqual([{ feature: null, kind: 'multivariate' }]);
    expect(broken.score).toBeGreaterThan(1);
  });
  it('refuses too little data with a coded error', () => {
    expect(() => fitOodProfile(['a'], [[1], [2]])).toThrowError(HavenError);
  });
});
