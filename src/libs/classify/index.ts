/** Public API of column classification: streaming classifiers, the dataset helper and the types. */
export type { ClassEvidence, ClassKind, ClassLabel, ColumnClassification, DetectorCount, DirectKind, QuasiKind, SensitiveKind, SpanKind } from './classification-types.js';
export { DatasetClassifier, assertNoSecrets, classifyDataset } from './classify-dataset.js';
export { createColumnClassifier, type ColumnClassifier, type ColumnClassifierOptions } from './column-classifier.js';
export type { SecretKind } from './secret-detectors.js';
