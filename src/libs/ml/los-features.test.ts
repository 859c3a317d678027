import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readCsvColumns } from '../../../bench/ml/read-csv.js';
import { selectRows } from './feature-matrix.js';
import { trainGbdt } from './gbdt.js';
import { LOS_FEATURES, buildLosData } from './los-features.js';
import { losDayAccuracy, r2, rmse } from './metrics.js';
import { predictGbdt } from './predict.js';

const CSV = fileURLToPath(new URL('../../../../shared/data/los-10k.csv', import.meta.url));

describe('LOS features (peer_los.py rules)', () => {
  it('encodes rcount 5+, gender, one-hot facid, number_of_issues and the eid split', () => {
    const base = {
      eid: ['10', '11'], rcount: ['5+', '2'], gender: ['M', 'F'], facid: ['C', 'E'], lengthofstay: ['3', '4'],
      secondarydiagnosisnonicd9: ['1', '0'], vdate: ['1/1/2012', '1/2/2012'], discharged: ['1/4/2012', '1/6/2012'],
    } as Record<string, string[]>;
    const flags = ['dialysisrenalendstage', 'asthma', 'irondef', 'pneum', 'substancedependence', 'psychologicaldisordermajor', 'depress', 'psychother', 'fibrosisandother', 'malnutrition', 'hemo'];
    flags.forEach((f, i) => {
      base[f] = [i < 3 ? '1' : '0', '0'];
    });
    for (const lab of ['hematocrit', 'neutrophils', 'sodium', 'glucose', 'bloodureanitro', 'creatinine', 'bmi', 'pulse', 'respiration']) {
      base[lab] = ['1.5', '2'];
    }
    const d = buildLosData(base);
    const at = (name: string, r: number): number => d.matrix.data[LOS_FEATURES.indexOf(name) * 2 + r]!;
    expect(d.matrix.nCols).toBe(29);
    expect(LOS_FEATURES).not.toContain('vdate');
    expect(LOS_FEATURES).not.toContain('eid');
    expect(at('rcount', 0)).toBe(5);
    expect(at('gender_M', 0)).toBe(1);
    expect(at('facid_C', 0)).toBe(1);
    expect(at('facid_E', 1)).toBe(1);
    expect(at('number_of_issues', 0)).toBe(3);
    expect(Array.from(d.isTest)).toEqual([1, 0]);
    expect(Array.from(d.target)).toEqual([3, 4]);
  });
  it('reports a missing target column with a code', () => {
    expect(() => buildLosData({ eid: [] })).toThrowError(expect.objectContaining({ code: 'HAVEN_ML_SHAPE_MISMATCH' }) as Error);
  });
});

describe.skipIf(!existsSync(CSV))('LOS accuracy on the real 10k sample', () => {
  it('reaches RMSE ≤ 0.53 on the peer split (XGBoost: 0.500)', () => {
    const { columns } = readCsvColumns(CSV);
    const d = buildLosData(columns);
    const tr: number[] = [];
    const te: number[] = [];
    d.isTest.forEach((t, r) => (t === 1 ? te : tr).push(r));
    expect(te.length).toBe(2000);
    const model = trainGbdt(selectRows(d.matrix, tr), tr.map((r) => d.target[r]!), { nRounds: 300, maxDepth: 6, learningRate: 0.1 });
    const yte = te.map((r) => d.target[r]!);
    const p = predictGbdt(model, selectRows(d.matrix, te));
    const e = rmse(yte, p);
    const acc = losDayAccuracy(yte, p);
    console.log(`haven gbdt on los-10k: RMSE ${e.toFixed(4)}  R² ${r2(yte, p).toFixed(4)}  exact ${acc.exact.toFixed(3)}  ±1 ${acc.within1.toFixed(3)}`);
    expect(e).toBeLessThanOrEqual(0.53);
    expect(r2(yte, p)).toBeGreaterThan(0.94);
  });
});
