/** HIPAA Safe Harbor de-identification. See README.md. */
export * from './column-labels.js';
export { deidentify, createDeidentifier, type DeidentifyOptions, type DeidentifyResult, type Deidentifier, type ColumnReport, type DeidRow, type DeidValue } from './deidentify.js';
export { type DeidAction } from './plan-columns.js';
export { RESTRICTED_ZIP3, generaliseZip, type Zip3Result } from './safe-harbor-zip.js';
