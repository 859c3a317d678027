import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readCsvColumns } from '../../../bench/ml/read-csv.js';
import { stepData } from '../ml/test-helpers.js';
import { trainGbdt } from '../ml/gbdt.js';
import { buildLosData } from '../ml/los-features.js';
import { fitOodProfile } from '../ml-defence/ood.js';
import { leafCounts } from './leaf-counts.js';
import { trainAndAudit, type TrainJobInput } from './train-and-audit.js';

const CSV = fileURLToPath(new URL('../../../../shared/data/los-10k.csv', import.meta.url));
const AUDIT = { sampleSize: 1000, shadows: 4, maxAuc: 0.6, minLeafSamples: 5 };

describe('leafCounts', () => {
  it('sends every training row to exactly one leaf of each tree', () => {
    const { m, y } = stepData(500, 3);
    const model = trainGbdt(m, y, { nRounds: 5, maxDepth: 3, seed: 1 });
    const counts = leafCounts(model, m);
    expect(counts).toHaveLength(5);
    for (const [t, c] of counts.entries()) {
      expect(c.reduce((a, b) => a + b, 0)).toBe(500);
      expect(c).toHaveLength(model.trees[t]!.feature.filter((f) => f === -1).length);
    }
  });
});

describe('trainAndAudit', () => {
  it('on the real sample: the regularised defaults are accurate and pass the gate; XGBoost-like depth 6 with 1-record leaves leaks and is refused', () => {
    const { columns } = readCsvColumns(CSV);
    const los = buildLosData(columns);
    const input: TrainJobInput = {
      matrix: los.matrix,
      target: los.target,
      isTest: los.isTest,
      options: { nRounds: 300, maxDepth: 4, learningRate: 0.1, seed: 1, minSamplesLeaf: 20 },
      audit: AUDIT,
    };
    const out = trainAndAudit(input);
    console.log(
      `pipeline los-10k: rmse ${out.metrics.rmse.toFixed(3)} attacks ${out.privacy.attacks.map((a) => `${a.attack} ${a.auc.toFixed(3)}`).join(', ')} gate ${JSON.stringify(out.privacy.gate)}`,
    );
    expect(out.rows).toEqual({ train: 8000, valid: 0, test: 2000 });
    expect(out.metrics.rmse).toBeLessThan(0.6);
    expect(out.privacy.attacks.map((a) => a.attack)).toEqual(['loss_threshold', 'lira']);
    expect(out.privacy.leafCoverage!.smallestLeaf).toBeGreaterThanOrEqual(5);
    expect(out.privacy.gate.release).toBe(true);
    expect(out.residuals.q10).toBeLessThan(0);
    expect(out.residuals.q90).toBeGreaterThan(0);
    expect(out.ood.features).toEqual(los.matrix.names);
    const leaky = trainAndAudit({ ...input, options: { nRounds: 300, maxDepth: 6, learningRate: 0.1, seed: 1 } });
    expect(leaky.privacy.gate.release).toBe(false);
    expect(leaky.privacy.attacks[0]!.auc).toBeGreaterThan(0.6);
  });

  it('refuses release of a memorising model (1-record leaves, deep trees)', () => {
    const { m, y } = stepData(600, 9, 2);
    const isTest = Uint8Array.from({ length: 600 }, (_, i) => (i % 2 === 0 ? 1 : 0));
    const out = trainAndAudit({
      matrix: m,
      target: y,
      isTest,
      options: { nRounds: 200, maxDepth: 12, learningRate: 0.5, lambda: 0, seed: 2 },
      audit: { ...AUDIT, sampleSize: 300 },
    });
    expect(out.privacy.gate.release).toBe(false);
    const codes = out.privacy.gate.reasons.map((r) => r.code);
    expect(codes).toContain('leaf_too_small');
    expect(codes).toContain('mia_auc_too_high');
  });

  it('on the real sample: DP models with a small ε leave both attacks near chance (AUC ≤ 0.55) while a memorising model does not', () => {
    const { columns } = readCsvColumns(CSV);
    const los = buildLosData(columns);
    const base = { matrix: los.matrix, target: los.target, isTest: los.isTest, options: { seed: 3 }, audit: AUDIT };
    const lines: string[] = [];
    for (const [mechanism, epsilon] of [
      ['linear', 0.5],
      ['gbdt', 1],
    ] as const) {
      const out = trainAndAudit({ ...base, privacy: { epsilon, delta: 1e-6, mechanism, noiseKey: new Uint8Array(32).fill(9) } });
      lines.push(
        `dp-${mechanism} ε=${epsilon}: rmse ${out.metrics.rmse.toFixed(3)} ${out.privacy.attacks.map((a) => `${a.attack} ${a.auc.toFixed(3)}`).join(', ')}`,
      );
      expect(out.trained.kind).toBe(`dp-${mechanism}`);
      expect(out.privacy.attacks.map((a) => a.attack)).toEqual(['loss_threshold', 'lira']);
      for (const a of out.privacy.attacks) {
        expect(a.members).toBe(1000);
        expect(a.nonMembers).toBe(1000);
        expect(a.auc).toBeLessThanOrEqual(0.55);
        expect(a.auc).toBeGreaterThanOrEqual(0.45);
      }
      expect(out.privacy.gate.release).toBe(true);
      expect(out.privacy.leafCoverage).toBeNull();
      expect(out.differentialPrivacy).toMatchObject({ epsilon, delta: 1e-6, kind: `dp-${mechanism}` });
      expect(out.differentialPrivacy!.plan.spentEpsilon).toBeLessThanOrEqual(epsilon * (1 + 1e-9));
      // Nothing in the artifact reads the training rows except the DP model: the OOD profile is the test rows'.
      const testRows: number[][] = [];
      los.isTest.forEach((v, r) => v === 1 && testRows.push(los.matrix.names.map((_, c) => los.matrix.data[c * los.matrix.nRows + r]!)));
      expect(out.ood).toEqual(fitOodProfile(los.matrix.names, testRows));
      expect(out.importance[0]!.share).toBeGreaterThan(0);
    }
    const memorising = trainAndAudit({ ...base, options: { nRounds: 200, maxDepth: 8, learningRate: 0.3, lambda: 0, minSamplesLeaf: 1, seed: 3 } });
    lines.push(
      `memorising gbdt: rmse ${memorising.metrics.rmse.toFixed(3)} ${memorising.privacy.attacks.map((a) => `${a.attack} ${a.auc.toFixed(3)}`).join(', ')}`,
    );
    console.log(lines.join('\n'));
    expect(Math.max(...memorising.privacy.attacks.map((a) => a.auc))).toBeGreaterThan(0.6);
    expect(memorising.privacy.gate.release).toBe(false);
  }, 300_000);

  it('DP training is reproducible for a seed and noise key, and noisy across noise keys', () => {
    const { m, y } = stepData(1500, 5);
    const isTest = Uint8Array.from({ length: 1500 }, (_, i) => (i % 5 === 0 ? 1 : 0));
    const run = (b: number) =>
      trainAndAudit({
        matrix: m,
        target: y,
        isTest,
        options: { seed: 1 },
        privacy: { epsilon: 4, delta: 1e-6, mechanism: 'gbdt', nRounds: 10, noiseKey: new Uint8Array(32).fill(b) },
        audit: { ...AUDIT, sampleSize: 300 },
      });
    const a = run(1);
    expect(run(1).trained).toEqual(a.trained);
    expect(run(2).trained.model.trees[0]!.value).not.toEqual(a.trained.model.trees[0]!.value);
  });
});
