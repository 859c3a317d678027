/**
 * The import gate for externally trained ONNX models (see docs/decisions/0020-onnx-export-and-import.md).
 * A model is accepted only when it is small enough, self-contained, built solely from a short list of
 * tabular-model operators, and has one float/double [N, F] input and a numeric score output.
 * Everything here works on `inspectOnnxModel`'s report: nothing is run.
 */
import { HavenError } from '../../../errors/haven-error.js';
import type { OnnxModelInfo, OnnxValueInfo } from './inspect-onnx.js';
import { DOMAIN_DEFAULT, DOMAIN_ML, ELEM } from './onnx-proto.js';

/**
 * Operators an imported model may use, as `domain/opType` ('' = default domain). Why each is here:
 * - the models this feature exists for: TreeEnsembleRegressor, TreeEnsembleClassifier (XGBoost, LightGBM,
 *   scikit-learn converters) and the linear baselines LinearRegressor, LinearClassifier;
 * - the glue those converters put around them: Cast (float ↔ double), Identity, Reshape and Flatten
 *   (output shaping), Sigmoid (logistic link), Normalizer (scikit-learn's binary LinearClassifier output).
 * Everything else is refused: control flow and subgraphs, string and sequence ops, random and
 * shape-generating ops, custom domains, ZipMap (its map output cannot be fetched — export with
 * zipmap=False), and TreeEnsemble v5 (newer kernel, not needed while converters emit v3).
 */
export const ONNX_IMPORT_ALLOWED_OPS: ReadonlySet<string> = new Set([
  `${DOMAIN_ML}/TreeEnsembleRegressor`,
  `${DOMAIN_ML}/TreeEnsembleClassifier`,
  `${DOMAIN_ML}/LinearRegressor`,
  `${DOMAIN_ML}/LinearClassifier`,
  `${DOMAIN_ML}/Normalizer`,
  `${DOMAIN_DEFAULT}/Cast`,
  `${DOMAIN_DEFAULT}/Identity`,
  `${DOMAIN_DEFAULT}/Reshape`,
  `${DOMAIN_DEFAULT}/Flatten`,
  `${DOMAIN_DEFAULT}/Sigmoid`,
]);

/** Most values per row any node may produce: one regression target, or two classes. */
export const MAX_OUTPUT_WIDTH = 2;

/** Most feature columns an imported model may declare (the scorer allocates rows × features cells). */
export const MAX_IMPORT_FEATURES = 100_000;

/** How to feed and read an accepted model. */
export interface ImportableOnnx {
  /** The single graph input. */
  readonly inputName: string;
  /** Its element type: what the scorer converts Haven's Float64 features to. */
  readonly inputType: 'float' | 'double';
  /** Number of feature columns (the input's second dimension). */
  readonly nFeatures: number;
  /** The graph output that carries the score. */
  readonly outputName: string;
  /** Columns of that output per row (1 for a regression/probability, 2 for binary class probabilities). */
  readonly outputColumns: number;
  /** Which column is the score: 0, or 1 (the positive class) when there are two. */
  readonly scoreColumn: number;
}

/** Limits the caller (the registry) passes from configuration. */
export interface OnnxImportLimits {
  /** Largest accepted model in bytes. */
  readonly maxBytes: number;
}

const REAL_TYPES: ReadonlyMap<number, 'float' | 'double'> = new Map([
  [ELEM.float, 'float'],
  [ELEM.double, 'double'],
]);

/** An op name safe to put in an error detail: printable identifier characters only, bounded length. */
function safeName(s: string): string {
  const clean = s.replace(/[^A-Za-z0-9_.-]/g, '?');
  return clean.length > 64 ? `${clean.slice(0, 64)}…` : clean;
}

function refuseOp(reason: string, extra: Record<string, string | number> = {}): never {
  throw new HavenError('HAVEN_ONNX_OP_NOT_ALLOWED', undefined, { detail: { reason, ...extra } });
}

