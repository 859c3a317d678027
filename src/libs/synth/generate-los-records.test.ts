 
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HavenError } from '../../errors/haven-error.js';
import { LOS_COLUMNS, FLAG_COLUMNS } from '../formats/fhir/los-record.js';
import { parseMdy, toEpochDay } from '../formats/fhir/los-date.js';
import { PII_COLUMNS } from './fake-pii.js';
import { generateLosRecords } from './generate-los-records.js';

/** The real sample, read in the test only (the generator itself never reads it). */
function realSample(): { header: string[]; rows: Record<string, string>[] } {
  const lines = readFileSync(resolve(process.cwd(), '../shared/data/los-10k.csv'), 'utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/);
  const header = lines[0]!.split(',');
  return { header, rows: lines.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, i) => [header[i]!, v]))) };
}

function stats(values: number[]): { mean: number; sd: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1));
  return { mean, sd };
}

describe('generateLosRecords', () => {
  const real = realSample();
  const synth = [...generateLosRecords({ rows: 10_000, seed: 20120101 })];

  it('has the sample file\'s 31 columns in its order', () => {
    expect(LOS_COLUMNS).toEqual(real.header);
    expect(Object.keys(synth[0]!).sort()).toEqual([...real.header].sort());
  });

  it('matches the real sample\'s means and sds of the key labs and lengthofstay', () => {
    const cols = ['hematocrit', 'neutrophils', 'sodium', 'glucose', 'bloodureanitro', 'creatinine', 'bmi', 'pulse', 'respiration', 'lengthofstay'] as const;
    for (const c of cols) {
      const r = stats(real.rows.map((row) => Number(row[c])));
      const s = stats(synth.map((row) => row[c]));
      // Means within 0.1 real sd; sds within 20 % (neutrophils and BUN sds are driven by a handful of extreme rows).
      expect(Math.abs(s.mean - r.mean), `${c} mean ${s.mean} vs ${r.mean}`).toBeLessThan(0.1 * r.sd);
      expect(Math.abs(s.sd - r.sd) / r.sd, `${c} sd ${s.sd} vs ${r.sd}`).toBeLessThan(0.2);
    }
    const rl = stats(real.rows.map((row) => Number(row['lengthofstay'])));
    const sl = stats(synth.map((row) => row.lengthofstay));
    expect(Math.abs(sl.mean - rl.mean)).toBeLessThan(0.1);
  });

  it('matches category frequencies and the "no condition" share', () => {
    const share = (rows: readonly Record<string, unknown>[], f: (r: Record<string, unknown>) => boolean): number => rows.filter(f).length / rows.length;
    const synthRows = synth as unknown as Record<string, unknown>[];
    for (const rc of ['0', '1', '5+']) {
      expect(Math.abs(share(synthRows, (r) => r['rcount'] === rc) - share(real.rows, (r) => r['rcount'] === rc))).toBeLessThan(0.02);
    }
    const noFlag = (r: Record<string, unknown>): boolean => FLAG_COLUMNS.every((f) => Number(r[f]) === 0);
    expect(Math.abs(share(synthRows, noFlag) - share(real.rows, noFlag))).toBeLessThan(0.03);
  });

  it('writes values in the sample\'s formats', () => {
    for (const r of synth.slice(0, 500)) {
      expect(r.vdate).toMatch(/^\d{1,2}\/\d{1,2}\/2012$/);
      expect(['0', '1', '2', '3', '4', '5+']).toContain(r.rcount);
      expect(['F', 'M']).toContain(r.gender);
      expect(['A', 'B', 'C', 'D', 'E']).toContain(r.facid);
      expect(Number.isInteger(r.pulse) && Number.isInteger(r.bloodureanitro)).toBe(true);
      expect(Math.round(r.hematocrit * 10) / 10).toBe(r.hematocrit);
      expect(r.First).toMatch(/^First[A-Z]$/);
      expect(r.Last).toMatch(/^LAST[A-Z]{7}$/);
      expect(toEpochDay(parseMdy(r.discharged)!) - toEpochDay(parseMdy(r.vdate)!)).toBe(r.lengthofstay);
    }
  });

  it('is deterministic, prefix-stable and seed-sensitive', () => {
    const again = [...generateLosRecords({ rows: 200, seed: 20120101 })];
    expect(again).toEqual(synth.slice(0, 200));
    const other = [...generateLosRecords({ rows: 200, seed: 7 })];
    expect(other).not.toEqual(again);
    expect([...generateLosRecords({ rows: 3, seed: 1, startEid: 42 })].map((r) => r.eid)).toEqual([42, 43, 44]);
  });

  it('adds PII columns without changing the others', () => {
    const pii = [...generateLosRecords({ rows: 50, seed: 20120101, withPii: true })];
    pii.forEach((r, i) => {
      const rest = Object.fromEntries(Object.entries(r).filter(([k]) => !(PII_COLUMNS as readonly string[]).includes(k)));
      expect(Object.keys(r)).toHaveLength(Object.keys(rest).length + PII_COLUMNS.length);
      expect(rest).toEqual(synth[i]);
    });
  });

  it('rejects bad options with a coded error', () => {
    for (const o of [{ rows: -1, seed: 1 }, { rows: 1.5, seed: 1 }, { rows: 1, seed: Number.NaN }, { rows: 1, seed: 1, startEid: 0 }]) {
      expect(() => generateLosRecords(o)).toThrow(HavenError);
    }
  });
});
