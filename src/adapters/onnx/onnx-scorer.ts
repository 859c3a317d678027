/**
 * Score ONNX models through onnxruntime-node (CPU). Bytes are always inspected and checked against the
 * import allow-list first (libs/ml/onnx) and handed to onnxruntime as a buffer, never as a path, so a model
 * cannot make onnxruntime open files. Haven's column-major features are converted to the model's
 * row-major float/double input in bounded batches.
 */
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { HavenError } from '../../errors/haven-error.js';
import type { FeatureData } from '../../libs/ml/feature-matrix.js';
import { checkImportableOnnx, inspectOnnxModel, type ImportableOnnx, type OnnxModelInfo } from '../../libs/ml/onnx/index.js';

/** A loaded model ready to score. */
export interface OnnxScorer {
  /** Feature columns the model expects, in order. */
  readonly nFeatures: number;
  /** The inspection report and the accepted input/output plan. */
  readonly info: OnnxModelInfo;
  readonly plan: ImportableOnnx;
  /**
   * Score rows.
   * @param data - column-major features (`data[c * nRows + r]`, NaN = missing), exactly nFeatures × nRows cells
   * @param nRows - number of rows
   * @returns one score per row (a probability for classifiers)
   */
  score(data: FeatureData, nRows: number): Promise<Float64Array>;
  /** Release the onnxruntime session. */
  close(): Promise<void>;
}

/** Options of `loadOnnxScorer`. */
export interface OnnxScorerOptions {
  /** Size limit of the model in bytes (from configuration). */
  readonly maxBytes: number;
  /** onnxruntime intra-op threads (default 1: scoring shares the server process). */
  readonly threads?: number;
  /** Rows per onnxruntime call (default: up to 65,536 rows and about 4 M cells), bounding the row-major copy. */
  readonly batchRows?: number;
}

const MAX_BATCH_ROWS = 65_536;
const MAX_BATCH_CELLS = 1 << 22;

/**
 * Inspect, check and load ONNX bytes.
 * @param bytes - a serialized ONNX model (e.g. from `exportGbdtToOnnx` or a steward's upload)
 * @param opts - size limit, threads, batch size
 * @returns a scorer; call `close()` when done
 * @throws HavenError HAVEN_ONNX_MALFORMED | TOO_LARGE | EXTERNAL_DATA | OP_NOT_ALLOWED | IO_UNSUPPORTED from the
 *   checks, HAVEN_ONNX_LOAD_FAILED when onnxruntime rejects the model, or its inputs/outputs, or the output of a
 *   one-row probe, differ from what the model declares
 */
export async function loadOnnxScorer(bytes: Uint8Array, opts: OnnxScorerOptions): Promise<OnnxScorer> {
  const info = inspectOnnxModel(bytes, { maxBytes: opts.maxBytes });
  const plan = checkImportableOnnx(info, { maxBytes: opts.maxBytes });
  let session: InferenceSession;
  try {
    session = await InferenceSession.create(bytes, {
      executionProviders: ['cpu'],
      intraOpNumThreads: opts.threads ?? 1,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      logSeverityLevel: 4,
    });
  } catch (cause) {
    throw new HavenError('HAVEN_ONNX_LOAD_FAILED', undefined, { cause });
  }
  if (session.inputNames.length !== 1 || session.inputNames[0] !== plan.inputName || !session.outputNames.includes(plan.outputName)) {
    await session.release();
    throw new HavenError('HAVEN_ONNX_LOAD_FAILED', 'onnxruntime sees different inputs or outputs than the model declares');
  }
  // Probe one row: the output onnxruntime actually produces must match the declared one before any real data flows.
  try {
    await scoreRows(session, plan, new Float64Array(plan.nFeatures), 1, 1);
  } catch (cause) {
    await session.release();
    throw new HavenError('HAVEN_ONNX_LOAD_FAILED', 'the model does not produce the output it declares', { cause });
  }
  const batchRows = Math.max(1, opts.batchRows ?? Math.min(MAX_BATCH_ROWS, Math.floor(MAX_BATCH_CELLS / plan.nFeatures)));
  return {
    nFeatures: plan.nFeatures,
    info,
    plan,
    score: (data, nRows) => scoreRows(session, plan, data, nRows, batchRows),
    close: () => session.release(),
  };
}

async function scoreRows(session: InferenceSession, plan: ImportableOnnx, data: FeatureData, nRows: number, batchRows: number): Promise<Float64Array> {
  const nF = plan.nFeatures;
  if (!Number.isSafeInteger(nRows) || nRows < 0 || data.length !== nRows * nF) {
    throw new HavenError('HAVEN_ML_SHAPE_MISMATCH', undefined, { detail: { modelFeatures: nF, cells: data.length, rows: nRows } });
  }
  const out = new Float64Array(nRows);
  for (let r0 = 0; r0 < nRows; r0 += batchRows) {
    const m = Math.min(batchRows, nRows - r0);
    const rows = plan.inputType === 'double' ? new Float64Array(m * nF) : new Float32Array(m * nF);
    for (let c = 0; c < nF; c++) {
      const base = c * nRows + r0;
      for (let j = 0; j < m; j++) {
        rows[j * nF + c] = data[base + j]!;
      }
    }
    const input = new Tensor(plan.inputType === 'double' ? 'float64' : 'float32', rows, [m, nF]);
    let values: unknown;
    try {
      const outputs = await session.run({ [plan.inputName]: input }, [plan.outputName]);
      values = outputs[plan.outputName]?.data;
    } catch (cause) {
      throw new HavenError('HAVEN_ONNX_SCORE_FAILED', undefined, { cause, detail: { rows: m } });
    } finally {
      input.dispose();
    }
    if (!(values instanceof Float32Array || values instanceof Float64Array) || values.length !== m * plan.outputColumns) {
      throw new HavenError('HAVEN_ONNX_SCORE_FAILED', 'the score output has an unexpected type or size', { detail: { rows: m } });
    }
    for (let j = 0; j < m; j++) {
      out[r0 + j] = values[j * plan.outputColumns + plan.scoreColumn]!;
    }
  }
  return out;
}
