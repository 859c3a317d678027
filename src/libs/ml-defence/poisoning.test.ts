import { describe, it, expect } from 'vitest';
import { seededRandom, standardNormal } from '../privacy/dp/seeded-random.js';
import { screenDatasetVersion, type DatasetColumns } from './poisoning.js';

type Row = { age: number; sodium: number; bmi: number; ward: string; los: number };

function makeRows(n: number, seed: number): Row[] {
  const r = seededRandom(seed);
  return Array.from({ length: n }, () => {
    const age = 60 + 15 * standardNormal(r);
    return { age, sodium: 138 + 3 * standardNormal(r), bmi: 29 + 4 * standardNormal(r), ward: ['A', 'B', 'C'][Math.floor(r() * 3)]!, los: Math.max(1, Math.round(4 + age / 30 + standardNormal(r))) };
  });
}

function toColumns(rows: readonly Row[]): DatasetColumns {
  return {
    age: rows.map((x) => x.age),
    sodium: rows.map((x) => x.sodium),
    bmi: rows.map((x) => x.bmi),
    ward: rows.map((x) => x.ward),
    los: rows.map((x) => x.los),
  };
}

const OPTS = { numeric: ['age', 'sodium', 'bmi'], categorical: ['ward'], label: { column: 'los', kind: 'numeric' as const } };
const prevRows = makeRows(3000, 1);
const prev = toColumns(prevRows);

describe('poisoning screens', () => {
  it('a fresh sample from the same distribution raises no flag', () => {
    const rep = screenDatasetVersion(prev, toColumns([...prevRows, ...makeRows(1000, 2)]), OPTS);
    expect(rep.flags).toEqual([]);
    expect(rep.rowsNext).toBe(4000);
  });

  it('flags a shifted feature and a shifted label, by name', () => {
    const next = makeRows(3000, 3).map((x) => ({ ...x, sodium: x.sodium - 4, los: x.los + 3 }));
    const rep = screenDatasetVersion(prev, toColumns(next), OPTS);
    const shifted = rep.flags.filter((f) => f.kind === 'distribution_shift').map((f) => f.feature);
    expect(shifted).toEqual(['sodium']);
    const label = rep.flags.find((f) => f.kind === 'label_shift');
    expect(label?.feature).toBe('los');
    expect(label!.stats['psi']).toBeGreaterThan(0.2);
  });

  it('flags a categorical shift', () => {
    const next = makeRows(3000, 4).map((x, i) => ({ ...x, ward: i % 2 === 0 ? 'A' : x.ward }));
    const rep = screenDatasetVersion(prev, toColumns(next), OPTS);
    expect(rep.flags.map((f) => [f.kind, f.feature])).toContainEqual(['distribution_shift', 'ward']);
  });

  it('flags injected exact copies and jittered near-copies', () => {
    const r = seededRandom(5);
    const victim = prevRows.slice(0, 100);
    const exact = toColumns([...makeRows(3000, 6), ...victim, ...victim]);
    expect(screenDatasetVersion(prev, exact, OPTS).flags.map((f) => f.kind)).toContain('exact_duplicates');
    const jitter = victim.flatMap((v) => [0, 1].map(() => ({ ...v, age: v.age + 0.01 * standardNormal(r), sodium: v.sodium + 0.002 * standardNormal(r) })));
    const rep = screenDatasetVersion(prev, toColumns([...makeRows(3000, 7), ...jitter]), OPTS);
    expect(rep.flags.map((f) => f.kind)).not.toContain('exact_duplicates');
    const near = rep.flags.find((f) => f.kind === 'near_duplicates');
    expect(near).toBeDefined();
    expect(near!.stats['nearDuplicateFractionNext']).toBeGreaterThan(0.03);
  });

  it('flags a jump in outliers and never puts row values in flags', () => {
    const next = makeRows(3000, 8);
    for (let i = 0; i < 150; i++) {
      next[i] = { ...next[i]!, bmi: 80 + i * 0.123 };
    }
    const rep = screenDatasetVersion(prev, toColumns(next), OPTS);
    const out = rep.flags.find((f) => f.kind === 'outliers');
    expect(out?.feature).toBe('bmi');
    expect(out!.stats['outlierFractionNext']).toBeGreaterThan(0.04);
    expect(JSON.stringify(rep)).not.toContain('80.123');
  });

  it('flags a jump in missing values', () => {
    const cols = toColumns(makeRows(3000, 9));
    const bmi = [...(cols['bmi'] as number[])].map((v, i) => (i % 5 === 0 ? null : v));
    const rep = screenDatasetVersion(prev, { ...cols, bmi }, OPTS);
    expect(rep.flags.map((f) => [f.kind, f.feature])).toContainEqual(['missingness_shift', 'bmi']);
  });

  it('rejects ragged input with a coded error', () => {
    expect(() => screenDatasetVersion(prev, { ...prev, age: [1, 2] }, OPTS)).toThrowError(/malformed/);
  });
});
