import { readFileSync } from 'node:fs';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { createPersona, type Persona } from './personas.js';
import type { TestStore } from './stores.js';
import { buildTestApp, createTestInstance, type TestInstance } from './test-instance.js';

/** The length-of-stay sample every model test trains on (`../shared/data/los-10k.csv`). */
export const LOS_SAMPLE: Buffer = readFileSync(new URL('../../../shared/data/los-10k.csv', import.meta.url));

/** The workspace, dataset and model the helper sets up. */
export const TRAINED = { workspace: 'alpha', dataset: 'stays', model: 'los' } as const;

/** An instance with the length-of-stay model trained on the sample and approved, ready to score. */
export interface TrainedModel {
  readonly t: TestInstance;
  readonly app: FastifyInstance;
  readonly steward: Persona;
  readonly scientist: Persona;
  /** SHA-256 of the imported dataset version. */
  readonly datasetSha256: string;
  /** Call the API as a persona (JSON body unless a string or Buffer is given with its content type). */
  call(method: 'GET' | 'POST', url: string, who: Persona, body?: unknown, type?: string): Promise<LightMyRequestResponse>;
  /** Close the app and the instance and remove the data directory (the caller cleans up the store). */
  close(): Promise<void>;
}

/**
 * Create a test instance on a store and, through the HTTP API, do what a site does before anyone can score:
 * a steward imports the sample as dataset `stays` in workspace `alpha` and publishes it, a scientist trains `los`
 * (target `lengthofstay`, Haven's default parameters, the given seed), and the steward approves it.
 * @param store - the database to run on
 * @param opts - extra configuration (e.g. `{ models: { queryBudgetEnabled: false } }`) and the training seed
 */
export async function createTrainedModel(
  store: TestStore,
  opts: { config?: Record<string, Record<string, unknown>>; seed?: number } = {},
): Promise<TrainedModel> {
  const t = await createTestInstance(store, { withKeys: true, ...(opts.config ? { config: opts.config } : {}) });
  const app = await buildTestApp(t);
  const close = async (): Promise<void> => {
    await app.close();
    await t.cleanup();
  };
  const call = (method: 'GET' | 'POST', url: string, who: Persona, body?: unknown, type = 'application/json'): Promise<LightMyRequestResponse> =>
    app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${who.token}`, ...(body === undefined ? {} : { 'content-type': type }) },
      ...(body === undefined ? {} : { payload: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body) }),
    });
  const expectStatus = (res: LightMyRequestResponse, status: number, step: string): void => {
    if (res.statusCode !== status) {
      throw new Error(`${step}: HTTP ${res.statusCode} ${res.body}`);
    }
  };
  try {
    const { workspace, dataset, model } = TRAINED;
    const steward = await createPersona(t.instance, 'steward', { memberships: [{ workspace, role: 'data_steward' }] });
    const scientist = await createPersona(t.instance, 'scientist', { memberships: [{ workspace, role: 'data_scientist' }] });
    const imported = await call('POST', `/api/workspaces/${workspace}/datasets/${dataset}/imports`, steward, LOS_SAMPLE, 'text/csv');
    expectStatus(imported, 201, 'import');
    expectStatus(await call('POST', `/api/workspaces/${workspace}/datasets/${dataset}/versions/1/publish`, steward), 200, 'publish');
    const started = await call('POST', `/api/workspaces/${workspace}/training-runs`, scientist, {
      dataset,
      target: 'lengthofstay',
      name: model,
      seed: opts.seed ?? 7,
    });
    expectStatus(started, 202, 'train');
    const runNo = (started.json() as { run: number }).run;
    let status = 'queued';
    for (let i = 0; i < 1500 && ['queued', 'running'].includes(status); i++) {
      await new Promise((res) => setTimeout(res, 200));
      status = ((await call('GET', `/api/workspaces/${workspace}/training-runs/${runNo}`, scientist)).json() as { status: string }).status;
    }
    if (status !== 'succeeded') {
      throw new Error(`training run ${runNo} ended ${status}`);
    }
    expectStatus(await call('POST', `/api/workspaces/${workspace}/models/${model}/versions/1/approve`, steward, {}), 200, 'approve');
    return { t, app, steward, scientist, datasetSha256: (imported.json() as { sha256: string }).sha256, call, close };
  } catch (err) {
    await close();
    throw err;
  }
}
