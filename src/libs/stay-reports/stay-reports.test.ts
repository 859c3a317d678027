import { describe, expect, it } from 'vitest';
import { FACILITIES, FLAG_COLUMNS } from '../formats/fhir/los-record.js';
import { generateLosRecords } from '../synth/index.js';
import { actualStaySection } from './actual-stay.js';
import { EXACT_FIGURES, PROTECTED_DISCLOSURE } from './disclosure-options.js';
import { dischargedSection, inHospitalSection } from './predicted-stay.js';
import { patientSlices } from './patient-list.js';
import { protectTable } from './protect-table.js';
import { monthsBetween } from './stay-filter.js';
import { toStayRow, type StayRow } from './stay-row.js';

/** Synthetic encounters: the first `discharged` are discharged, the rest still in hospital; predictions = stay + a fixed offset. */
function stays(n: number, discharged: number, seed = 11): StayRow[] {
  return [...generateLosRecords({ rows: n, seed })].map((r, i) => {
    const { lengthofstay } = r;
    const plain = Object.fromEntries(Object.entries(r).filter(([k]) => !['First', 'Middle', 'Last', 'discharged', 'lengthofstay'].includes(k)));
    const predicted = lengthofstay + ((i % 5) - 2) * 0.5;
    return toStayRow({
      id: `enc-${i}`,
      eid: r.eid,
      record: JSON.stringify(plain),
      admittedBy: 'doc',
      lengthOfStay: i < discharged ? lengthofstay : null,
      prediction: {
        status: 'scored',
        predicted,
        intervalLow: predicted - 1,
        intervalHigh: predicted + 1,
        ood: i % 7 === 0,
        oodReasons: i % 7 === 0 ? '[{"feature":"sodium","kind":"below_range"}]' : '[]',
        errorCode: null,
      },
    });
  });
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('stay reports', () => {
  it('parses the stored record: facility, admission month, condition bits and the prediction', () => {
    const [row] = stays(1, 1);
    expect(row!.facility).toMatch(/^[A-E]$/);
    expect(row!.month).toMatch(/^\d{4}-\d{2}$/);
    expect(row!.prediction).toMatchObject({ scored: true, ood: true, oodFeatures: ['sodium'] });
    const broken = toStayRow({ id: 'x', eid: 1, record: '{"facid":"Z","vdate":"13/45/2012"}', admittedBy: 'u', lengthOfStay: 3, prediction: null });
    expect(broken).toMatchObject({ facility: 'unknown', month: null, conditions: 0, prediction: null });
  });

  it('exact figures for row-level roles equal a direct computation', () => {
    const rows = stays(600, 600);
    const { section, recordIds } = actualStaySection(rows, {}, EXACT_FIGURES);
    expect(recordIds).toHaveLength(600);
    expect(section.total.count).toBe(600);
    expect(section.total.mean).toBeCloseTo(mean(rows.map((r) => r.lengthOfStay!)), 2);
    for (const [i, f] of section.facilities.entries()) {
      const mine = rows.filter((r) => r.facility === f);
      expect(section.byFacility[i]!.count).toBe(mine.length);
    }
    expect(section.byMonth.reduce((a, m) => a + m.count!, 0)).toBe(600);
    const asthma = section.byCondition.find((c) => c.condition === 'asthma')!;
    expect(asthma.figure.count).toBe(rows.filter((r) => (r.conditions & (1 << FLAG_COLUMNS.indexOf('asthma'))) !== 0).length);
    expect(section.occupancy.map((o) => o.facility)).toEqual([...FACILITIES]);
  });

  it('protected figures: no published count below the threshold, counts rounded to 5, means to one decimal, margins consistent', () => {
    const rows = stays(300, 300);
    const { section, suppressed } = actualStaySection(rows, {}, PROTECTED_DISCLOSURE);
    const truth = (f: string, m: string): number => rows.filter((r) => r.facility === f && r.month === m).length;
    let hidden = 0;
    section.facilities.forEach((f, i) =>
      section.months.forEach((m, j) => {
        const cell = section.cells[i]![j]!;
        const n = truth(f, m);
        if (n > 0 && n < 10) {
          expect(cell.count, `${f} ${m}`).toBeNull();
        }
        if (cell.count === null) {
          hidden++;
          expect(cell.mean).toBeNull();
        } else {
          expect(cell.count % 5).toBe(0);
          expect(Math.abs(cell.count - n)).toBeLessThanOrEqual(2);
        }
        if (cell.mean !== null) {
          expect(Math.round(cell.mean * 10)).toBeCloseTo(cell.mean * 10, 6);
        }
      }),
    );
    expect(hidden).toBeGreaterThan(0);
    expect(suppressed.primary).toBeGreaterThan(0);
    expect(section.total.count).toBe(300);
  });

  it('a facility and month filter selects exactly its slice', () => {
    const rows = stays(400, 400);
    const month = rows[0]!.month!;
    const { section, recordIds } = actualStaySection(rows, { facility: 'A', from: month, to: month }, EXACT_FIGURES);
    const expected = rows.filter((r) => r.facility === 'A' && r.month === month).map((r) => r.id);
    expect([...recordIds].sort()).toEqual(expected.sort());
    expect(section.facilities).toEqual(['A']);
    expect(section.months).toEqual([month]);
    expect(section.occupancy).toHaveLength(1);
  });

  it('an empty slice gives zero counts and no means, not an error', () => {
    const { section, recordIds } = actualStaySection([], { facility: 'C' }, PROTECTED_DISCLOSURE);
    expect(recordIds).toEqual([]);
    expect(section).toMatchObject({ months: [], total: { count: 0, mean: null }, periodDays: 0 });
  });

  it('protects a one-dimensional table: small cells hidden with a complement, dominated cells hidden', () => {
    const cells = [
      { count: 20, measures: [new Array<number>(20).fill(3)] },
      { count: 4, measures: [[2, 2, 3, 4]] },
      { count: 30, measures: [new Array<number>(30).fill(5)] },
      { count: 12, measures: [[100, ...new Array<number>(11).fill(1)]] },
    ];
    const t = protectTable(cells, PROTECTED_DISCLOSURE);
    expect(t.cells[1]!.count).toBeNull();
    expect(t.cells[3]!.count).toBeNull();
    // The total is published, so one hidden cell alone could be recomputed: at least two are hidden.
    expect(t.total.count).toBe(65);
    expect(t.cells.filter((c) => c.count === null).length).toBeGreaterThanOrEqual(2);
    expect(t.cells[2]).toEqual({ count: 30, means: [5] });
  });

  it('predicted stay: patients in hospital by facility and predicted day; predicted against actual after discharge', () => {
    const rows = stays(500, 350);
    const inH = inHospitalSection(rows, {}, EXACT_FIGURES);
    expect(inH.recordIds).toHaveLength(150);
    expect(inH.section.patients.count).toBe(150);
    expect(inH.section.predictedDays.reduce((a, d) => a + d.count!, 0)).toBe(150);
    expect(inH.section.outOfDistribution).toBe(rows.slice(350).filter((r) => r.prediction!.ood).length);
    const dis = dischargedSection(rows, {}, EXACT_FIGURES);
    expect(dis.recordIds).toHaveLength(350);
    expect(dis.section.total.count).toBe(350);
    expect(dis.section.total.meanAbsoluteError).toBeCloseTo(mean(rows.slice(0, 350).map((r) => Math.abs(r.prediction!.predicted! - r.lengthOfStay!))), 2);
    expect(dis.section.errors.reduce((a, e) => a + e.count!, 0)).toBe(350);
    const prot = inHospitalSection(rows, { facility: 'C' }, PROTECTED_DISCLOSURE);
    expect(prot.section.facilities).toEqual(['C']);
    for (const d of prot.section.predictedDays) {
      expect(d.count === null || d.count % 5 === 0).toBe(true);
    }
  });

  it('lists patients newest admission first, cut at the limit', () => {
    const rows = stays(50, 20);
    const list = patientSlices(rows, {}, 10);
    expect(list.inHospital).toHaveLength(10);
    expect(list.discharged).toHaveLength(10);
    expect(list.truncated).toBe(true);
    const days = list.inHospital.map((r) => r.vdate.split('/').map(Number)).map(([m, d, y]) => y! * 10000 + m! * 100 + d!);
    expect([...days].sort((a, b) => b - a)).toEqual(days);
  });

  it('lists the months of a period across a year end', () => {
    expect(monthsBetween('2012-11', '2013-02')).toEqual(['2012-11', '2012-12', '2013-01', '2013-02']);
    expect(monthsBetween('2013-02', '2012-11')).toEqual([]);
  });
});
