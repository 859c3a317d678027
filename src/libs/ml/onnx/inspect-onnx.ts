/**
 * Decode just enough of an untrusted ONNX ModelProto to decide whether Haven will load it:
 * versions, opsets, graph inputs/outputs, every operator used (including in subgraphs, local
 * functions and training graphs), and whether any tensor points at external data.
 * Large payloads (tensor data, attribute value arrays) are skipped, never copied.
 */
import { HavenError } from '../../../errors/haven-error.js';
import {
  ATTR,
  DATA_LOCATION_EXTERNAL,
  DIM,
  elemTypeName,
  ENTRY,
  FUNCTION,
  GRAPH,
  MODEL,
  NODE,
  normaliseDomain,
  OPSET,
  SHAPE,
  SPARSE_TENSOR,
  TENSOR,
  TENSOR_TYPE,
  TRAINING_INFO,
  TYPE,
  VALUE_INFO,
} from './onnx-proto.js';
import { ProtoReader } from './protobuf-reader.js';

/** One dimension: a fixed size, a symbolic name, or null when unknown. */
export type OnnxDim = number | string | null;

/** A graph input or output. */
export interface OnnxValueInfo {
  readonly name: string;
  /** The TypeProto case; `tensor` is the only one Haven can feed or read. */
  readonly kind: 'tensor' | 'sequence' | 'map' | 'optional' | 'sparse_tensor' | 'none';
  /** TensorProto.DataType of a tensor (0 when absent or not a tensor). */
  readonly elemType: number;
  /** onnx.proto name of `elemType` (e.g. `float`, `double`). */
  readonly elemTypeName: string;
  /** Dimensions of a tensor, or null when the shape is not given. */
  readonly shape: OnnxDim[] | null;
}

/** An operator used by the model, with how many nodes use it. */
export interface OnnxOpUse {
  /** Normalised domain: '' for the default domain (also written 'ai.onnx'). */
  readonly domain: string;
  readonly opType: string;
  readonly count: number;
}

/** What `inspectOnnxModel` reports. */
export interface OnnxModelInfo {
  readonly byteLength: number;
  readonly irVersion: number;
  readonly producerName: string;
  readonly producerVersion: string;
  /** Opset imports, domains normalised. */
  readonly opsets: { readonly domain: string; readonly version: number }[];
  /** Graph inputs that are not initializers (the values a caller must feed). */
  readonly inputs: OnnxValueInfo[];
  readonly outputs: OnnxValueInfo[];
  /** Every operator used in the main graph, subgraphs, local functions and training graphs. */
  readonly ops: OnnxOpUse[];
  /**
   * Largest per-row output width any node declares: its `n_targets` / `targets` attribute or the length of its
   * `classlabels_*` list (0 when no node has one). Bounds what onnxruntime allocates per row.
   */
  readonly maxOutputWidth: number;
  /** Graph-valued attributes (If/Loop/Scan bodies …) anywhere in the model. */
  readonly subgraphCount: number;
  /** Model-local functions (ModelProto.functions). */
  readonly functionCount: number;
  /** TrainingInfoProto entries (ignored by inference, but they carry graphs). */
  readonly trainingInfoCount: number;
  /** Number of initializer / constant tensors seen. */
  readonly tensorCount: number;
  /** True when any tensor has data_location = EXTERNAL or external_data entries. */
  readonly usesExternalData: boolean;
  /** metadata_props (later duplicates win). */
  readonly metadata: Readonly<Record<string, string>>;
}

interface Acc {
  ops: Map<string, { domain: string; opType: string; count: number }>;
  maxOutputWidth: number;
  subgraphs: number;
  tensors: number;
  external: boolean;
}

/** Scan a TensorProto for external data; returns its name. */
function readTensor(r: ProtoReader, acc: Acc): string {
  acc.tensors++;
  let name = '';
  while (!r.done()) {
    const { field, wire } = r.tag();
    if (field === TENSOR.name) {
      name = r.string(wire);
    } else if (field === TENSOR.dataLocation) {
      if (r.varint(wire) === DATA_LOCATION_EXTERNAL) {
        acc.external = true;
      }
    } else if (field === TENSOR.externalData) {
      r.skip(wire);
      acc.external = true;
    } else {
      r.skip(wire);
    }
  }
  return name;
}

function readSparseTensor(r: ProtoReader, acc: Acc): void {
  while (!r.done()) {
    const { field, wire } = r.tag();
    if (field === SPARSE_TENSOR.values || field === SPARSE_TENSOR.indices) {
      readTensor(r.message(wire), acc);
    } else {
      r.skip(wire);
    }
  }
}

