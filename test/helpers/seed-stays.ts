import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { FLAG_COLUMNS, LAB_COLUMNS, type LosRecord } from '../../src/libs/formats/fhir/los-record.js';
import { fitOodProfile, scoreOod } from '../../src/libs/ml-defence/ood.js';
import { buildLosData, fitRidge, predictLinear, rowsToColumns } from '../../src/libs/ml/index.js';
import { generateLosRecords } from '../../src/libs/synth/index.js';
import type { TestInstance } from './test-instance.js';

/** A synthetic encounter to seed, with the prediction a real (ridge) model made for it at admission. */
export interface SeedStay {
  readonly id: string;
  readonly record: LosRecord;
  /** Still in hospital (no discharge yet). */
  readonly inHospital: boolean;
  readonly predicted: number;
  readonly ood: boolean;
  readonly oodFeatures: readonly string[];
}

/** Options of synthStays. */
export interface SeedOptions {
  readonly rows: number;
  readonly seed: number;
  /** How many of the rows (the last ones) are still in hospital. */
  readonly inHospital: number;
  /** First eid (default 2,000,001; never a sample or FHIR-demo eid). */
  readonly startEid?: number;
  /** Every n-th row gets an implausible sodium (as the reference demo messages do), to exercise the OOD flags. */
  readonly oodEvery?: number;
}

function features(records: readonly LosRecord[]): ReturnType<typeof buildLosData> {
  return buildLosData(rowsToColumns(records as unknown as Record<string, string | number>[]));
}

function rowMajor(m: ReturnType<typeof buildLosData>['matrix']): number[][] {
  return Array.from({ length: m.nRows }, (_, r) => Array.from({ length: m.nCols }, (_, c) => m.data[c * m.nRows + r]!));
}

/**
 * Synthetic encounters (src/libs/synth) with predictions from a ridge model trained on a separate synthetic sample and
 * out-of-distribution flags from the OOD profile of that sample (src/libs/ml, src/libs/ml-defence): real model output,
 * computed in-process so seeding 100,000 stays takes seconds rather than a training run.
 * @param opts - rows, seed, how many are still in hospital, OOD rate
 */
export function synthStays(opts: SeedOptions): SeedStay[] {
  const train = [...generateLosRecords({ rows: 3000, seed: opts.seed + 1, startEid: 9_000_001 })];
  const trainData = features(train);
  const model = fitRidge(trainData.matrix, trainData.target, { lambda: 1 });
  const profile = fitOodProfile(trainData.matrix.names, rowMajor(trainData.matrix));
  const every = opts.oodEvery ?? 20;
  const records: LosRecord[] = [...generateLosRecords({ rows: opts.rows, seed: opts.seed, startEid: opts.startEid ?? 2_000_001 })].map((r, i) =>
    i % every === every - 1 ? { ...r, sodium: 6 + (i % 9) } : r,
  );
  const data = features(records);
  const predicted = predictLinear(model, data.matrix);
  const rows = rowMajor(data.matrix);
  return records.map((record, i) => {
    const ood = scoreOod(profile, rows[i]!);
    return {
      id: randomUUID(),
      record,
      inHospital: i >= opts.rows - opts.inHospital,
      predicted: Math.max(1, Math.round(predicted[i]! * 10) / 10),
      ood: ood.ood,
      oodFeatures: ood.reasons.map((r) => r.feature ?? r.kind),
    };
  });
}

function encounterRow(s: SeedStay, workspaceId: string, admittedBy: string): Record<string, string | number | null> {
  const { discharged, lengthofstay } = s.record;
  // The stored record: the admission columns without names and without the discharge columns.
  const plain = Object.fromEntries(Object.entries(s.record).filter(([k]) => !['First', 'Middle', 'Last', 'discharged', 'lengthofstay'].includes(k)));
  const at = new Date().toISOString();
  return {
    id: s.id,
    workspace_id: workspaceId,
    eid: s.record.eid,
    record: JSON.stringify(plain),
    names: '{}',
    report: '{"unknownCodes":[],"notes":[]}',
    admitted_by: admittedBy,
    admitted_at: at,
    discharged: s.inHospital ? null : discharged,
    length_of_stay: s.inHospital ? null : lengthofstay,
    discharged_by: s.inHospital ? null : admittedBy,
    discharged_at: s.inHospital ? null : at,
  };
}

function predictionRow(s: SeedStay, workspaceId: string): Record<string, string | number | null> {
  return {
    encounter_id: s.id,
    workspace_id: workspaceId,
    status: 'scored',
    model_name: 'los',
    model_version: 1,
    predicted: s.predicted,
    interval_low: Math.max(0, s.predicted - 1.2),
    interval_high: s.predicted + 1.6,
    ood: s.ood ? 1 : 0,
    ood_reasons: JSON.stringify(
      s.oodFeatures.map((f) =>
        (LAB_COLUMNS as readonly string[]).includes(f) || (FLAG_COLUMNS as readonly string[]).includes(f)
          ? { feature: f, kind: 'below_range' }
          : { feature: null, kind: 'multivariate' },
      ),
    ),
    error_code: null,
    scored_at: new Date().toISOString(),
  };
}

/**
 * Seed encounters and their predictions straight into an instance's database (a bulk load, as a migration from the
 * reference deployment would do; far faster than 100,000 FHIR admissions), in multi-row INSERTs.
 * @param t - the test instance
 * @param workspaceId - the workspace id
 * @param admittedBy - user id recorded as the admitting clinician
 * @param stays - the stays
 */
export async function seedStays(t: TestInstance, workspaceId: string, admittedBy: string, stays: readonly SeedStay[]): Promise<void> {
  const encounters = stays.map((s) => encounterRow(s, workspaceId, admittedBy));
  const predictions = stays.map((s) => predictionRow(s, workspaceId));
  const { url, schema } = t.instance.config.database;
  if (!url) {
    const db = new SQLite(join(t.dataDir, 'haven.db'));
    try {
      const insert = (table: string, rows: Record<string, unknown>[]): void => {
        if (rows.length === 0) {
          return;
        }
        const cols = Object.keys(rows[0]!);
        const stmt = db.prepare(`insert into ${table} (${cols.join(', ')}) values (${cols.map((c) => `@${c}`).join(', ')})`);
        db.transaction(() => rows.forEach((r) => stmt.run(r)))();
      };
      insert('encounter', encounters);
      insert('encounter_prediction', predictions);
    } finally {
      db.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: url, ...(schema ? { options: `-c search_path=${schema}` } : {}) });
  await client.connect();
  try {
    await client.query('begin');
    for (const [table, rows] of [
      ['encounter', encounters],
      ['encounter_prediction', predictions],
    ] as const) {
      const cols = Object.keys(rows[0] ?? {});
      for (let i = 0; i < rows.length; i += 1000) {
        const batch = rows.slice(i, i + 1000);
        const values: unknown[] = [];
        const tuples = batch.map((r, j) => `(${cols.map((c, k) => (values.push(r[c]), `$${j * cols.length + k + 1}`)).join(', ')})`);
        await client.query(`insert into ${table} (${cols.join(', ')}) values ${tuples.join(', ')}`, values);
      }
    }
    await client.query('commit');
  } finally {
    await client.end();
  }
}
