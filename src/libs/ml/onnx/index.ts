/**
 * ONNX support of the ml lib (pure: bytes in, bytes or plain objects out). See ../README.md § ONNX and
 * docs/decisions/0020-onnx-export-and-import.md.
 */
export {
  checkImportableOnnx,
  MAX_IMPORT_FEATURES,
  MAX_OUTPUT_WIDTH,
  ONNX_IMPORT_ALLOWED_OPS,
  type ImportableOnnx,
  type OnnxImportLimits,
} from './check-importable.js';
export { exportGbdtToOnnx, float32Below, ONNX_EXPORT_VERSION, ONNX_INPUT_NAME, ONNX_META, type OnnxExportOptions } from './export-gbdt.js';
export { inspectOnnxModel, type OnnxDim, type OnnxModelInfo, type OnnxOpUse, type OnnxValueInfo } from './inspect-onnx.js';