/** Attributes that set how many values a node outputs per row (targets or classes). */
const WIDTH_INTS = new Set(['n_targets', 'targets']);
const WIDTH_LISTS = new Set(['classlabels_int64s', 'classlabels_strings', 'classlabels_ints']);

function readAttribute(r: ProtoReader, acc: Acc): void {
  let name = '';
  let i: number | undefined;
  let listLength = 0;
  while (!r.done()) {
    const { field, wire } = r.tag();
    switch (field) {
      case ATTR.name:
        name = r.string(wire);
        break;
      case ATTR.i:
        i = r.varint(wire);
        break;
      case ATTR.ints:
        listLength += r.countVarints(wire);
        break;
      case ATTR.strings:
        r.skip(wire);
        listLength++;
        break;
      case ATTR.t:
      case ATTR.tensors:
        readTensor(r.message(wire), acc);
        break;
      case ATTR.sparseTensor:
      case ATTR.sparseTensors:
        readSparseTensor(r.message(wire), acc);
        break;
      case ATTR.g:
      case ATTR.graphs:
        acc.subgraphs++;
        readGraph(r.message(wire), acc);
        break;
      default:
        r.skip(wire);
    }
  }
  if (WIDTH_INTS.has(name) && i !== undefined) {
    acc.maxOutputWidth = Math.max(acc.maxOutputWidth, i);
  } else if (WIDTH_LISTS.has(name)) {
    acc.maxOutputWidth = Math.max(acc.maxOutputWidth, listLength);
  }
}

function readNode(r: ProtoReader, acc: Acc): void {
  let opType = '';
  let domain = '';
  while (!r.done()) {
    const { field, wire } = r.tag();
    if (field === NODE.opType) {
      opType = r.string(wire);
    } else if (field === NODE.domain) {
      domain = normaliseDomain(r.string(wire));
    } else if (field === NODE.attribute) {
      readAttribute(r.message(wire), acc);
    } else {
      r.skip(wire);
    }
  }
  const key = `${domain}\u0000${opType}`;
  const use = acc.ops.get(key);
  if (use) {
    use.count++;
  } else {
    acc.ops.set(key, { domain, opType, count: 1 });
  }
}

function readShape(r: ProtoReader): OnnxDim[] {
  const dims: OnnxDim[] = [];
  while (!r.done()) {
    const { field, wire } = r.tag();
    if (field !== SHAPE.dim) {
      r.skip(wire);
      continue;
    }
    const d = r.message(wire);
    let dim: OnnxDim = null;
    while (!d.done()) {
      const t = d.tag();
      if (t.field === DIM.dimValue) {
        dim = d.varint(t.wire);
      } else if (t.field === DIM.dimParam) {
        dim = d.string(t.wire);
      } else {
        d.skip(t.wire);
      }
    }
    dims.push(dim);
  }
  return dims;
}

const TYPE_KINDS: ReadonlyMap<number, OnnxValueInfo['kind']> = new Map([
  [TYPE.tensorType, 'tensor'],
  [TYPE.sequenceType, 'sequence'],
  [TYPE.mapType, 'map'],
  [TYPE.optionalType, 'optional'],
  [TYPE.sparseTensorType, 'sparse_tensor'],
]);

function readValueInfo(r: ProtoReader): OnnxValueInfo {
  let name = '';
  let kind: OnnxValueInfo['kind'] = 'none';
  let elemType = 0;
  let shape: OnnxDim[] | null = null;
  while (!r.done()) {
    const { field, wire } = r.tag();
    if (field === VALUE_INFO.name) {
      name = r.string(wire);
    } else if (field === VALUE_INFO.type) {
      const t = r.message(wire);
      while (!t.done()) {
        const tt = t.tag();
        const k = TYPE_KINDS.get(tt.field);
        if (k === undefined) {
          t.skip(tt.wire);
          continue;
        }
        kind = k;
        if (k !== 'tensor') {
          t.skip(tt.wire);
          continue;
        }
        const tensor = t.message(tt.wire);
        while (!tensor.done()) {
          const x = tensor.tag();
          if (x.field === TENSOR_TYPE.elemType) {
            elemType = tensor.varint(x.wire);
          } else if (x.field === TENSOR_TYPE.shape) {
            shape = readShape(tensor.message(x.wire));
          } else {
            tensor.skip(x.wire);
          }
        }
      }
    } else {
      r.skip(wire);
    }
  }
  return { name, kind, elemType, elemTypeName: elemTypeName(elemType), shape };
}

interface GraphIo {
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  initializerNames: Set<string>;
}

