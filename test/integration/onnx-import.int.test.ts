/**
 * Loading untrusted ONNX bytes through loadOnnxScorer: refusals with codes before onnxruntime sees the
 * bytes, foreign models scored correctly, and no crash on corrupted models that pass the checks.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { HavenError } from '../../src/errors/haven-error.js';
import { loadOnnxScorer, type OnnxScorer } from '../../src/adapters/onnx/onnx-scorer.js';
import { createPrng, matrixFromColumns, trainGbdt } from '../../src/libs/ml/index.js';
import { exportGbdtToOnnx } from '../../src/libs/ml/onnx/index.js';
import { ELEM } from '../../src/libs/ml/onnx/onnx-proto.js';
import { buildTestOnnx, linearRegressorOnnx, stumpClassifierOnnx } from '../../src/libs/ml/onnx/test-models.js';
import { stepData } from '../../src/libs/ml/test-helpers.js';

const MAX_BYTES = 1 << 20;
const opened: OnnxScorer[] = [];

afterAll(async () => {
  await Promise.all(opened.map((s) => s.close()));
});

async function load(bytes: Uint8Array, opts: { maxBytes?: number; batchRows?: number } = {}): Promise<OnnxScorer> {
  const s = await loadOnnxScorer(bytes, { maxBytes: MAX_BYTES, ...opts });
  opened.push(s);
  return s;
}

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    if (e instanceof HavenError) {
      return e.code;
    }
    throw e;
  }
}

const { m, y } = stepData(500, 4);
const exported = exportGbdtToOnnx(trainGbdt(m, y, { nRounds: 10, maxDepth: 3, seed: 1 }));

describe('loadOnnxScorer refuses hostile or broken models with a code', () => {
  it('garbage bytes → HAVEN_ONNX_MALFORMED', async () => {
    const rng = createPrng(9);
    const garbage = Uint8Array.from({ length: 4096 }, () => Math.floor(rng.next() * 256));
    expect(await codeOf(load(garbage))).toBe('HAVEN_ONNX_MALFORMED');
    expect(await codeOf(load(new TextEncoder().encode('{"format":"haven-gbdt"}')))).toBe('HAVEN_ONNX_MALFORMED');
  });

  it('a truncated export → HAVEN_ONNX_MALFORMED at every cut', async () => {
    for (const cut of [1, 10, exported.length >> 1, exported.length - 1]) {
      expect(await codeOf(load(exported.subarray(0, cut)))).toBe('HAVEN_ONNX_MALFORMED');
    }
  });

  it('external data → HAVEN_ONNX_EXTERNAL_DATA (onnxruntime would read a file next to the model)', async () => {
    const bytes = buildTestOnnx({
      nodes: [{ opType: 'Reshape', inputs: ['x', 'shape'], outputs: ['y'] }],
      inputs: [{ name: 'x', elem: ELEM.float, shape: ['N', 2] }],
      outputs: [{ name: 'y', elem: ELEM.float, shape: ['N', 1] }],
      initializers: [{ name: 'shape', dims: [2], elem: ELEM.int64, external: 'both' }],
    });
    expect(await codeOf(load(bytes))).toBe('HAVEN_ONNX_EXTERNAL_DATA');
  });

  it('an operator outside the allow-list → HAVEN_ONNX_OP_NOT_ALLOWED (onnxruntime itself would run it)', async () => {
    const bytes = buildTestOnnx(
      {
        nodes: [{ opType: 'ReduceSum', inputs: ['x'], outputs: ['y'], attrs: [{ name: 'keepdims', i: 1 }] }],
        inputs: [{ name: 'x', elem: ELEM.float, shape: ['N', 2] }],
        outputs: [{ name: 'y', elem: ELEM.float, shape: ['N', 1] }],
      },
      { opsets: [['', 11]] },
    );
    expect(await codeOf(load(bytes))).toBe('HAVEN_ONNX_OP_NOT_ALLOWED');
  });

  it('a model over the size limit → HAVEN_ONNX_TOO_LARGE', async () => {
    expect(await codeOf(load(exported, { maxBytes: exported.length - 1 }))).toBe('HAVEN_ONNX_TOO_LARGE');
  });

  it('allowed ops with attributes onnxruntime rejects → HAVEN_ONNX_LOAD_FAILED', async () => {
    const bytes = buildTestOnnx({
      nodes: [
        {
          opType: 'TreeEnsembleRegressor',
          domain: 'ai.onnx.ml',
          inputs: ['x'],
          outputs: ['y'],
          attrs: [
            { name: 'n_targets', i: 1 },
            { name: 'nodes_treeids', ints: [0, 0] },
            { name: 'nodes_nodeids', ints: [0] },
          ],
        },
      ],
      inputs: [{ name: 'x', elem: ELEM.float, shape: ['N', 2] }],
      outputs: [{ name: 'y', elem: ELEM.float, shape: ['N', 1] }],
    });
    expect(await codeOf(load(bytes))).toBe('HAVEN_ONNX_LOAD_FAILED');
  });

  it('a tree ensemble declaring 2^33 targets → HAVEN_ONNX_IO_UNSUPPORTED before onnxruntime allocates for them', async () => {
    const bytes = buildTestOnnx({
      nodes: [
        {
          opType: 'TreeEnsembleRegressor',
          domain: 'ai.onnx.ml',
          inputs: ['x'],
          outputs: ['y'],
          attrs: [
            { name: 'n_targets', i: 2 ** 33 },
            { name: 'nodes_treeids', ints: [0] },
            { name: 'nodes_nodeids', ints: [0] },
            { name: 'nodes_featureids', ints: [0] },
            { name: 'nodes_modes', strings: ['LEAF'] },
            { name: 'nodes_values', floats: [0] },
            { name: 'nodes_truenodeids', ints: [0] },
            { name: 'nodes_falsenodeids', ints: [0] },
            { name: 'target_treeids', ints: [0] },
            { name: 'target_nodeids', ints: [0] },
            { name: 'target_ids', ints: [2 ** 33 - 1] },
            { name: 'target_weights', floats: [1] },
          ],
        },
      ],
      inputs: [{ name: 'x', elem: ELEM.float, shape: ['N', 2] }],
      outputs: [{ name: 'y', elem: ELEM.float, shape: ['N', 1] }],
    });
    expect(await codeOf(load(bytes))).toBe('HAVEN_ONNX_IO_UNSUPPORTED');
  });

  it('a model whose real output differs from its declaration → HAVEN_ONNX_LOAD_FAILED (one-row probe)', async () => {
    // Declares [N, 1] but the linear regressor produces two targets per row.
    const bytes = buildTestOnnx({
      nodes: [
        {
          opType: 'LinearRegressor',
          domain: 'ai.onnx.ml',
          inputs: ['x'],
          outputs: ['y'],
          attrs: [
            { name: 'coefficients', floats: [1, 0, 0, 1] },
            { name: 'intercepts', floats: [0, 0] },
            { name: 'targets', i: 2 },
          ],
        },
      ],
      inputs: [{ name: 'x', elem: ELEM.float, shape: ['N', 2] }],
      outputs: [{ name: 'y', elem: ELEM.float, shape: ['N', 1] }],
    });
    expect(await codeOf(load(bytes))).toBe('HAVEN_ONNX_LOAD_FAILED');
  });

  it('feature data of the wrong size → HAVEN_ML_SHAPE_MISMATCH', async () => {
    const s = await load(exported);
    expect(await codeOf(s.score(new Float64Array(7), 2))).toBe('HAVEN_ML_SHAPE_MISMATCH');
  });
});

describe('loadOnnxScorer scores foreign models', () => {
  it('a LinearRegressor: y = x·w + b, from column-major features', async () => {
    const s = await load(linearRegressorOnnx([1, 2, -1], 0.5));
    expect(s.nFeatures).toBe(3);
    // rows: (1,0,0) (0,1,0) (0,0,4) (2,3,1)
    const data = Float64Array.of(1, 0, 0, 2, /* col 1 */ 0, 1, 0, 3, /* col 2 */ 0, 0, 4, 1);
    expect(Array.from(await s.score(data, 4))).toEqual([1.5, 2.5, -3.5, 7.5]);
  });

  it('a binary TreeEnsembleClassifier: the score is the positive-class probability column', async () => {
    const s = await load(stumpClassifierOnnx(2, 0.5, 0.25, 0.75));
    const p = await s.score(Float64Array.of(0.1, 0.9, 0.5, /* col 1 */ 9, 9, 9), 3);
    expect(Array.from(p)).toEqual([0.25, 0.75, 0.25]);
  });

  it('gives the same scores in small batches as in one batch', async () => {
    const one = await (await load(exported)).score(m.data, m.nRows);
    const many = await (await load(exported, { batchRows: 7 })).score(m.data, m.nRows);
    expect(Array.from(many)).toEqual(Array.from(one));
    expect(new Set(one).size).toBeGreaterThan(5);
  });

  it('scores zero rows as an empty result', async () => {
    expect((await (await load(exported)).score(new Float64Array(0), 0)).length).toBe(0);
  });
});

