/**
 * Export a Haven GBDT model to ONNX (see docs/decisions/0020-onnx-export-and-import.md).
 *
 * Graph: `features` [N, F] (double by default) ──TreeEnsembleRegressor (ai.onnx.ml v3)──► `score` float [N, 1];
 * for `logloss` the raw score then goes through Sigmoid (ai.onnx) to `probability` float [N, 1].
 * Node i of Haven tree t is ONNX node (t, i): BRANCH_LEQ with `x <= threshold` going to the "true"
 * (left) child, and `nodes_missing_value_tracks_true = defaultLeft`, which is exactly Haven's rule.
 *
 * With a double input the thresholds, leaf weights and base score are stored as double tensors
 * (`*_as_tensor`), so every branch decision is the one Haven makes and the sum is accumulated in double;
 * onnxruntime only rounds the final score to float32. With a float input the thresholds are rounded
 * DOWN to float32, which keeps `x <= threshold` identical for every float32-representable x.
 */
import { validateModel, type GbdtModel } from '../gbdt-model.js';
import {
  ATTR,
  ATTR_TYPE,
  DIM,
  DOMAIN_DEFAULT,
  DOMAIN_ML,
  ELEM,
  ENTRY,
  GRAPH,
  MODEL,
  NODE,
  OPSET,
  SHAPE,
  TENSOR,
  TENSOR_TYPE,
  TYPE,
  VALUE_INFO,
} from './onnx-proto.js';
import { ProtoWriter } from './protobuf-writer.js';

/** ONNX IR version written (IR 8 = ONNX 1.10+, read by every onnxruntime since 1.10). */
export const EXPORT_IR_VERSION = 8;
/** Default-domain opset written (only Sigmoid is used from it). */
export const EXPORT_OPSET_DEFAULT = 15;
/** ai.onnx.ml opset written (v3 adds the double `*_as_tensor` attributes). */
export const EXPORT_OPSET_ML = 3;
/** Name of the single graph input. */
export const ONNX_INPUT_NAME = 'features';
/** Version of the metadata layout below; bump when keys change. */
export const ONNX_EXPORT_VERSION = 1;

/** metadata_props keys written by the exporter. */
export const ONNX_META = {
  exportVersion: 'haven.onnx_export_version',
  modelFormat: 'haven.model_format',
  modelFormatVersion: 'haven.model_format_version',
  objective: 'haven.objective',
  featureNames: 'haven.feature_names',
  inputType: 'haven.input_type',
  output: 'haven.output',
} as const;

/** Options of `exportGbdtToOnnx`. */
export interface OnnxExportOptions {
  /** Element type of the `features` input: `double` (default; decisions identical to Haven's) or `float`. */
  readonly inputType?: 'double' | 'float';
  /** Written as producer_version (e.g. Haven's version); default '0'. */
  readonly producerVersion?: string;
  /** Written as model_version (e.g. the registry version number); default 1. */
  readonly modelVersion?: number;
  /** Extra metadata_props (e.g. registry ids); keys starting with `haven.` are reserved and ignored. */
  readonly metadata?: Readonly<Record<string, string>>;
}

/** Largest float32 that is <= x (x finite). */
export function float32Below(x: number): number {
  const f = Math.fround(x);
  if (f <= x) {
    return f;
  }
  // f rounded up: step one float32 toward −∞ through the bit pattern.
  const dv = new DataView(new ArrayBuffer(4));
  dv.setFloat32(0, f);
  const bits = dv.getUint32(0);
  if (f === 0) {
    dv.setUint32(0, 0x80000001); // −(smallest subnormal)
  } else {
    dv.setUint32(0, f > 0 ? bits - 1 : bits + 1);
  }
  return dv.getFloat32(0);
}

function attr(name: string, type: number, fill: (w: ProtoWriter) => void): ProtoWriter {
  const w = new ProtoWriter().string(ATTR.name, name).varint(ATTR.type, type);
  fill(w);
  return w;
}

const intsAttr = (name: string, v: ArrayLike<number>): ProtoWriter => attr(name, ATTR_TYPE.ints, (w) => w.packedVarints(ATTR.ints, v));
const floatsAttr = (name: string, v: ArrayLike<number>): ProtoWriter => attr(name, ATTR_TYPE.floats, (w) => w.packedFloats(ATTR.floats, v));
const intAttr = (name: string, v: number): ProtoWriter => attr(name, ATTR_TYPE.int, (w) => w.varint(ATTR.i, v));
const stringAttr = (name: string, v: string): ProtoWriter => attr(name, ATTR_TYPE.string, (w) => w.string(ATTR.s, v));

