/**
 * The slice of the ONNX protobuf schema (onnx/onnx.proto3, IR version 8+) that export and inspection use:
 * field numbers per message, tensor element types and attribute types. Names follow onnx.proto.
 */

/** ModelProto fields. */
export const MODEL = {
  irVersion: 1,
  producerName: 2,
  producerVersion: 3,
  domain: 4,
  modelVersion: 5,
  docString: 6,
  graph: 7,
  opsetImport: 8,
  metadataProps: 14,
  trainingInfo: 20,
  functions: 25,
} as const;

/** OperatorSetIdProto fields. */
export const OPSET = { domain: 1, version: 2 } as const;

/** StringStringEntryProto fields. */
export const ENTRY = { key: 1, value: 2 } as const;

/** GraphProto fields. */
export const GRAPH = { node: 1, name: 2, initializer: 5, docString: 10, input: 11, output: 12, valueInfo: 13, sparseInitializer: 15 } as const;

/** NodeProto fields. */
export const NODE = { input: 1, output: 2, name: 3, opType: 4, attribute: 5, docString: 6, domain: 7 } as const;

/** AttributeProto fields. */
export const ATTR = {
  name: 1,
  f: 2,
  i: 3,
  s: 4,
  t: 5,
  g: 6,
  floats: 7,
  ints: 8,
  strings: 9,
  tensors: 10,
  graphs: 11,
  type: 20,
  sparseTensor: 22,
  sparseTensors: 23,
} as const;

/** AttributeProto.AttributeType values. */
export const ATTR_TYPE = { float: 1, int: 2, string: 3, tensor: 4, graph: 5, floats: 6, ints: 7, strings: 8, tensors: 9, graphs: 10 } as const;

/** TensorProto fields. */
export const TENSOR = { dims: 1, dataType: 2, floatData: 4, int64Data: 7, name: 8, rawData: 9, doubleData: 10, externalData: 13, dataLocation: 14 } as const;

/** TensorProto.DataLocation.EXTERNAL. */
export const DATA_LOCATION_EXTERNAL = 1;

/** SparseTensorProto fields. */
export const SPARSE_TENSOR = { values: 1, indices: 2 } as const;

/** TrainingInfoProto fields that hold graphs. */
export const TRAINING_INFO = { initialization: 1, algorithm: 2 } as const;

/** FunctionProto fields. */
export const FUNCTION = { name: 1, node: 7, domain: 10 } as const;

/** ValueInfoProto fields. */
export const VALUE_INFO = { name: 1, type: 2 } as const;

/** TypeProto fields (the `value` oneof). */
export const TYPE = { tensorType: 1, sequenceType: 4, mapType: 5, sparseTensorType: 8, optionalType: 9 } as const;

/** TypeProto.Tensor fields. */
export const TENSOR_TYPE = { elemType: 1, shape: 2 } as const;

/** TensorShapeProto fields. */
export const SHAPE = { dim: 1 } as const;

/** TensorShapeProto.Dimension fields. */
export const DIM = { dimValue: 1, dimParam: 2 } as const;

/** TensorProto.DataType values. */
export const ELEM = {
  undefined: 0,
  float: 1,
  uint8: 2,
  int8: 3,
  uint16: 4,
  int16: 5,
  int32: 6,
  int64: 7,
  string: 8,
  bool: 9,
  float16: 10,
  double: 11,
  uint32: 12,
  uint64: 13,
  complex64: 14,
  complex128: 15,
  bfloat16: 16,
} as const;

const ELEM_NAMES: ReadonlyMap<number, string> = new Map(Object.entries(ELEM).map(([k, v]) => [v, k]));

/** Element types that hold real or integer numbers (not strings, booleans or complex numbers). */
export const NUMERIC_ELEMS: ReadonlySet<number> = new Set([
  ELEM.float,
  ELEM.uint8,
  ELEM.int8,
  ELEM.uint16,
  ELEM.int16,
  ELEM.int32,
  ELEM.int64,
  ELEM.float16,
  ELEM.double,
  ELEM.uint32,
  ELEM.uint64,
  ELEM.bfloat16,
]);

/**
 * The onnx.proto name of a tensor element type.
 * @param t - TensorProto.DataType number
 * @returns e.g. `float`, `double`, or `unknown(99)`
 */
export function elemTypeName(t: number): string {
  return ELEM_NAMES.get(t) ?? `unknown(${t})`;
}

/** The ONNX default operator domain ('' and 'ai.onnx' name the same domain). */
export const DOMAIN_DEFAULT = '';

/** The ONNX traditional-ML operator domain. */
export const DOMAIN_ML = 'ai.onnx.ml';

/**
 * Normalise an operator domain: 'ai.onnx' becomes ''.
 * @param d - domain as written in the model
 */
export function normaliseDomain(d: string): string {
  return d === 'ai.onnx' ? DOMAIN_DEFAULT : d;
}