function refuseIo(reason: string, extra: Record<string, string | number> = {}): never {
  throw new HavenError('HAVEN_ONNX_IO_UNSUPPORTED', undefined, { detail: { reason, ...extra } });
}

/** Score column of a candidate output, or undefined when it cannot be a per-row score. */
function scoreShape(o: OnnxValueInfo): { columns: number; column: number } | undefined {
  if (o.kind !== 'tensor' || !REAL_TYPES.has(o.elemType) || o.shape === null) {
    return undefined;
  }
  if (o.shape.length === 1) {
    return { columns: 1, column: 0 };
  }
  const last = o.shape[1];
  if (o.shape.length === 2 && (last === 1 || last === 2)) {
    return { columns: last, column: last - 1 };
  }
  return undefined;
}

/**
 * Decide whether an inspected ONNX model may be imported and scored, and how.
 * @param info - the report of `inspectOnnxModel`
 * @param limits - `maxBytes`: size limit from configuration
 * @returns the input/output plan for the scorer
 * @throws HavenError HAVEN_ONNX_TOO_LARGE | HAVEN_ONNX_EXTERNAL_DATA | HAVEN_ONNX_OP_NOT_ALLOWED (detail.reason:
 *   `function`, `subgraph`, `training-info` or `op` with domain/opType) | HAVEN_ONNX_IO_UNSUPPORTED (detail.reason:
 *   `output-width`, `no-nodes`, `input-count`, `input-type`, `input-shape` or `output`)
 */
export function checkImportableOnnx(info: OnnxModelInfo, limits: OnnxImportLimits): ImportableOnnx {
  if (info.byteLength > limits.maxBytes) {
    throw new HavenError('HAVEN_ONNX_TOO_LARGE', undefined, { detail: { bytes: info.byteLength, maxBytes: limits.maxBytes } });
  }
  if (info.usesExternalData) {
    throw new HavenError('HAVEN_ONNX_EXTERNAL_DATA');
  }
  if (info.functionCount > 0) {
    refuseOp('function', { count: info.functionCount });
  }
  if (info.trainingInfoCount > 0) {
    refuseOp('training-info', { count: info.trainingInfoCount });
  }
  if (info.subgraphCount > 0) {
    refuseOp('subgraph', { count: info.subgraphCount });
  }
  for (const op of info.ops) {
    if (!ONNX_IMPORT_ALLOWED_OPS.has(`${op.domain}/${op.opType}`)) {
      refuseOp('op', { domain: safeName(op.domain), opType: safeName(op.opType) });
    }
  }
  // Haven scores one target or a binary classifier; a node declaring more outputs per row (a hostile
  // n_targets makes onnxruntime allocate that many values per row) is refused before it is loaded.
  if (info.maxOutputWidth > MAX_OUTPUT_WIDTH) {
    refuseIo('output-width', { width: info.maxOutputWidth });
  }
  if (info.ops.length === 0) {
    refuseIo('no-nodes');
  }
  if (info.inputs.length !== 1) {
    refuseIo('input-count', { inputs: info.inputs.length });
  }
  const input = info.inputs[0]!;
  const inputType = input.kind === 'tensor' ? REAL_TYPES.get(input.elemType) : undefined;
  if (inputType === undefined) {
    refuseIo('input-type', { elemType: input.elemType, kind: input.kind });
  }
  const nFeatures = input.shape?.length === 2 ? input.shape[1] : undefined;
  if (typeof nFeatures !== 'number' || !Number.isSafeInteger(nFeatures) || nFeatures < 1 || nFeatures > MAX_IMPORT_FEATURES) {
    refuseIo('input-shape', { rank: input.shape?.length ?? -1 });
  }
  for (const o of info.outputs) {
    const s = scoreShape(o);
    if (s !== undefined) {
      return { inputName: input.name, inputType, nFeatures, outputName: o.name, outputColumns: s.columns, scoreColumn: s.column };
    }
  }
  return refuseIo('output', { outputs: info.outputs.length });
}
