/**
 * Scoring benchmark (issue 7, Performance), run compiled: `npm run bench:scoring` (about 2 minutes).
 *
 * Starts a real Haven instance (temporary data directory, SQLite, keys set up, rate limiting and logs off), trains and
 * approves the length-of-stay model on ../shared/data/los-10k.csv (10,000 generated rows when the file is absent),
 * raises the query budget (`models.queryBudget`) so the load test is not refused, and in the same run:
 *  1. autocannon, 50 connections, 30 s: `POST /api/workspaces/alpha/models/los/predict` with one JSON record over
 *     HTTPS with a Bearer token (authentication, budget spend, OOD check, model, ledger entries);
 *  2. the same against a bare Fastify HTTPS server in this process (same certificate and TLS settings, same body)
 *     returning constant JSON;
 *  3. batch scoring in process: predictGbdt over ≥ 1M rows, and XGBoost's predict for the same model shape;
 *  4. what one request costs, part by part, one at a time and with 50 in flight (to find the bottleneck).
 * autocannon runs as a child process so it does not share the servers' event loop. Goals: throughput ≥ 50 % of the
 * bare server, p99 ≤ 20 ms, batch ≥ 1,000,000 rows/s.
 *
 * Options: --seconds N (default 30), --connections N (default 50), --rows N (default 1,000,000), --csv FILE.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../../src/faces/server/app.js';
import { losCsvChunks } from '../../src/libs/synth/index.js';
import { readCsvColumns } from '../ml/read-csv.js';
import { measureBatchScoring } from './batch-scoring.js';
import { runAutocannon, startBareServer, type LoadResult } from './http-load.js';
import { measureRequestCosts } from './request-costs.js';
import { BENCH_MODEL, BENCH_WS, createScoringInstance } from './scoring-instance.js';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const line = (name: string, r: LoadResult): string =>
  `${name.padEnd(22)} ${r.requestsPerSecond.toFixed(0).padStart(6)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms  max ${r.max} ms  (${r.total} requests, non-2xx ${r.non2xx}, errors ${r.errors}, timeouts ${r.timeouts})`;

/** The sample file, or 10,000 generated rows written to a temporary file. */
function sampleCsv(): { path: string; generated: boolean } {
  const i = process.argv.indexOf('--csv');
  const path = i > 0 ? resolve(process.argv[i + 1]!) : fileURLToPath(new URL('../../../../shared/data/los-10k.csv', import.meta.url));
  if (existsSync(path)) {
    return { path, generated: false };
  }
  const out = join(mkdtempSync(join(tmpdir(), 'bench-scoring-synth-')), 'los-synth-10k.csv');
  writeFileSync(out, [...losCsvChunks({ rows: 10_000, seed: 7 })].join(''));
  return { path: out, generated: true };
}