function stringsAttr(name: string, v: readonly string[]): ProtoWriter {
  return attr(name, ATTR_TYPE.strings, (w) => v.forEach((s) => w.string(ATTR.strings, s)));
}

function doubleTensorAttr(name: string, v: ArrayLike<number>): ProtoWriter {
  const raw = new Uint8Array(v.length * 8);
  const dv = new DataView(raw.buffer);
  for (let i = 0; i < v.length; i++) {
    dv.setFloat64(i * 8, v[i]!, true);
  }
  const t = new ProtoWriter().packedVarints(TENSOR.dims, [v.length]).varint(TENSOR.dataType, ELEM.double).bytes(TENSOR.rawData, raw);
  return attr(name, ATTR_TYPE.tensor, (w) => w.message(ATTR.t, t));
}

/** A tensor ValueInfoProto with shape [N, cols] (N symbolic). */
function tensorValueInfo(name: string, elem: number, cols: number): ProtoWriter {
  const shape = new ProtoWriter()
    .message(SHAPE.dim, new ProtoWriter().string(DIM.dimParam, 'N'))
    .message(SHAPE.dim, new ProtoWriter().varint(DIM.dimValue, cols));
  const tensorType = new ProtoWriter().varint(TENSOR_TYPE.elemType, elem).message(TENSOR_TYPE.shape, shape);
  return new ProtoWriter().string(VALUE_INFO.name, name).message(VALUE_INFO.type, new ProtoWriter().message(TYPE.tensorType, tensorType));
}

function node(opType: string, domain: string, inputs: string[], outputs: string[], attrs: ProtoWriter[]): ProtoWriter {
  const w = new ProtoWriter();
  inputs.forEach((s) => w.string(NODE.input, s));
  outputs.forEach((s) => w.string(NODE.output, s));
  w.string(NODE.name, `${opType}_0`).string(NODE.opType, opType);
  attrs.forEach((a) => w.message(NODE.attribute, a));
  return w.string(NODE.domain, domain);
}

/** The flat ONNX node/leaf arrays of a whole ensemble. */
function flattenTrees(model: GbdtModel): {
  treeIds: number[];
  nodeIds: number[];
  featureIds: number[];
  modes: string[];
  thresholds: number[];
  trueIds: number[];
  falseIds: number[];
  missingTrue: number[];
  leafTree: number[];
  leafNode: number[];
  leafWeight: number[];
} {
  const o = {
    treeIds: [] as number[],
    nodeIds: [] as number[],
    featureIds: [] as number[],
    modes: [] as string[],
    thresholds: [] as number[],
    trueIds: [] as number[],
    falseIds: [] as number[],
    missingTrue: [] as number[],
    leafTree: [] as number[],
    leafNode: [] as number[],
    leafWeight: [] as number[],
  };
  // An ensemble with no trees still needs one node: a single leaf worth 0.
  const trees = model.trees.length > 0 ? model.trees : [{ feature: [-1], threshold: [0], left: [-1], right: [-1], value: [0], defaultLeft: [0] }];
  trees.forEach((t, ti) => {
    for (let i = 0; i < t.feature.length; i++) {
      const leaf = t.feature[i]! < 0;
      o.treeIds.push(ti);
      o.nodeIds.push(i);
      o.featureIds.push(leaf ? 0 : t.feature[i]!);
      o.modes.push(leaf ? 'LEAF' : 'BRANCH_LEQ');
      o.thresholds.push(leaf ? 0 : t.threshold[i]!);
      o.trueIds.push(leaf ? 0 : t.left[i]!);
      o.falseIds.push(leaf ? 0 : t.right[i]!);
      o.missingTrue.push(leaf ? 0 : t.defaultLeft[i]!);
      if (leaf) {
        o.leafTree.push(ti);
        o.leafNode.push(i);
        o.leafWeight.push(t.value[i]!);
      }
    }
  });
  return o;
}

/**
 * Encode a trained GBDT model as a self-contained ONNX ModelProto.
 * @param model - a trained or validated Haven model (validated again here)
 * @param opts - input element type, producer/model versions, extra metadata
 * @returns the ONNX bytes (score them with onnxruntime: input `features` [N, F], output `score` or `probability` [N, 1])
 * @throws HavenError HAVEN_ML_MODEL_INVALID when `model` is not a well-formed GbdtModel
 */
