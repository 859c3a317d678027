/**
 * Haven GBDT vs the peers (XGBoost, scikit-learn HistGradientBoosting) on LOS CSV files, in one run
 * with the same thread count: `--threads N` (default 1) is Haven's `trainGbdt({ threads: N })` and the
 * peers' n_jobs / OpenMP limit.
 *
 *   node dist/bench/ml/bench-ml.js FILE... [--threads N] [--peer-models xgboost,sklearn_hgb] [--no-peers]
 *
 * Per file it prints `time ratio <Haven/XGBoost>` and `rmse ratio <Haven/XGBoost>` and then a table.
 * Timing follows peer_los.py: train = best of up to 3 fits (fewer once fits add up to 30 s), including
 * binning (as XGBoost's fit includes its quantile sketch); predict = best of up to 3 runs on all TEST
 * rows after a 1,000-row warm-up. CSV loading and feature building are timed separately.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { selectRows, type FeatureMatrix } from '../../src/libs/ml/feature-matrix.js';
import { MAX_TRAIN_THREADS, trainGbdt } from '../../src/libs/ml/gbdt.js';
import type { GbdtModel } from '../../src/libs/ml/gbdt-model.js';
import { fitRidge, predictLinear } from '../../src/libs/ml/linear.js';
import { buildLosData } from '../../src/libs/ml/los-features.js';
import { losDayAccuracy, regressionReport } from '../../src/libs/ml/metrics.js';
import { predictGbdt } from '../../src/libs/ml/predict.js';
import { readCsvColumns } from './read-csv.js';

interface Row {
  /** Average cores used by OTHER processes while this model trained (the machine may be shared). */
  othersCores: number | undefined;
  file: string;
  rows: number;
  model: string;
  trainS: number;
  predictRowsPerS: number;
  rmse: number;
  mae: number;
  r2: number;
  exact: number;
  within1: number;
  rssMiB: number;
}

/** XGBoost-equivalent settings: hist, 300 rounds, depth 6, lr 0.1, λ 1, min_child_weight 1, 255 value bins. */
const GBDT = { nRounds: 300, maxDepth: 6, learningRate: 0.1, lambda: 1, minChildWeight: 1 } as const;

function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'haven') {
      return dir;
    }
    dir = dirname(dir);
  }
  return process.cwd();
}

function args(argv: string[]): { files: string[]; threads: number; peerModels: string; peers: boolean } {
  const files: string[] = [];
  let threads = 1;
  let peerModels = 'xgboost,sklearn_hgb';
  let peers = true;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--threads') {
      threads = Number(argv[++i]);
    } else if (a === '--peer-models') {
      peerModels = argv[++i] ?? peerModels;
    } else if (a === '--no-peers') {
      peers = false;
    } else {
      files.push(resolve(a));
    }
  }
  if (files.length === 0 || !Number.isInteger(threads) || threads < 1 || threads > MAX_TRAIN_THREADS) {
    console.error('usage: node dist/bench/ml/bench-ml.js FILE... [--threads N] [--peer-models a,b] [--no-peers]');
    process.exit(2);
  }
  return { files, threads, peerModels, peers };
}

const rssMiB = (): number => process.resourceUsage().maxRSS / 1024;

/** (wall s, busy CPU s of the whole machine, CPU s of this process), like peer_los.py's cpu_snapshot. */
function cpuSnapshot(): [number, number, number] | undefined {
  try {
    const v = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
    const busy = (v[0]! + v[1]! + v[2]! + v[5]! + v[6]! + v[7]!) / 100;
    const u = process.cpuUsage();
    return [performance.now() / 1000, busy, (u.user + u.system) / 1e6];
  } catch {
    return undefined;
  }
}

function othersCores(a: [number, number, number] | undefined, b: [number, number, number] | undefined): number | undefined {
  if (a === undefined || b === undefined || b[0] <= a[0]) {
    return undefined;
  }
  return Math.max(0, (b[1] - a[1] - (b[2] - a[2])) / (b[0] - a[0]));
}

function bestOf<T>(fn: () => T, repeat: number, budgetS: number): { value: T; best: number } {
  let best = Infinity;
  let total = 0;
  let value: T | undefined;
  for (let k = 0; k < repeat && (k === 0 || total < budgetS); k++) {
    const t0 = performance.now();
    value = fn();
    const dt = (performance.now() - t0) / 1000;
    best = Math.min(best, dt);
    total += dt;
  }
  return { value: value as T, best };
}

