import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HavenError } from '../../../errors/haven-error.js';
import { trainGbdt } from '../gbdt.js';
import type { GbdtModel } from '../gbdt-model.js';
import { stepData } from '../test-helpers.js';
import { checkImportableOnnx } from './check-importable.js';
import { exportGbdtToOnnx, float32Below, ONNX_META } from './export-gbdt.js';
import { inspectOnnxModel } from './inspect-onnx.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    if (e instanceof HavenError) {
      return e.code;
    }
    throw e;
  }
}

const { m, y } = stepData(600, 3);
const regression = trainGbdt(m, y, { nRounds: 8, maxDepth: 3, seed: 2 });

describe('exportGbdtToOnnx (structure, read back with inspectOnnxModel)', () => {
  it('declares one double [N, F] input, a float [N, 1] score, the ML opset and Haven metadata', () => {
    const info = inspectOnnxModel(exportGbdtToOnnx(regression, { producerVersion: '1.2.3', metadata: { 'registry.id': 'm-7' } }));
    expect(info.irVersion).toBe(8);
    expect(info.producerVersion).toBe('1.2.3');
    expect(info.opsets).toEqual([
      { domain: '', version: 15 },
      { domain: 'ai.onnx.ml', version: 3 },
    ]);
    expect(info.inputs).toEqual([{ name: 'features', kind: 'tensor', elemType: 11, elemTypeName: 'double', shape: ['N', 4] }]);
    expect(info.outputs).toEqual([{ name: 'score', kind: 'tensor', elemType: 1, elemTypeName: 'float', shape: ['N', 1] }]);
    expect(info.ops).toEqual([{ domain: 'ai.onnx.ml', opType: 'TreeEnsembleRegressor', count: 1 }]);
    expect(info.usesExternalData).toBe(false);
    expect(JSON.parse(info.metadata[ONNX_META.featureNames]!)).toEqual(['x0', 'x1', 'x2', 'x3']);
    expect(info.metadata[ONNX_META.modelFormat]).toBe('haven-gbdt');
    expect(info.metadata[ONNX_META.modelFormatVersion]).toBe('1');
    expect(info.metadata[ONNX_META.objective]).toBe('squared');
    expect(info.metadata['registry.id']).toBe('m-7');
  });

  it('adds a Sigmoid to probability for logloss, and a float input on request; both pass the import check', () => {
    const yb = Float64Array.from(y, (v) => (v > 2 ? 1 : 0));
    const clf = trainGbdt(m, yb, { objective: 'logloss', nRounds: 5, maxDepth: 3, seed: 1 });
    const info = inspectOnnxModel(exportGbdtToOnnx(clf, { inputType: 'float' }));
    expect(info.ops.map((o) => o.opType)).toEqual(['TreeEnsembleRegressor', 'Sigmoid']);
    expect(info.inputs[0]!.elemTypeName).toBe('float');
    expect(info.outputs.map((o) => o.name)).toEqual(['probability']);
    expect(checkImportableOnnx(info, { maxBytes: 1 << 20 })).toEqual({
      inputName: 'features',
      inputType: 'float',
      nFeatures: 4,
      outputName: 'probability',
      outputColumns: 1,
      scoreColumn: 0,
    });
  });

  it('keeps the reserved haven.* metadata keys out of reach of caller metadata', () => {
    const info = inspectOnnxModel(exportGbdtToOnnx(regression, { metadata: { [ONNX_META.objective]: 'forged' } }));
    expect(info.metadata[ONNX_META.objective]).toBe('squared');
  });

  it('refuses a model object that is not a valid GbdtModel', () => {
    const broken = { ...regression, trees: [{ ...regression.trees[0]!, left: [5] }] } as GbdtModel;
    expect(codeOf(() => exportGbdtToOnnx(broken))).toBe('HAVEN_ML_MODEL_INVALID');
  });

  it('makes every strict prefix of an export unreadable (graph last: no truncation parses as a smaller model)', () => {
    const bytes = exportGbdtToOnnx(regression);
    for (let cut = 0; cut < bytes.length; cut++) {
      const code = codeOf(() => inspectOnnxModel(bytes.subarray(0, cut)));
      if (code !== 'HAVEN_ONNX_MALFORMED') {
        throw new Error(`prefix of ${cut}/${bytes.length} bytes gave ${code ?? 'a model'}`);
      }
    }
  });
});

describe('float32Below', () => {
  it('is the largest float32 <= x, so x <= t ⇔ x <= float32Below(t) for every float32 x', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, min: -3e38, max: 3e38 }), fc.float({ noNaN: true, noDefaultInfinity: true }), (t, x) => {
        const below = float32Below(t);
        expect(Math.fround(below)).toBe(below);
        expect(below <= t).toBe(true);
        expect(x <= t).toBe(x <= below);
        // The float32 nearest to t is the hard case: it sits on one side of t or the other.
        const near = Math.fround(t);
        expect(near <= t).toBe(near <= below);
      }),
      { numRuns: 5000 },
    );
    expect(float32Below(1 + 2 ** -40)).toBe(1);
    expect(float32Below(0.1)).toBeLessThan(0.1);
    expect(float32Below(-0.1)).toBeLessThan(-0.1);
  });
});
