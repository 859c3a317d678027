import { describe, expect, it } from 'vitest';
import type { ColumnReport } from '../../libs/privacy/deidentify/index.js';
import type { DeidExportReport } from './deidentified-export.js';
import { decodeDeidReport, encodeDeidCounts, encodeDeidPlan } from './deidentified-export-wire.js';

/** A report of `n` columns: every third dropped, every third generalised to ZIP3, the rest kept. */
function reportOf(n: number): DeidExportReport {
  const names = Array.from({ length: n }, (_, i) => `column_with_a_long_name_${i}`);
  const action = (i: number) => (['drop', 'zip3', 'keep'] as const)[i % 3]!;
  const perColumn: ColumnReport[] = names.map((column, i) => ({
    column,
    label: i % 3 === 2 ? 'sensitive' : 'direct_identifier',
    kind: i % 3 === 2 ? null : i % 3 === 0 ? 'name' : 'zip',
    action: action(i),
    rows: 50,
    changed: i % 3 === 2 ? 0 : 50,
    suppressed: i % 3 === 1 ? 2 : 0,
    topCoded: 0,
    restrictedZip: i % 3 === 1 ? 3 : 0,
  }));
  return {
    dataset: 'd',
    version: 1,
    dates: 'year',
    referenceYear: 2026,
    patientColumn: null,
    maxShiftDays: null,
    columns: names.filter((_, i) => action(i) !== 'drop'),
    dropped: names.filter((_, i) => action(i) === 'drop'),
    generalised: names.filter((_, i) => action(i) === 'zip3'),
    shifted: [],
    pseudonymised: [],
    kept: names.filter((_, i) => action(i) === 'keep'),
    actions: perColumn.map((c) => ({ column: c.column, label: c.label, kind: c.kind, action: c.action })),
    rows: 50,
    totals: {
      changed: perColumn.reduce((s, c) => s + c.changed, 0),
      suppressed: perColumn.reduce((s, c) => s + c.suppressed, 0),
      topCoded: 0,
      restrictedZip: perColumn.reduce((s, c) => s + c.restrictedZip, 0),
    },
    perColumn,
  };
}

describe('the export report on the wire', () => {
  it('round-trips: the per-column counts of transformed columns come back with their actions', () => {
    const r = reportOf(30);
    const back = decodeDeidReport(encodeDeidPlan(r), encodeDeidCounts(r));
    expect(back).toEqual({ ...r, perColumn: r.perColumn.filter((c) => c.action !== 'keep') });
  });

  it('stays within what curl accepts: a trailer line under 4 KiB, a header under 100 KiB, even for 2,000 columns', () => {
    for (const n of [30, 2000]) {
      const r = reportOf(n);
      const counts = encodeDeidCounts(r);
      const plan = encodeDeidPlan(r);
      expect(counts.length + 'x-haven-deid-counts: \r\n'.length).toBeLessThan(4096);
      expect(plan.length).toBeLessThanOrEqual(64 * 1024);
      const back = decodeDeidReport(plan, counts);
      expect(back.totals).toEqual(r.totals);
      expect(back.rows).toBe(50);
      if (n === 2000) {
        // Too wide for per-column counts, actions and lists: the totals remain, and the omission is said.
        expect(back.perColumn).toEqual([]);
        expect(back).toMatchObject({ actions: [], dropped: [], listsOmitted: true });
      } else {
        expect(back.dropped).toEqual(r.dropped);
        expect(back.perColumn).toHaveLength(20);
      }
    }
  });
});