function readGraph(r: ProtoReader, acc: Acc): GraphIo {
  const io: GraphIo = { inputs: [], outputs: [], initializerNames: new Set() };
  while (!r.done()) {
    const { field, wire } = r.tag();
    switch (field) {
      case GRAPH.node:
        readNode(r.message(wire), acc);
        break;
      case GRAPH.initializer:
        io.initializerNames.add(readTensor(r.message(wire), acc));
        break;
      case GRAPH.sparseInitializer:
        readSparseTensor(r.message(wire), acc);
        break;
      case GRAPH.input:
        io.inputs.push(readValueInfo(r.message(wire)));
        break;
      case GRAPH.output:
        io.outputs.push(readValueInfo(r.message(wire)));
        break;
      default:
        r.skip(wire);
    }
  }
  return io;
}

function malformed(reason: string): never {
  throw new HavenError('HAVEN_ONNX_MALFORMED', undefined, { detail: { reason } });
}

/**
 * Inspect untrusted ONNX bytes without running them.
 * @param bytes - a serialized ModelProto
 * @param opts - `maxBytes`: refuse larger inputs before parsing
 * @returns what the model declares and uses
 * @throws HavenError HAVEN_ONNX_TOO_LARGE over `maxBytes`; HAVEN_ONNX_MALFORMED for bytes that are not protobuf,
 *   are truncated, or lack an IR version or a graph
 */
export function inspectOnnxModel(bytes: Uint8Array, opts: { maxBytes?: number } = {}): OnnxModelInfo {
  if (opts.maxBytes !== undefined && bytes.length > opts.maxBytes) {
    throw new HavenError('HAVEN_ONNX_TOO_LARGE', undefined, { detail: { bytes: bytes.length, maxBytes: opts.maxBytes } });
  }
  const acc: Acc = { ops: new Map(), maxOutputWidth: 0, subgraphs: 0, tensors: 0, external: false };
  const r = new ProtoReader(bytes);
  let irVersion = 0;
  let producerName = '';
  let producerVersion = '';
  const opsets: { domain: string; version: number }[] = [];
  const metadata: [string, string][] = [];
  let io: GraphIo | undefined;
  let functionCount = 0;
  let trainingInfoCount = 0;
  while (!r.done()) {
    const { field, wire } = r.tag();
    switch (field) {
      case MODEL.irVersion:
        irVersion = r.varint(wire);
        break;
      case MODEL.producerName:
        producerName = r.string(wire);
        break;
      case MODEL.producerVersion:
        producerVersion = r.string(wire);
        break;
      case MODEL.graph:
        if (io !== undefined) {
          malformed('two graphs');
        }
        io = readGraph(r.message(wire), acc);
        break;
      case MODEL.opsetImport: {
        const o = r.message(wire);
        let domain = '';
        let version = 0;
        while (!o.done()) {
          const t = o.tag();
          if (t.field === OPSET.domain) {
            domain = normaliseDomain(o.string(t.wire));
          } else if (t.field === OPSET.version) {
            version = o.varint(t.wire);
          } else {
            o.skip(t.wire);
          }
        }
        opsets.push({ domain, version });
        break;
      }
      case MODEL.metadataProps: {
        const e = r.message(wire);
        let key = '';
        let value = '';
        while (!e.done()) {
          const t = e.tag();
          if (t.field === ENTRY.key) {
            key = e.string(t.wire);
          } else if (t.field === ENTRY.value) {
            value = e.string(t.wire);
          } else {
            e.skip(t.wire);
          }
        }
        metadata.push([key, value]);
        break;
      }
      case MODEL.functions: {
        functionCount++;
        const fn = r.message(wire);
        while (!fn.done()) {
          const t = fn.tag();
          if (t.field === FUNCTION.node) {
            readNode(fn.message(t.wire), acc);
          } else {
            fn.skip(t.wire);
          }
        }
        break;
      }
      case MODEL.trainingInfo: {
        trainingInfoCount++;
        const ti = r.message(wire);
        while (!ti.done()) {
          const t = ti.tag();
          if (t.field === TRAINING_INFO.initialization || t.field === TRAINING_INFO.algorithm) {
            acc.subgraphs++;
            readGraph(ti.message(t.wire), acc);
          } else {
            ti.skip(t.wire);
          }
        }
        break;
      }
      default:
        r.skip(wire);
    }
  }
  if (irVersion <= 0) {
    malformed('no ir_version');
  }
  if (io === undefined) {
    malformed('no graph');
  }
  const inputs = io.inputs.filter((i) => !io.initializerNames.has(i.name));
  return {
    byteLength: bytes.length,
    irVersion,
    producerName,
    producerVersion,
    opsets,
    inputs,
    outputs: io.outputs,
    ops: [...acc.ops.values()],
    maxOutputWidth: acc.maxOutputWidth,
    subgraphCount: acc.subgraphs,
    functionCount,
    trainingInfoCount,
    tensorCount: acc.tensors,
    usesExternalData: acc.external,
    metadata: Object.fromEntries(metadata),
  };
}
