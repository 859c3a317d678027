import type { CodeEntry } from '../code-entry.js';

/**
 * Codes of ONNX export, inspection, import checks and scoring through onnxruntime. Messages are fixed;
 * details carry byte offsets, counts, element-type numbers and sanitised op names — never feature values.
 */
export const ONNX_CODES = {
  HAVEN_ONNX_MALFORMED: { status: 400, category: 'input', message: 'the bytes are not a well-formed ONNX model (garbage or truncated)' },
  HAVEN_ONNX_TOO_LARGE: { status: 413, category: 'limit', message: 'the ONNX model exceeds the configured size limit' },
  HAVEN_ONNX_EXTERNAL_DATA: {
    status: 400,
    category: 'input',
    message: 'the ONNX model references external data files; only self-contained models are accepted',
  },
  HAVEN_ONNX_OP_NOT_ALLOWED: {
    status: 400,
    category: 'input',
    message: 'the ONNX model uses an operator, subgraph or local function outside the import allow-list',
  },
  HAVEN_ONNX_IO_UNSUPPORTED: {
    status: 400,
    category: 'input',
    message: 'the ONNX model must take one float or double tensor [N, features] and output a numeric score tensor',
  },
  HAVEN_ONNX_LOAD_FAILED: { status: 400, category: 'input', message: 'onnxruntime refused to load the ONNX model' },
  HAVEN_ONNX_SCORE_FAILED: { status: 500, category: 'internal', message: 'onnxruntime failed while scoring' },
} as const satisfies Record<string, CodeEntry>;
