/**
 * Public API of the ml lib (pure compute). See README.md for the pipeline and the model format.
 */
export { binMatrix, binValue, fitBinMapper, MAX_VALUE_BINS, type BinMapper } from './binning.js';
export {
  buildFeatureMatrix, inferFeatureSpec, isMissingCell, matrixFromColumns, parseNumericCell, rowsToColumns, selectRows, specColumnNames,
  type ColumnSpec, type FeatureData, type FeatureMatrix, type FeatureSpec, type RawCell, type RawColumns, type SpecNote,
} from './feature-matrix.js';
export { estimateGbdtBytes, featureImportance, MAX_TRAIN_THREADS, trainGbdt, type GbdtOptions, type GbdtProgress } from './gbdt.js';
export { liveTrainingThreads } from './parallel/team.js';
export { validateModel, type GbdtModel, type GbdtObjectiveName, type GbdtTree } from './gbdt-model.js';
export { fitLogistic, fitRidge, predictLinear, type LinearModel } from './linear.js';
export { buildLosData, LOS_DROPPED, LOS_FEATURES, LOS_TARGET, type LosData } from './los-features.js';
export {
  auc, calibrationBins, logLoss, losDayAccuracy, mae, r2, rae, regressionReport, rmse, rse, type CalibrationBin, type RegressionReport,
} from './metrics.js';
export { predictGbdt } from './predict.js';
export { createPrng, type Prng } from './prng.js';
export { checkTarget, parseTarget } from './target.js';
