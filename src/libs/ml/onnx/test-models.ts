/**
 * Builders of hand-made ONNX models for this folder's tests and the ONNX integration tests:
 * foreign models (linear, classifier), and hostile ones (external data, forbidden ops, subgraphs,
 * local functions, odd inputs). Built with the same ProtoWriter as the exporter; onnxruntime
 * loading them in the integration tests is the independent check of the encoding.
 */
import { ATTR, ATTR_TYPE, DIM, ELEM, ENTRY, FUNCTION, GRAPH, MODEL, NODE, OPSET, SHAPE, TENSOR, TENSOR_TYPE, TYPE, VALUE_INFO } from './onnx-proto.js';
import { ProtoWriter } from './protobuf-writer.js';

/** A tensor (initializer or attribute value). */
export interface TestTensor {
  readonly name?: string;
  readonly dims: number[];
  readonly elem: number;
  readonly floats?: number[];
  readonly int64s?: number[];
  /** Mark as stored in an external file: data_location = EXTERNAL and/or an external_data `location` entry. */
  readonly external?: 'both' | 'location' | 'entries';
}

/** A node attribute; exactly one value field is used. */
export interface TestAttr {
  readonly name: string;
  readonly i?: number;
  readonly s?: string;
  readonly ints?: number[];
  readonly floats?: number[];
  readonly strings?: string[];
  readonly t?: TestTensor;
  readonly g?: TestGraph;
}

/** A node. */
export interface TestNode {
  readonly opType: string;
  readonly domain?: string;
  readonly inputs: string[];
  readonly outputs: string[];
  readonly attrs?: TestAttr[];
}

/** A graph input/output: a tensor with element type and shape, or a sequence of float tensors. */
export interface TestValue {
  readonly name: string;
  readonly elem?: number;
  readonly shape?: (number | string)[];
  readonly kind?: 'tensor' | 'sequence';
}

/** A graph. */
export interface TestGraph {
  readonly nodes: TestNode[];
  readonly inputs: TestValue[];
  readonly outputs: TestValue[];
  readonly initializers?: TestTensor[];
}

/** Model-level extras. */
export interface TestModelOptions {
  readonly irVersion?: number;
  readonly opsets?: [string, number][];
  /** Local functions, each a list of nodes (name f0, f1 … in domain `local`). */
  readonly functions?: TestNode[][];
  /** Add a TrainingInfoProto whose algorithm graph is this graph. */
  readonly trainingAlgorithm?: TestGraph;
  readonly metadata?: Record<string, string>;
}

function tensor(t: TestTensor): ProtoWriter {
  const w = new ProtoWriter().packedVarints(TENSOR.dims, t.dims).varint(TENSOR.dataType, t.elem);
  if (t.floats) {
    w.packedFloats(TENSOR.floatData, t.floats);
  }
  if (t.int64s) {
    w.packedVarints(TENSOR.int64Data, t.int64s);
  }
  if (t.name !== undefined) {
    w.string(TENSOR.name, t.name);
  }
  if (t.external === 'both' || t.external === 'entries') {
    w.message(TENSOR.externalData, new ProtoWriter().string(ENTRY.key, 'location').string(ENTRY.value, 'weights.bin'));
  }
  if (t.external === 'both' || t.external === 'location') {
    w.varint(TENSOR.dataLocation, 1);
  }
  return w;
}

function attribute(a: TestAttr): ProtoWriter {
  const w = new ProtoWriter().string(ATTR.name, a.name);
  if (a.i !== undefined) {
    w.varint(ATTR.type, ATTR_TYPE.int).varint(ATTR.i, a.i);
  } else if (a.s !== undefined) {
    w.varint(ATTR.type, ATTR_TYPE.string).string(ATTR.s, a.s);
  } else if (a.ints) {
    w.varint(ATTR.type, ATTR_TYPE.ints).packedVarints(ATTR.ints, a.ints);
  } else if (a.floats) {
    w.varint(ATTR.type, ATTR_TYPE.floats).packedFloats(ATTR.floats, a.floats);
  } else if (a.strings) {
    w.varint(ATTR.type, ATTR_TYPE.strings);
    a.strings.forEach((s) => w.string(ATTR.strings, s));
  } else if (a.t) {
    w.varint(ATTR.type, ATTR_TYPE.tensor).message(ATTR.t, tensor(a.t));
  } else if (a.g) {
    w.varint(ATTR.type, ATTR_TYPE.graph).message(ATTR.g, graph(a.g));
  }
  return w;
}

function node(n: TestNode, i: number): ProtoWriter {
  const w = new ProtoWriter();
  n.inputs.forEach((s) => w.string(NODE.input, s));
  n.outputs.forEach((s) => w.string(NODE.output, s));
  w.string(NODE.name, `n${i}`).string(NODE.opType, n.opType);
  (n.attrs ?? []).forEach((a) => w.message(NODE.attribute, attribute(a)));
  if (n.domain !== undefined) {
    w.string(NODE.domain, n.domain);
  }
  return w;
}