export function exportGbdtToOnnx(model: GbdtModel, opts: OnnxExportOptions = {}): Uint8Array {
  validateModel(model);
  const inputType = opts.inputType ?? 'double';
  const nF = model.featureNames.length;
  const f = flattenTrees(model);
  const isDouble = inputType === 'double';

  const ensembleAttrs = [
    intAttr('n_targets', 1),
    stringAttr('aggregate_function', 'SUM'),
    stringAttr('post_transform', 'NONE'),
    intsAttr('nodes_treeids', f.treeIds),
    intsAttr('nodes_nodeids', f.nodeIds),
    intsAttr('nodes_featureids', f.featureIds),
    stringsAttr('nodes_modes', f.modes),
    intsAttr('nodes_truenodeids', f.trueIds),
    intsAttr('nodes_falsenodeids', f.falseIds),
    intsAttr('nodes_missing_value_tracks_true', f.missingTrue),
    intsAttr('target_treeids', f.leafTree),
    intsAttr('target_nodeids', f.leafNode),
    intsAttr('target_ids', new Array<number>(f.leafTree.length).fill(0)),
    isDouble ? doubleTensorAttr('nodes_values_as_tensor', f.thresholds) : floatsAttr('nodes_values', f.thresholds.map(float32Below)),
    isDouble ? doubleTensorAttr('target_weights_as_tensor', f.leafWeight) : floatsAttr('target_weights', f.leafWeight),
    isDouble ? doubleTensorAttr('base_values_as_tensor', [model.baseScore]) : floatsAttr('base_values', [model.baseScore]),
  ];

  const logistic = model.objective === 'logloss';
  const outputName = logistic ? 'probability' : 'score';
  const graph = new ProtoWriter().message(
    GRAPH.node,
    node('TreeEnsembleRegressor', DOMAIN_ML, [ONNX_INPUT_NAME], [logistic ? 'raw_score' : outputName], ensembleAttrs),
  );
  if (logistic) {
    graph.message(GRAPH.node, node('Sigmoid', DOMAIN_DEFAULT, ['raw_score'], [outputName], []));
  }
  graph
    .string(GRAPH.name, 'haven_gbdt')
    .message(GRAPH.input, tensorValueInfo(ONNX_INPUT_NAME, isDouble ? ELEM.double : ELEM.float, nF))
    .message(GRAPH.output, tensorValueInfo(outputName, ELEM.float, 1));

  const meta: [string, string][] = [
    [ONNX_META.exportVersion, String(ONNX_EXPORT_VERSION)],
    [ONNX_META.modelFormat, model.format],
    [ONNX_META.modelFormatVersion, String(model.version)],
    [ONNX_META.objective, model.objective],
    [ONNX_META.featureNames, JSON.stringify(model.featureNames)],
    [ONNX_META.inputType, inputType],
    [ONNX_META.output, outputName],
    ...Object.entries(opts.metadata ?? {}).filter(([k]) => !k.startsWith('haven.')),
  ];

  const w = new ProtoWriter()
    .varint(MODEL.irVersion, EXPORT_IR_VERSION)
    .string(MODEL.producerName, 'haven')
    .string(MODEL.producerVersion, opts.producerVersion ?? '0')
    .string(MODEL.domain, 'org.haven')
    .varint(MODEL.modelVersion, opts.modelVersion ?? 1)
    .string(MODEL.docString, `Haven GBDT (${model.objective}, ${model.trees.length} trees, ${nF} features)`)
    .message(MODEL.opsetImport, new ProtoWriter().string(OPSET.domain, DOMAIN_DEFAULT).varint(OPSET.version, EXPORT_OPSET_DEFAULT))
    .message(MODEL.opsetImport, new ProtoWriter().string(OPSET.domain, DOMAIN_ML).varint(OPSET.version, EXPORT_OPSET_ML));
  for (const [k, v] of meta) {
    w.message(MODEL.metadataProps, new ProtoWriter().string(ENTRY.key, k).string(ENTRY.value, v));
  }
  // The graph goes last: any truncation then cuts either the graph (a length past the end) or
  // everything before it (no graph), so a truncated export never parses as a smaller valid model.
  return w.message(MODEL.graph, graph).finish();
}
