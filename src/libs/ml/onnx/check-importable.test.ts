import { describe, expect, it } from 'vitest';
import { HavenError } from '../../../errors/haven-error.js';
import { checkImportableOnnx } from './check-importable.js';
import { inspectOnnxModel } from './inspect-onnx.js';
import { ELEM } from './onnx-proto.js';
import { ProtoWriter } from './protobuf-writer.js';
import { buildTestOnnx, linearRegressorOnnx, stumpClassifierOnnx, type TestGraph, type TestModelOptions, type TestNode } from './test-models.js';

const LIMITS = { maxBytes: 1 << 20 };

function refusal(bytes: Uint8Array, limits = LIMITS): { code: string; detail: Record<string, unknown> } {
  try {
    checkImportableOnnx(inspectOnnxModel(bytes), limits);
  } catch (e) {
    if (e instanceof HavenError) {
      return { code: e.code, detail: { ...e.detail } };
    }
    throw e;
  }
  throw new Error('model was accepted');
}

const X = { name: 'x', elem: ELEM.float, shape: ['N', 3] as (number | string)[] };
const Y = { name: 'y', elem: ELEM.float, shape: ['N', 1] as (number | string)[] };
const identity: TestNode = { opType: 'Identity', inputs: ['x'], outputs: ['y'] };

function model(nodes: TestNode[], extra: Partial<TestGraph> = {}, opts: TestModelOptions = {}): Uint8Array {
  return buildTestOnnx({ nodes, inputs: [X], outputs: [Y], ...extra }, opts);
}

describe('inspectOnnxModel', () => {
  it('lists ops of the main graph and of subgraphs, with normalised domains and counts', () => {
    const body: TestGraph = { nodes: [{ opType: 'Add', domain: 'ai.onnx', inputs: ['a', 'b'], outputs: ['c'] }], inputs: [], outputs: [] };
    const info = inspectOnnxModel(model([identity, identity, { opType: 'Loop', inputs: [], outputs: ['z'], attrs: [{ name: 'body', g: body }] }]));
    expect(info.ops).toEqual([
      { domain: '', opType: 'Identity', count: 2 },
      { domain: '', opType: 'Add', count: 1 },
      { domain: '', opType: 'Loop', count: 1 },
    ]);
    expect(info.subgraphCount).toBe(1);
  });

  it('does not count initializers listed as graph inputs (IR < 4 style) as inputs', () => {
    const w = { name: 'w', dims: [1], elem: ELEM.float, floats: [2] };
    const info = inspectOnnxModel(model([identity], { inputs: [X, { name: 'w', elem: ELEM.float, shape: [1] }], initializers: [w] }));
    expect(info.inputs.map((i) => i.name)).toEqual(['x']);
    expect(info.tensorCount).toBe(1);
  });

  it.each([
    ['an initializer with data_location = EXTERNAL', model([identity], { initializers: [{ name: 'w', dims: [1], elem: ELEM.float, external: 'location' }] })],
    ['an initializer with external_data entries', model([identity], { initializers: [{ name: 'w', dims: [1], elem: ELEM.float, external: 'entries' }] })],
    [
      'a Constant attribute tensor',
      model([{ opType: 'Constant', inputs: [], outputs: ['c'], attrs: [{ name: 'value', t: { dims: [1], elem: ELEM.float, external: 'both' } }] }]),
    ],
    [
      'an initializer inside a subgraph',
      model([
        {
          opType: 'If',
          inputs: ['c'],
          outputs: ['y'],
          attrs: [
            { name: 'then_branch', g: { nodes: [], inputs: [], outputs: [], initializers: [{ name: 'w', dims: [1], elem: ELEM.float, external: 'both' }] } },
          ],
        },
      ]),
    ],
  ])('flags external data in %s', (_what, bytes) => {
    expect(inspectOnnxModel(bytes).usesExternalData).toBe(true);
    expect(refusal(bytes).code).toBe('HAVEN_ONNX_EXTERNAL_DATA');
  });

  it.each([
    ['empty bytes', new Uint8Array(0)],
    ['random text', new TextEncoder().encode('this is not a model at all, just words')],
    ['a message without ir_version', new ProtoWriter().message(7, new ProtoWriter().string(2, 'g')).finish()],
    ['a message without a graph', new ProtoWriter().varint(1, 8).finish()],
    ['two graphs', new ProtoWriter().varint(1, 8).message(7, new ProtoWriter()).message(7, new ProtoWriter()).finish()],
  ])('refuses %s as HAVEN_ONNX_MALFORMED', (_what, bytes) => {
    expect(() => inspectOnnxModel(bytes)).toThrowError(expect.objectContaining({ code: 'HAVEN_ONNX_MALFORMED' }) as Error);
  });

  it('refuses bytes over maxBytes before parsing', () => {
    expect(() => inspectOnnxModel(new Uint8Array(11), { maxBytes: 10 })).toThrowError(expect.objectContaining({ code: 'HAVEN_ONNX_TOO_LARGE' }) as Error);
  });
});

