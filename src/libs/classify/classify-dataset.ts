import { HavenError } from '../../errors/haven-error.js';
import type { ColumnClassification } from './classification-types.js';
import { createColumnClassifier, type ColumnClassifier, type ColumnClassifierOptions } from './column-classifier.js';

/**
 * Classifies every column of a file as records stream past: `observe(record)`, then `result()`.
 * Memory is bounded per column (a distinct-count sketch and counters), whatever the row count.
 */
export class DatasetClassifier {
  private readonly columns: ColumnClassifier[];

  /**
   * @param headers - column names, in record order
   * @param options - sampling knobs for every column
   */
  constructor(headers: readonly string[], options: ColumnClassifierOptions = {}) {
    this.columns = headers.map((h) => createColumnClassifier(h, options));
  }

  /** @param record - one record's fields, in header order (missing fields count as empty) */
  observe(record: readonly string[]): void {
    const cols = this.columns;
    for (let k = 0; k < cols.length; k++) {
      cols[k]!.observe(record[k] ?? '');
    }
  }

  /** One classification per column, in header order. */
  result(): ColumnClassification[] {
    return this.columns.map((c) => c.result());
  }
}

/**
 * Classify a whole dataset (or a sample of its rows) in one call.
 * @param headers - column names
 * @param rows - records in header order
 * @param options - sampling knobs
 * @returns one classification per column
 */
export function classifyDataset(headers: readonly string[], rows: Iterable<readonly string[]>, options: ColumnClassifierOptions = {}): ColumnClassification[] {
  const d = new DatasetClassifier(headers, options);
  for (const r of rows) {
    d.observe(r);
  }
  return d.result();
}

/**
 * Stop an import when any column holds credentials. The error names the first such column and
 * how many there are; never the secret.
 * @param results - the column classifications
 * @throws HavenError HAVEN_CLASSIFY_SECRET_FOUND
 */
export function assertNoSecrets(results: readonly ColumnClassification[]): void {
  const secret = results.filter((r) => r.label === 'secret');
  if (secret.length > 0) {
    const first = secret[0]!;
    throw new HavenError('HAVEN_CLASSIFY_SECRET_FOUND', undefined, {
      detail: { column: first.column, kind: first.kind ?? 'credential', columns: secret.length },
    });
  }
}
