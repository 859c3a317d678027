import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initInstance } from '../../src/composition/init-instance.js';
import { openInstance, type Instance } from '../../src/composition/open-instance.js';
import { losCsvChunks } from '../../src/libs/synth/index.js';
import type { TlsMaterial } from '../../src/faces/server/app.js';
import { createBenchUser, type BenchUser } from './bench-users.js';

/** Workspace, dataset and model the bench sets up. */
export const BENCH_WS = 'alpha';
export const BENCH_MODEL = 'los';

/** A Haven instance with the length-of-stay model trained and approved, and a clinician to score with. */
export interface ScoringInstance {
  readonly instance: Instance;
  readonly dataDir: string;
  readonly tls: TlsMaterial;
  readonly workspaceId: string;
  readonly clinician: BenchUser;
  /** Where the training data came from (the sample file, or generated rows). */
  readonly source: string;
  /** Close the instance and delete its data directory. */
  cleanup(): Promise<void>;
}

async function* synthetic(rows: number): AsyncGenerator<Uint8Array> {
  for (const chunk of losCsvChunks({ rows, seed: 7 })) {
    yield Buffer.from(chunk, 'utf8');
  }
}

/**
 * Initialise a temporary SQLite instance (keys set up, rate limiting and logs off, the given query budget), import
 * the LOS sample (or 10,000 generated rows when the file is absent) as a steward, publish it, train `los` with
 * Haven's defaults as a scientist (worker thread), approve it as the steward, and create a clinician with a token.
 * @param csvPath - the sample file
 * @param queryBudget - `models.queryBudget` (records per clinician per window)
 */
export async function createScoringInstance(csvPath: string, queryBudget: number): Promise<ScoringInstance> {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'haven-bench-scoring-')), 'data');
  const env = { HAVEN_ROOT_PASSPHRASE: `bench ${randomBytes(16).toString('hex')}` };
  const config = { server: { rateLimitPerMinute: 0 }, log: { level: 'silent' }, models: { queryBudget, predictRatePerMinute: 0 } };
  await initInstance(dataDir, { config, env, keys: true });
  const instance = await openInstance(dataDir, { env });
  const cleanup = async (): Promise<void> => {
    await instance.close();
    rmSync(join(dataDir, '..'), { recursive: true, force: true });
  };
  try {
    const steward = await createBenchUser(instance, 'steward', BENCH_WS, 'data_steward');
    const scientist = await createBenchUser(instance, 'scientist', BENCH_WS, 'data_scientist');
    const clinician = await createBenchUser(instance, 'clinician', BENCH_WS, 'clinician');
    const workspaceId = (await instance.storage.read.workspaces.byName(BENCH_WS))!.id;
    const fromFile = existsSync(csvPath);
    const report = await instance.ingest.importCsv(steward.principal, workspaceId, 'stays', fromFile ? createReadStream(csvPath) : synthetic(10_000), 'bench');
    await instance.catalog.publish(steward.principal, workspaceId, 'stays', report.version, 'bench');
    const run = await instance.models.training.start(
      scientist.principal,
      workspaceId,
      { dataset: 'stays', target: 'lengthofstay', name: BENCH_MODEL, seed: 7 },
      'bench',
    );
    let view = run;
    while (view.status === 'queued' || view.status === 'running') {
      await new Promise((res) => setTimeout(res, 250));
      view = await instance.models.training.get(workspaceId, run.run);
    }
    if (view.status !== 'succeeded') {
      throw new Error(`training ended ${view.status} (${String(view.errorCode)})`);
    }
    await instance.models.registry.approve(steward.principal, workspaceId, BENCH_MODEL, 1, { requestId: 'bench' });
    const tls = { key: readFileSync(join(dataDir, 'tls/key.pem')), cert: readFileSync(join(dataDir, 'tls/cert.pem')) };
    return { instance, dataDir, tls, workspaceId, clinician, source: fromFile ? csvPath : '10,000 generated rows (src/libs/synth, seed 7)', cleanup };
  } catch (err) {
    await cleanup();
    throw err;
  }
}
