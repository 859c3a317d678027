import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { buildFeatureMatrix, type FeatureMatrix } from '../../src/libs/ml/feature-matrix.js';
import { predictGbdt } from '../../src/libs/ml/predict.js';
import type { ModelArtifact } from '../../src/services/models/model-artifact.js';
import { readCsvColumns } from '../ml/read-csv.js';

/** Rows per second of in-process batch scoring, and of XGBoost when it could run. */
export interface BatchResult {
  readonly rows: number;
  readonly bestRowsPerSecond: number;
  readonly medianRowsPerSecond: number;
  readonly xgboost: { rows_per_s_1_threads: number; rows_per_s_2_threads: number; version: string } | { error: string };
}

/** Repeat a column-major matrix's rows until it has `rows` rows. */
function tile(m: FeatureMatrix, rows: number): FeatureMatrix {
  const data = new Float64Array(rows * m.nCols);
  for (let c = 0; c < m.nCols; c++) {
    const src = m.data.subarray(c * m.nRows, (c + 1) * m.nRows);
    for (let r = 0; r < rows; r += m.nRows) {
      data.set(src.subarray(0, Math.min(m.nRows, rows - r)), c * rows + r);
    }
  }
  return { nRows: rows, nCols: m.nCols, names: m.names, data };
}

function runXgboost(matrix: FeatureMatrix, target: Float64Array, rows: number): Promise<BatchResult['xgboost']> {
  const script = fileURLToPath(new URL('../../../bench/scoring/xgb_predict.py', import.meta.url));
  if (!existsSync('/usr/bin/python3') || !existsSync(script)) {
    return Promise.resolve({ error: 'no /usr/bin/python3 or script' });
  }
  const dir = mkdtempSync(join(tmpdir(), 'bench-scoring-xgb-'));
  writeFileSync(join(dir, 'x.f64'), Buffer.from(matrix.data.buffer, matrix.data.byteOffset, matrix.data.byteLength));
  writeFileSync(join(dir, 'y.f64'), Buffer.from(target.buffer));
  const args = [
    script,
    '--matrix',
    join(dir, 'x.f64'),
    '--target',
    join(dir, 'y.f64'),
    '--rows-in',
    String(matrix.nRows),
    '--cols',
    String(matrix.nCols),
    '--rows',
    String(rows),
  ];
  return new Promise((resolve) => {
    const child = spawn('/usr/bin/python3', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
    child.on('error', (e) => resolve({ error: e.message }));
    child.on('close', (code) => {
      rmSync(dir, { recursive: true, force: true });
      try {
        resolve(code === 0 ? (JSON.parse(out.trim().split('\n').at(-1)!) as BatchResult['xgboost']) : { error: `exit ${String(code)}: ${err.slice(-300)}` });
      } catch {
        resolve({ error: 'unreadable output' });
      }
    });
  });
}

/**
 * Batch scoring in process: the approved model's `predictGbdt` over the sample's feature matrix (built with the
 * model's own spec) repeated to `rows` rows; best and median of `repeat` timed runs after one warm-up. Then the
 * XGBoost reference on the same matrix (child process, so it does not overlap Haven's timing).
 * @param artifact - the verified model artifact
 * @param csvPath - the sample (features and target)
 * @param rows - rows to score (≥ 1M for the goal)
 * @param repeat - timed runs
 */
export async function measureBatchScoring(artifact: ModelArtifact, csvPath: string, rows: number, repeat: number): Promise<BatchResult> {
  const { columns } = readCsvColumns(csvPath);
  const small = buildFeatureMatrix(artifact.spec, columns);
  const target = Float64Array.from(columns[artifact.target]!, Number);
  const big = tile(small, rows);
  predictGbdt(artifact.model, big);
  const rates: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const t = performance.now();
    predictGbdt(artifact.model, big);
    rates.push(rows / ((performance.now() - t) / 1000));
  }
  rates.sort((a, b) => a - b);
  const xgboost = await runXgboost(small, target, rows);
  return { rows, bestRowsPerSecond: rates.at(-1)!, medianRowsPerSecond: rates[Math.floor(rates.length / 2)]!, xgboost };
}
