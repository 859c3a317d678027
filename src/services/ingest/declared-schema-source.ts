import { checkHeaderAgainstSchema, formatCsvRecord, validateRecord, type DeclaredSchema } from '../../libs/formats/csv/index.js';
import type { TabularBatch, TabularRecord, TabularRejected, TabularSource } from './tabular-source.js';

/**
 * Enforce a declared schema on a table. The source is read up to its header first and the header checked (names and
 * order, case-insensitive): a mismatch throws HAVEN_CSV_SCHEMA_MISMATCH before the caller opens a version, so nothing
 * is written. Then each accepted record is validated: a type error, an out-of-range value or a missing required value
 * moves it to the rejected rows with the reason code (HAVEN_CSV_TYPE_MISMATCH, HAVEN_CSV_OUT_OF_RANGE,
 * HAVEN_CSV_MISSING_REQUIRED), and its fields as one CSV line for the encrypted quarantine. Values are never in codes.
 * @param source - the table as read
 * @param schema - the declared schema
 */
export async function enforceDeclaredSchema(source: TabularSource, schema: DeclaredSchema): Promise<TabularSource> {
  const iterator = source.batches()[Symbol.asyncIterator]();
  const head: TabularBatch[] = [];
  let ended = false;
  try {
    for (;;) {
      const next = await iterator.next();
      if (next.done) {
        ended = true;
        break;
      }
      head.push(next.value);
      if (next.value.header !== undefined) {
        checkHeaderAgainstSchema(next.value.header, schema);
        break;
      }
    }
  } catch (err) {
    // Stop reading the upload: the import never begins.
    await iterator.return?.(undefined).catch(() => undefined);
    throw err;
  }
  const validate = (batch: TabularBatch): TabularBatch => {
    const records: TabularRecord[] = [];
    const rejected: TabularRejected[] = [...batch.rejected];
    for (const r of batch.records) {
      const result = validateRecord(r.fields, schema);
      if (result.ok) {
        records.push(r);
      } else {
        rejected.push({
          row: r.row,
          line: r.line,
          code: result.code,
          raw: formatCsvRecord(r.fields, { neutraliseFormulas: false, lineEnding: '\n' }).slice(0, -1),
        });
      }
    }
    rejected.sort((a, b) => a.row - b.row);
    return { header: batch.header, records, rejected };
  };
  return {
    format: source.format,
    sha256: () => source.sha256(),
    async *batches() {
      for (const b of head) {
        yield validate(b);
      }
      if (ended) {
        return;
      }
      for (;;) {
        const next = await iterator.next();
        if (next.done) {
          return;
        }
        yield validate(next.value);
      }
    },
  };
}