describe('corrupted exports never crash the process', () => {
  it('300 byte-flipped exports: each is refused with an ONNX code or loads and scores', async () => {
    const rng = createPrng(2024);
    const rows = matrixFromColumns(
      m.names,
      Array.from({ length: m.nCols }, (_, c) => Float64Array.from({ length: 20 }, (_, r) => m.data[c * m.nRows + r]!)),
    );
    const outcomes = new Map<string, number>();
    for (let k = 0; k < 300; k++) {
      const bytes = Uint8Array.from(exported);
      const flips = 1 + Math.floor(rng.next() * 4);
      for (let f = 0; f < flips; f++) {
        bytes[Math.floor(rng.next() * bytes.length)] = Math.floor(rng.next() * 256);
      }
      let outcome: string;
      try {
        const s = await loadOnnxScorer(bytes, { maxBytes: MAX_BYTES });
        try {
          const p = await s.score(rows.data, rows.nRows);
          expect(p.length).toBe(rows.nRows);
          outcome = 'scored';
        } finally {
          await s.close();
        }
      } catch (e) {
        if (!(e instanceof HavenError) || !/^HAVEN_(ONNX|ML)_/.test(e.code)) {
          throw e;
        }
        outcome = e.code;
      }
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    }
    // Most flips land in the ensemble's attribute payload and still load; some are caught by the checks.
    expect(outcomes.get('scored') ?? 0).toBeGreaterThan(0);
    expect([...outcomes.keys()].some((o) => o.startsWith('HAVEN_ONNX_'))).toBe(true);
  });
});
