import { HavenError } from '../../errors/haven-error.js';
import { buildFeatureMatrix, inferFeatureSpec, type FeatureMatrix, type FeatureSpec, type RawCell } from '../../libs/ml/feature-matrix.js';
import { parseTarget } from '../../libs/ml/target.js';
import type { ColumnHandling } from '../ingest/handling-policy.js';
import type { DatasetVersionRecord } from '../ingest/ingest-ports.js';
import type { Storage } from '../ports.js';

const PAGE_ROWS = 5000;

/** The split rule: every fifth stored row (row number divisible by 5) is held out for testing. */
export const SPLIT_RULE = 'test: row number % 5 == 0; validation (early stopping only): row number % 10 == 1';

/** A version's training data: features in the pseudonymised view, target, split masks. */
export interface TrainingData {
  readonly spec: FeatureSpec;
  readonly matrix: FeatureMatrix;
  readonly target: Float64Array;
  readonly isTest: Uint8Array;
  readonly isValid: Uint8Array | undefined;
  /** Columns never used as features (identifiers, pseudonymised join keys, the target). */
  readonly excluded: readonly string[];
}

/**
 * Columns a model may learn from: only those stored as plain values. Encrypted identifiers are not in the
 * pseudonymised view at all; pseudonymised join keys are in it but are row identities, not features.
 * @param handling - the version's handling policy
 */
export function featureColumns(handling: readonly ColumnHandling[]): { features: string[]; excluded: string[] } {
  return {
    features: handling.filter((h) => h.action === 'plain').map((h) => h.column),
    excluded: handling.filter((h) => h.action !== 'plain').map((h) => h.column),
  };
}

/**
 * Read a published version's plain columns (never decrypting anything) and build the training matrix.
 * @param storage - the database
 * @param version - the dataset version
 * @param target - the target column
 * @param opts - whether to carve out a validation set
 */
export async function loadTrainingData(storage: Storage, version: DatasetVersionRecord, target: string, opts: { validation: boolean }): Promise<TrainingData> {
  const { features, excluded } = featureColumns((version.policy ?? []) as ColumnHandling[]);
  if (!features.includes(target)) {
    throw new HavenError('HAVEN_ML_TARGET_MISSING', undefined, { detail: { column: target } });
  }
  const columns: Record<string, RawCell[]> = Object.fromEntries(features.map((f) => [f, []]));
  const rowNos: number[] = [];
  for (let after = 0; ;) {
    const page = await storage.read.datasets.rows(version.id, after, PAGE_ROWS);
    for (const r of page) {
      const doc = JSON.parse(r.data) as { v: Record<string, string> };
      for (const f of features) {
        columns[f]!.push(doc.v[f]);
      }
      rowNos.push(r.rowNo);
    }
    if (page.length < PAGE_ROWS) {
      break;
    }
    after = page.at(-1)!.rowNo;
  }
  const y = parseTarget(columns[target], target);
  const { spec } = inferFeatureSpec(columns, { exclude: [target] });
  const matrix = buildFeatureMatrix(spec, columns);
  const isTest = Uint8Array.from(rowNos, (n) => (n % 5 === 0 ? 1 : 0));
  const isValid = opts.validation ? Uint8Array.from(rowNos, (n) => (n % 10 === 1 ? 1 : 0)) : undefined;
  return { spec, matrix, target: y, isTest, isValid, excluded: [...excluded, target] };
}