function valueInfo(v: TestValue): ProtoWriter {
  const shape = new ProtoWriter();
  for (const d of v.shape ?? []) {
    shape.message(SHAPE.dim, typeof d === 'number' ? new ProtoWriter().varint(DIM.dimValue, d) : new ProtoWriter().string(DIM.dimParam, d));
  }
  const tensorType = new ProtoWriter().varint(TENSOR_TYPE.elemType, v.elem ?? ELEM.float);
  if (v.shape) {
    tensorType.message(TENSOR_TYPE.shape, shape);
  }
  const type = new ProtoWriter();
  if (v.kind === 'sequence') {
    type.message(TYPE.sequenceType, new ProtoWriter().message(1, new ProtoWriter().message(TYPE.tensorType, tensorType)));
  } else {
    type.message(TYPE.tensorType, tensorType);
  }
  return new ProtoWriter().string(VALUE_INFO.name, v.name).message(VALUE_INFO.type, type);
}

function graph(g: TestGraph): ProtoWriter {
  const w = new ProtoWriter();
  g.nodes.forEach((n, i) => w.message(GRAPH.node, node(n, i)));
  w.string(GRAPH.name, 'g');
  (g.initializers ?? []).forEach((t) => w.message(GRAPH.initializer, tensor(t)));
  g.inputs.forEach((v) => w.message(GRAPH.input, valueInfo(v)));
  g.outputs.forEach((v) => w.message(GRAPH.output, valueInfo(v)));
  return w;
}

/**
 * Encode a test model.
 * @param g - the main graph
 * @param opts - versions, opsets, local functions, training info, metadata
 */
export function buildTestOnnx(g: TestGraph, opts: TestModelOptions = {}): Uint8Array {
  const w = new ProtoWriter().varint(MODEL.irVersion, opts.irVersion ?? 8).string(MODEL.producerName, 'test');
  for (const [domain, version] of opts.opsets ?? [
    ['', 15],
    ['ai.onnx.ml', 3],
  ]) {
    w.message(MODEL.opsetImport, new ProtoWriter().string(OPSET.domain, domain).varint(OPSET.version, version));
  }
  for (const [k, v] of Object.entries(opts.metadata ?? {})) {
    w.message(MODEL.metadataProps, new ProtoWriter().string(ENTRY.key, k).string(ENTRY.value, v));
  }
  (opts.functions ?? []).forEach((nodes, i) => {
    const f = new ProtoWriter().string(FUNCTION.name, `f${i}`).string(FUNCTION.domain, 'local');
    nodes.forEach((n, j) => f.message(FUNCTION.node, node(n, j)));
    w.message(MODEL.functions, f);
  });
  if (opts.trainingAlgorithm) {
    w.message(MODEL.trainingInfo, new ProtoWriter().message(2, graph(opts.trainingAlgorithm)));
  }
  return w.message(MODEL.graph, graph(g)).finish();
}

/** A LinearRegressor y = x · coefficients + intercept over a float [N, F] input `x`, output `y` [N, 1]. */
export function linearRegressorOnnx(coefficients: number[], intercept: number): Uint8Array {
  return buildTestOnnx({
    nodes: [
      {
        opType: 'LinearRegressor',
        domain: 'ai.onnx.ml',
        inputs: ['x'],
        outputs: ['y'],
        attrs: [
          { name: 'coefficients', floats: coefficients },
          { name: 'intercepts', floats: [intercept] },
        ],
      },
    ],
    inputs: [{ name: 'x', elem: ELEM.float, shape: ['N', coefficients.length] }],
    outputs: [{ name: 'y', elem: ELEM.float, shape: ['N', 1] }],
  });
}

/**
 * A binary TreeEnsembleClassifier with one stump on feature 0: x0 <= threshold → class 0 with
 * probability `pLeft` of class 1, else `pRight`; outputs `label` int64 [N] and `probabilities` float [N, 2].
 * Leaf weights are given for both classes (weights [1 − p, p]), so onnxruntime reports them as they are.
 */
export function stumpClassifierOnnx(nFeatures: number, threshold: number, pLeft: number, pRight: number): Uint8Array {
  return buildTestOnnx({
    nodes: [
      {
        opType: 'TreeEnsembleClassifier',
        domain: 'ai.onnx.ml',
        inputs: ['x'],
        outputs: ['label', 'probabilities'],
        attrs: [
          { name: 'classlabels_int64s', ints: [0, 1] },
          { name: 'nodes_treeids', ints: [0, 0, 0] },
          { name: 'nodes_nodeids', ints: [0, 1, 2] },
          { name: 'nodes_featureids', ints: [0, 0, 0] },
          { name: 'nodes_modes', strings: ['BRANCH_LEQ', 'LEAF', 'LEAF'] },
          { name: 'nodes_values', floats: [threshold, 0, 0] },
          { name: 'nodes_truenodeids', ints: [1, 0, 0] },
          { name: 'nodes_falsenodeids', ints: [2, 0, 0] },
          { name: 'class_treeids', ints: [0, 0, 0, 0] },
          { name: 'class_nodeids', ints: [1, 1, 2, 2] },
          { name: 'class_ids', ints: [0, 1, 0, 1] },
          { name: 'class_weights', floats: [1 - pLeft, pLeft, 1 - pRight, pRight] },
          { name: 'post_transform', s: 'NONE' },
        ],
      },
    ],
    inputs: [{ name: 'x', elem: ELEM.float, shape: ['N', nFeatures] }],
    outputs: [
      { name: 'label', elem: ELEM.int64, shape: ['N'] },
      { name: 'probabilities', elem: ELEM.float, shape: ['N', 2] },
    ],
  });
}
