/**
 * End-to-end import benchmark (run compiled):
 *   npx tsc -p tsconfig.json && node dist/bench/ingest/bench-import.js /tmp/los-1m.csv
 * (generate the file with `python3 /work/shared/bench/gen_los.py --rows 1000000 --out /tmp/los-1m.csv`).
 *
 * Imports the file through IngestService into a fresh SQLite instance (keys set up, classification on, names
 * encrypted, join keys pseudonymised, every row reconciled), streaming it from disk in 64 KiB chunks (about what the
 * server receives from the network), and in the same run times the
 * sqlite3 command line's `.import` of the same file into a plain table with no checks. Prints both times, the
 * ratio Haven/sqlite3 (goal <= 2.0) and the peak RSS of this process (goal < 300 MB): process.resourceUsage().maxRSS
 * and the highest process.memoryUsage().rss sampled every 100 ms during the import.
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { principalOf } from '../../src/services/identity/principal-factory.js';
import { createPersona } from '../../test/helpers/personas.js';
import type { TestStore } from '../../test/helpers/stores.js';
import { createTestInstance } from '../../test/helpers/test-instance.js';

const SQLITE: TestStore = { name: 'sqlite', config: () => ({}), cleanup: () => Promise.resolve() };
const MB = 1024 * 1024;
/** Read size: network-sized chunks, as the import route sees them (1 MiB chunks raise the peak by ~60 MB). */
const CHUNK_BYTES = 64 * 1024;

/** sqlite3 `.import` of the file into a fresh database (CSV mode: the header names the columns). */
function sqliteImport(file: string): number {
  const dir = mkdtempSync(join(tmpdir(), 'bench-import-sqlite-'));
  try {
    const start = performance.now();
    execFileSync('sqlite3', [join(dir, 'ref.db'), '.mode csv', `.import ${file} stays`], { stdio: ['ignore', 'ignore', 'inherit'] });
    return (performance.now() - start) / 1000;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function havenImport(file: string): Promise<{ seconds: number; rows: number; quarantined: number; encrypted: number; peakSampledRss: number; peakHeap: number; baseRss: number; setupSeconds: number }> {
  const setupStart = performance.now();
  const t = await createTestInstance(SQLITE, { withKeys: true });
  try {
    await createPersona(t.instance, 'steward', { memberships: [{ workspace: 'alpha', role: 'data_steward' }] });
    const user = (await t.instance.storage.read.users.byUsername('steward'))!;
    const principal = await principalOf(t.instance.storage.read, user, { via: 'token', tokenScopes: null, tokenWorkspace: null, mfaAt: t.instance.clock.now().toISOString() });
    const setupSeconds = (performance.now() - setupStart) / 1000;
    const baseRss = process.memoryUsage().rss;
    let peak = baseRss;
    let peakHeap = 0;
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      peak = Math.max(peak, m.rss);
      peakHeap = Math.max(peakHeap, m.heapUsed);
    }, 100);
    const start = performance.now();
    try {
      const report = await t.instance.ingest.importCsv(principal, 'ws-alpha', 'stays', createReadStream(file, { highWaterMark: CHUNK_BYTES }), 'bench');
      const seconds = (performance.now() - start) / 1000;
      peak = Math.max(peak, process.memoryUsage().rss);
      const encrypted = report.handling.filter((h) => h.action !== 'plain').length;
      return { seconds, rows: report.rowsStored, quarantined: report.rowsQuarantined, encrypted, peakSampledRss: peak, peakHeap, baseRss, setupSeconds };
    } finally {
      clearInterval(sampler);
    }
  } finally {
    await t.cleanup();
  }
}

async function main(): Promise<void> {
  const file = resolve(process.argv[2] ?? '/tmp/los-1m.csv');
  if (!existsSync(file)) {
    console.error(`missing ${file}: python3 /work/shared/bench/gen_los.py --rows 1000000 --out ${file}`);
    process.exitCode = 2;
    return;
  }
  const size = statSync(file).size;
  console.log(`file ${file} (${(size / 1e6).toFixed(1)} MB)`);
  const ref = sqliteImport(file);
  console.log(`sqlite3 .import      ${ref.toFixed(2)} s  (${(size / 1e6 / ref).toFixed(1)} MB/s)`);
  const h = await havenImport(file);
  console.log(`haven import         ${h.seconds.toFixed(2)} s  (${(size / 1e6 / h.seconds).toFixed(1)} MB/s, ${Math.round(h.rows / h.seconds)} rows/s; ${h.rows} stored, ${h.quarantined} quarantined, ${h.encrypted} columns encrypted; instance setup ${h.setupSeconds.toFixed(1)} s not counted)`);
  console.log(`time ratio <Haven/sqlite3> ${(h.seconds / ref).toFixed(2)}  (goal <= 2.0)`);
  const maxRssMb = (process.resourceUsage().maxRSS * 1024) / MB;
  console.log(`peak RSS: maxRSS ${maxRssMb.toFixed(0)} MB, sampled rss ${(h.peakSampledRss / MB).toFixed(0)} MB (${(h.baseRss / MB).toFixed(0)} MB before the import; JS heap used at most ${(h.peakHeap / MB).toFixed(0)} MB)  (goal < 300 MB)`);
}

await main();