describe('checkImportableOnnx', () => {
  it('accepts a linear regressor and a binary tree classifier, scoring the positive-class column', () => {
    expect(checkImportableOnnx(inspectOnnxModel(linearRegressorOnnx([1, 2], 0.5)), LIMITS)).toEqual({
      inputName: 'x',
      inputType: 'float',
      nFeatures: 2,
      outputName: 'y',
      outputColumns: 1,
      scoreColumn: 0,
    });
    expect(checkImportableOnnx(inspectOnnxModel(stumpClassifierOnnx(5, 0.5, 0.2, 0.9)), LIMITS)).toEqual({
      inputName: 'x',
      inputType: 'float',
      nFeatures: 5,
      outputName: 'probabilities',
      outputColumns: 2,
      scoreColumn: 1,
    });
  });

  it('accepts the default domain spelled ai.onnx', () => {
    expect(checkImportableOnnx(inspectOnnxModel(model([{ ...identity, domain: 'ai.onnx' }])), LIMITS).outputName).toBe('y');
  });

  it('refuses a model over the size limit', () => {
    const bytes = linearRegressorOnnx([1, 2], 0);
    expect(refusal(bytes, { maxBytes: bytes.length - 1 })).toEqual({
      code: 'HAVEN_ONNX_TOO_LARGE',
      detail: { bytes: bytes.length, maxBytes: bytes.length - 1 },
    });
    expect(checkImportableOnnx(inspectOnnxModel(bytes), { maxBytes: bytes.length }).nFeatures).toBe(2);
  });

  it.each([
    ['Add', '', 'Add'],
    ['a tree op from a custom domain', 'com.evil', 'TreeEnsembleRegressor'],
    ['ZipMap', 'ai.onnx.ml', 'ZipMap'],
    ['TreeEnsemble v5', 'ai.onnx.ml', 'TreeEnsemble'],
  ])('refuses %s with HAVEN_ONNX_OP_NOT_ALLOWED naming the op', (_what, domain, opType) => {
    expect(refusal(model([identity, { opType, domain, inputs: ['x'], outputs: ['z'] }]))).toEqual({
      code: 'HAVEN_ONNX_OP_NOT_ALLOWED',
      detail: { reason: 'op', domain, opType },
    });
  });

  it('sanitises a hostile op name before putting it in the error detail', () => {
    const { detail } = refusal(model([{ opType: 'Evil\n<script>', inputs: ['x'], outputs: ['y'] }]));
    expect(detail.opType).toBe('Evil??script?');
  });

  it('refuses subgraphs, local functions and training graphs even when their ops would be allowed', () => {
    const body: TestGraph = { nodes: [identity], inputs: [], outputs: [] };
    expect(refusal(model([{ opType: 'Identity', inputs: ['x'], outputs: ['y'], attrs: [{ name: 'body', g: body }] }])).detail.reason).toBe('subgraph');
    expect(refusal(model([identity], {}, { functions: [[identity]] })).detail.reason).toBe('function');
    expect(refusal(model([identity], {}, { trainingAlgorithm: body })).detail.reason).toBe('training-info');
  });

  it.each([
    ['no input', { inputs: [] }, 'input-count'],
    ['two inputs', { inputs: [X, { ...X, name: 'x2' }] }, 'input-count'],
    ['a string input', { inputs: [{ ...X, elem: ELEM.string }] }, 'input-type'],
    ['an int64 input (cannot carry NaN)', { inputs: [{ ...X, elem: ELEM.int64 }] }, 'input-type'],
    ['a sequence input', { inputs: [{ ...X, kind: 'sequence' as const }] }, 'input-type'],
    ['a rank-1 input', { inputs: [{ ...X, shape: ['N'] }] }, 'input-shape'],
    ['an input with a symbolic feature count', { inputs: [{ ...X, shape: ['N', 'F'] }] }, 'input-shape'],
    ['an input without a shape', { inputs: [{ name: 'x', elem: ELEM.float }] }, 'input-shape'],
    ['an input declaring a billion features', { inputs: [{ ...X, shape: ['N', 1e9] }] }, 'input-shape'],
    ['only an int64 label output', { outputs: [{ name: 'y', elem: ELEM.int64, shape: ['N'] }] }, 'output'],
    ['only a sequence output', { outputs: [{ ...Y, kind: 'sequence' as const }] }, 'output'],
    ['a three-column output', { outputs: [{ ...Y, shape: ['N', 3] }] }, 'output'],
  ])('refuses %s with HAVEN_ONNX_IO_UNSUPPORTED', (_what, extra, reason) => {
    const r = refusal(model([identity], extra));
    expect(r.code).toBe('HAVEN_ONNX_IO_UNSUPPORTED');
    expect(r.detail.reason).toBe(reason);
  });

  it.each([
    ['a regressor with n_targets = 3', [{ name: 'n_targets', i: 3 }], 3],
    ['a hostile n_targets = 2^33 (onnxruntime would allocate that many floats per row)', [{ name: 'n_targets', i: 2 ** 33 }], 2 ** 33],
    ['a classifier with three int64 labels', [{ name: 'classlabels_int64s', ints: [0, 1, 2] }], 3],
    ['a classifier with three string labels', [{ name: 'classlabels_strings', strings: ['a', 'b', 'c'] }], 3],
  ])('refuses %s with HAVEN_ONNX_IO_UNSUPPORTED output-width', (_what, attrs, width) => {
    const opType = attrs[0]!.name === 'n_targets' ? 'TreeEnsembleRegressor' : 'TreeEnsembleClassifier';
    const info = inspectOnnxModel(model([{ opType, domain: 'ai.onnx.ml', inputs: ['x'], outputs: ['y'], attrs }]));
    expect(info.maxOutputWidth).toBe(width);
    expect(() => checkImportableOnnx(info, LIMITS)).toThrowError(
      expect.objectContaining({ code: 'HAVEN_ONNX_IO_UNSUPPORTED', detail: { reason: 'output-width', width } }) as Error,
    );
  });

  it('refuses a graph with no nodes', () => {
    expect(refusal(model([])).detail.reason).toBe('no-nodes');
  });
});
