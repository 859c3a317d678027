/** Public API of the CSV format library: streaming reader, writer, schema inference and validation. */
export { CSV_DELIMITERS, DEFAULT_CSV_LIMITS, isCsvDelimiter, type CsvDelimiter, type CsvLimits } from './csv-options.js';
export { detectDelimiter } from './detect-delimiter.js';
export {
  CsvReader,
  createCsvReader,
  parseCsv,
  type CsvBatch,
  type CsvReaderOptions,
  type CsvRecord,
  type CsvRejectedRow,
  type CsvRowRejectCode,
  type CsvSummary,
  type ParsedCsv,
} from './csv-reader.js';
export { formatCsv, formatCsvField, formatCsvRecord, neutraliseFormula, type CsvWriteOptions } from './csv-writer.js';
export { parseDate, type DateFormat } from './date-parse.js';
export { ColumnTypeAccumulator, SchemaInferrer, inferSchema, numberShape, type ColumnType, type InferOptions, type InferredColumn } from './schema-infer.js';
export {
  checkHeaderAgainstSchema,
  validateRecord,
  type DeclaredColumn,
  type DeclaredSchema,
  type RecordRejectCode,
  type RecordValidation,
  type TypedValue,
} from './validate-record.js';