async function main(): Promise<void> {
  const seconds = option('seconds', 30);
  const connections = option('connections', 50);
  const rows = option('rows', 1_000_000);
  const csv = sampleCsv();
  console.log(`scoring bench: ${csv.generated ? 'generated 10,000 rows (sample file absent)' : csv.path}; load average at start ${load()}`);
  const setupStart = Date.now();
  const s = await createScoringInstance(csv.path, 100_000_000);
  const haven = await buildApp(s.instance, s.tls);
  await haven.listen({ host: '127.0.0.1', port: 0 });
  const address = haven.server.address();
  const havenUrl = `https://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/api/workspaces/${BENCH_WS}/models/${BENCH_MODEL}/predict`;
  try {
    const { header, columns } = readCsvColumns(csv.path);
    const record = Object.fromEntries(header.map((h) => [h, columns[h]![0]!]));
    const body = JSON.stringify({ record });
    const headers = { authorization: `Bearer ${s.clinician.token}`, 'content-type': 'application/json' };
    const sample = await fetchOnce(haven, body, headers);
    const bare = await startBareServer(s.tls, sample);
    console.log(`setup (instance, users, import, training, approval) ${((Date.now() - setupStart) / 1000).toFixed(1)} s, not counted`);
    try {
      const base = { connections, seconds, method: 'POST' as const, headers, body };
      await runAutocannon({ ...base, url: havenUrl, seconds: 3 });
      await runAutocannon({ ...base, url: bare.url, seconds: 3 });
      const h = await runAutocannon({ ...base, url: havenUrl });
      console.log(line('haven predict', h), `load average ${load()}`);
      const b = await runAutocannon({ ...base, url: bare.url });
      console.log(line('bare fastify', b), `load average ${load()}`);
      const ratio = h.requestsPerSecond / b.requestsPerSecond;
      console.log(`throughput ratio haven/bare ${ratio.toFixed(3)} (goal >= 0.50: ${ratio >= 0.5 ? 'met' : 'NOT met'})`);
      console.log(`p99 haven ${h.p99} ms (goal <= 20 ms: ${h.p99 <= 20 ? 'met' : 'NOT met'}), bare ${b.p99} ms`);
    } finally {
      await bare.app.close();
    }
    await haven.close();
    const model = (await s.instance.storage.read.models.model(s.workspaceId, BENCH_MODEL, 1))!;
    const { artifact } = await s.instance.models.registry.load(model);
    const batch = await measureBatchScoring(artifact, csv.path, rows, 5);
    const xgb =
      'error' in batch.xgboost
        ? `XGBoost reference failed: ${batch.xgboost.error}`
        : `XGBoost ${batch.xgboost.version} predict (300 trees, depth 4, prebuilt DMatrix) ${Math.round(batch.xgboost.rows_per_s_1_threads)} rows/s with 1 thread, ${Math.round(batch.xgboost.rows_per_s_2_threads)} with 2`;
    console.log(
      `batch scoring rows/s ${Math.round(batch.bestRowsPerSecond)} best, ${Math.round(batch.medianRowsPerSecond)} median of 5 (predictGbdt, ${batch.rows} rows, ${artifact.model.trees.length} trees, 1 thread; goal >= 1,000,000: ${batch.bestRowsPerSecond >= 1e6 ? 'met' : 'NOT met'}); ${xgb}`,
    );
    const c = await measureRequestCosts(s, record, 1000, connections);
    const serial = c.authenticate + c.scoringPredict + c.auditRecord;
    console.log(
      `per request, one call at a time (µs): authenticate ${c.authenticate.toFixed(0)} + scoring.predict ${c.scoringPredict.toFixed(0)} ` +
        `(approved-model lookup ${c.approvedLookup.toFixed(0)}, budget spend ${c.spendQueries.toFixed(0)}, ledger entry ${c.auditRecord.toFixed(0)}, model ${c.modelOnly.toFixed(0)}) ` +
        `+ request ledger line ${c.auditRecord.toFixed(0)} = ${serial.toFixed(0)} µs (≤ ${Math.round(1e6 / serial)} req/s; the two ledger entries alone ${(2 * c.auditRecord).toFixed(0)} µs)`,
    );
    console.log(
      `with ${c.concurrency} in flight, in process: ledger entries ${Math.round(c.auditRecordConcurrentPerSecond)}/s (two per request → ≤ ${Math.round(c.auditRecordConcurrentPerSecond / 2)} req/s), ` +
        `scoring.predict ${Math.round(c.scoringPredictConcurrentPerSecond)}/s`,
    );
    console.log(`load average at end ${load()}`);
  } finally {
    await s.cleanup();
    if (csv.generated) {
      rmSync(join(csv.path, '..'), { recursive: true, force: true });
    }
  }
}

/** One request through the real server (checks the setup, and gives the bare server a same-sized answer). */
async function fetchOnce(app: Awaited<ReturnType<typeof buildApp>>, body: string, headers: Record<string, string>): Promise<unknown> {
  const res = await app.inject({ method: 'POST', url: `/api/workspaces/${BENCH_WS}/models/${BENCH_MODEL}/predict`, headers, payload: body });
  if (res.statusCode !== 200) {
    throw new Error(`predict answered ${res.statusCode}: ${res.body.slice(0, 200)}`);
  }
  return res.json();
}

await main();
