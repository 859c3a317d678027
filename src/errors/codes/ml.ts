import type { CodeEntry } from '../code-entry.js';

/** Codes of the ml area (feature building, training, scoring, model validation). Messages never contain cell values. */
export const ML_CODES = {
  HAVEN_ML_TARGET_MISSING: { status: 400, category: 'input', message: 'target column is missing or not numeric' },
  HAVEN_ML_TARGET_NOT_FINITE: { status: 400, category: 'input', message: 'target contains NaN or infinite values' },
  HAVEN_ML_TARGET_CONSTANT: { status: 400, category: 'input', message: 'target is constant; nothing to learn' },
  HAVEN_ML_TARGET_NOT_BINARY: { status: 400, category: 'input', message: 'binary classification target must be 0 or 1' },
  HAVEN_ML_TOO_FEW_ROWS: { status: 400, category: 'input', message: 'too few rows to train a model' },
  HAVEN_ML_NO_FEATURES: { status: 400, category: 'input', message: 'no usable feature columns' },
  HAVEN_ML_FEATURE_NOT_NUMERIC: { status: 400, category: 'input', message: 'a numeric feature column holds a non-numeric value' },
  HAVEN_ML_SHAPE_MISMATCH: { status: 400, category: 'input', message: 'feature matrix, target or model dimensions do not match' },
  HAVEN_ML_BAD_OPTION: { status: 400, category: 'usage', message: 'invalid training option' },
  HAVEN_ML_MEMORY_LIMIT: { status: 413, category: 'limit', message: 'data set exceeds the configured memory limit for training' },
  HAVEN_ML_MODEL_INVALID: { status: 400, category: 'integrity', message: 'model object failed validation' },
  HAVEN_ML_TRAIN_CANCELLED: { status: 409, category: 'conflict', message: 'training was cancelled' },
  HAVEN_ML_SINGULAR: { status: 400, category: 'input', message: 'linear system is singular; features are collinear or constant' },
} as const satisfies Record<string, CodeEntry>;