function runHaven(path: string, threads: number): Row[] {
  const t0 = performance.now();
  const { columns, nRows } = readCsvColumns(path);
  const t1 = performance.now();
  const d = buildLosData(columns);
  const tr: number[] = [];
  const te: number[] = [];
  d.isTest.forEach((t, r) => (t === 1 ? te : tr).push(r));
  const Xtr = selectRows(d.matrix, tr);
  const Xte = selectRows(d.matrix, te);
  const ytr = Float64Array.from(tr, (r) => d.target[r]!);
  const yte = Float64Array.from(te, (r) => d.target[r]!);
  const t2 = performance.now();
  const file = basename(path);
  console.error(`${file}: ${nRows} rows (${tr.length} train / ${te.length} test), load ${((t1 - t0) / 1000).toFixed(2)}s, prep ${((t2 - t1) / 1000).toFixed(2)}s`);
  const out: Row[] = [];
  const measure = (model: string, fit: () => unknown, predict: (m: FeatureMatrix) => Float64Array, repeat: number): void => {
    const s0 = cpuSnapshot();
    const { best } = bestOf(fit, repeat, 30);
    const others = othersCores(s0, cpuSnapshot());
    predict(selectRows(Xte, Array.from({ length: Math.min(1000, Xte.nRows) }, (_, i) => i)));
    const pr = bestOf(() => predict(Xte), 5, 5);
    const rep = regressionReport(yte, pr.value);
    const acc = losDayAccuracy(yte, pr.value);
    const row: Row = {
      othersCores: others, file, rows: nRows, model, trainS: best, predictRowsPerS: Xte.nRows / pr.best,
      rmse: rep.rmse, mae: rep.mae, r2: rep.r2, exact: acc.exact, within1: acc.within1, rssMiB: rssMiB(),
    };
    console.error(`  ${model.padEnd(12)} train ${best.toFixed(2)}s  predict ${Math.round(row.predictRowsPerS)} rows/s  RMSE ${rep.rmse.toFixed(4)}  R2 ${rep.r2.toFixed(4)}`);
    out.push(row);
  };
  let gbdt: GbdtModel | undefined;
  measure('haven_gbdt', () => (gbdt = trainGbdt(Xtr, ytr, { ...GBDT, threads })), (m) => predictGbdt(gbdt!, m), 3);
  let ridge: ReturnType<typeof fitRidge> | undefined;
  measure('haven_ridge', () => (ridge = fitRidge(Xtr, ytr)), (m) => predictLinear(ridge!, m), 1);
  return out;
}

interface PeerModel {
  train_s: number;
  others_cores_during_fit?: number;
  predict_s_per_10k: number;
  rmse: number;
  mae: number;
  r2: number;
  exact: number;
  within1: number;
}

function runPeers(files: string[], threads: number, models: string): Row[] {
  const script = join(repoRoot(), '..', 'shared', 'bench', 'peer_los.py');
  if (!existsSync(script)) {
    console.error(`peer script not found: ${script}`);
    return [];
  }
  const dir = mkdtempSync(join(tmpdir(), 'haven-bench-'));
  const json = join(dir, 'peers.json');
  try {
    const r = spawnSync('/usr/bin/python3', [script, ...files, '--threads', String(threads), '--models', models, '--json', json], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (r.status !== 0 || !existsSync(json)) {
      console.error(`peer run failed (exit ${String(r.status)}); is python3-xgboost installed?`);
      return [];
    }
    const res = JSON.parse(readFileSync(json, 'utf8')) as {
      env: { max_rss_mib: number };
      results: { file: string; rows: number; models: Record<string, PeerModel> }[];
    };
    return res.results.flatMap((f) =>
      Object.entries(f.models).map(([model, m]) => ({
        othersCores: m.others_cores_during_fit, file: f.file, rows: f.rows, model, trainS: m.train_s, predictRowsPerS: 10_000 / m.predict_s_per_10k,
        rmse: m.rmse, mae: m.mae, r2: m.r2, exact: m.exact, within1: m.within1, rssMiB: res.env.max_rss_mib,
      })),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function main(): void {
  const a = args(process.argv.slice(2));
  const haven = a.files.flatMap((f) => runHaven(f, a.threads));
  const peers = a.peers ? runPeers(a.files, a.threads, a.peerModels) : [];
  const all = [...haven, ...peers];
  console.log(`threads: Haven ${a.threads} (trainGbdt threads; prediction on one thread), peers ${a.threads}`);
  for (const f of a.files.map((p) => basename(p))) {
    const h = all.find((r) => r.file === f && r.model === 'haven_gbdt');
    const x = all.find((r) => r.file === f && r.model === 'xgboost');
    console.log(`\n${f}`);
    if (h !== undefined && x !== undefined) {
      console.log(`time ratio ${(h.trainS / x.trainS).toFixed(3)}`);
      console.log(`rmse ratio ${(h.rmse / x.rmse).toFixed(4)}`);
    } else {
      console.log('time ratio n/a (no XGBoost result)');
    }
    console.log("| model | rows | train s | others' cores during fit | predict rows/s | RMSE | MAE | R² | exact day | within 1 day | peak RSS MiB |");
    console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const r of all.filter((q) => q.file === f)) {
      console.log(
        `| ${r.model} | ${r.rows} | ${r.trainS.toFixed(2)} | ${r.othersCores === undefined ? 'n/a' : r.othersCores.toFixed(2)} | ${Math.round(r.predictRowsPerS)} | ${r.rmse.toFixed(4)} | ${r.mae.toFixed(4)} | ` +
          `${r.r2.toFixed(4)} | ${(100 * r.exact).toFixed(1)}% | ${(100 * r.within1).toFixed(1)}% | ${r.rssMiB.toFixed(0)} |`,
      );
    }
  }
  console.log('\npeak RSS: Haven = this Node.js process so far (cumulative); peers = the whole Python run.');
  console.log("others' cores: load from other processes while training; compare ratios only between runs with similar load.");
}

main();
