import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPersona, type Persona } from '../helpers/personas.js';
import { rawQuery } from '../helpers/raw-sql.js';
import { testStores } from '../helpers/stores.js';
import { buildTestApp, createTestInstance, type TestInstance } from '../helpers/test-instance.js';

const SAMPLE = readFileSync(new URL('../../../shared/data/los-10k.csv', import.meta.url));
/** The per-version ε budget these tests configure (whole units; config `models.dpEpsilonBudget`). */
const BUDGET = 3;

function sampleRecord(): Record<string, string> {
  const [header, first] = SAMPLE.toString('utf8').split(/\r?\n/);
  const names = header!.replace(/^\uFEFF/, '').split(',');
  const values = first!.split(',');
  return Object.fromEntries(names.map((n, i) => [n, values[i]!]));
}

interface RunView {
  run: number;
  status: string;
  kind: string;
  errorCode: string | null;
  params: Record<string, unknown>;
  progress: { round: number; rounds: number; trainLoss: number | null } | null;
  results: {
    metrics: { rmse: number };
    privacyGate: { release: boolean };
    differentialPrivacy?: { epsilon: number; delta: number; spentEpsilon: number };
  } | null;
  model: { name: string; version: number | null };
}

interface Card {
  model: { kind: string };
  privacyAudit: { attacks: { attack: string; auc: number }[]; leafCoverage: unknown; gate: { release: boolean } };
  differentialPrivacy: {
    epsilon: number;
    delta: number;
    mechanism: string;
    neighbouring: string;
    accountant: { spentEpsilon: number; releases: number; trees: number | null };
    datasetVersionBudget: { budgetEpsilon: number; spentEpsilon: number; delta: number };
    notCovered: string[];
  } | null;
}

for (const store of testStores()) {
  describe(`differentially private training [${store.name}]`, () => {
    let t: TestInstance;
    let app: FastifyInstance;
    let steward: Persona;
    let scientist: Persona;
    let doc: Persona;

    const call = (method: 'GET' | 'POST', url: string, who: Persona, body?: unknown, type = 'application/json') =>
      app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${who.token}`, ...(body === undefined ? {} : { 'content-type': type }) },
        ...(body === undefined ? {} : { payload: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body) }),
      });
    const train = (body: Record<string, unknown>, raw?: string) =>
      call('POST', '/api/workspaces/alpha/training-runs', scientist, raw ?? { dataset: 'stays', target: 'lengthofstay', ...body });
    const runs = async (): Promise<RunView[]> => ((await call('GET', '/api/workspaces/alpha/training-runs', scientist)).json() as { runs: RunView[] }).runs;
    const ledger = async (): Promise<Record<string, unknown>[]> => rawQuery(t, 'select state, revision from privacy_ledger');

    async function finished(runNo: number): Promise<RunView> {
      for (let i = 0; i < 600; i++) {
        const r = (await call('GET', `/api/workspaces/alpha/training-runs/${runNo}`, scientist)).json() as RunView;
        if (!['queued', 'running'].includes(r.status)) {
          return r;
        }
        await new Promise((res) => setTimeout(res, 200));
      }
      throw new Error('run did not finish');
    }

    async function card(name: string, version = 1): Promise<{ stage: string; card: Card }> {
      return (await call('GET', `/api/workspaces/alpha/models/${name}/versions/${version}`, steward)).json() as { stage: string; card: Card };
    }

    beforeAll(async () => {
      t = await createTestInstance(store, { withKeys: true, config: { models: { dpEpsilonBudget: BUDGET } } });
      app = await buildTestApp(t);
      steward = await createPersona(t.instance, 'steward', { memberships: [{ workspace: 'alpha', role: 'data_steward' }] });
      scientist = await createPersona(t.instance, 'scientist', { memberships: [{ workspace: 'alpha', role: 'data_scientist' }] });
      doc = await createPersona(t.instance, 'doc', { memberships: [{ workspace: 'alpha', role: 'clinician' }] });
      expect((await call('POST', '/api/workspaces/alpha/datasets/stays/imports', steward, SAMPLE, 'text/csv')).statusCode).toBe(201);
      expect((await call('POST', '/api/workspaces/alpha/datasets/stays/versions/1/publish', steward)).statusCode).toBe(200);
    }, 120_000);
    afterAll(async () => {
      await app.close();
      await t.cleanup();
      await store.cleanup();
    });

    it('refuses bad privacy requests with a coded 400 before recording a run or spending budget', async () => {
      const bad: [Record<string, unknown> | string, string][] = [
        [{ privacy: { epsilon: 0 } }, 'HAVEN_TRAIN_BAD_PARAM'],
        [{ privacy: { epsilon: -1 } }, 'HAVEN_TRAIN_BAD_PARAM'],
        [{ privacy: { epsilon: 'NaN' } }, 'HAVEN_TRAIN_BAD_PARAM'],
        [{ privacy: { epsilon: 1e9 } }, 'HAVEN_TRAIN_BAD_PARAM'],
        [{ privacy: { epsilon: 11 } }, 'HAVEN_TRAIN_BAD_PARAM'],
        // JSON has no NaN or Infinity, but 1e400 parses to Infinity.
        ['{"dataset":"stays","target":"lengthofstay","privacy":{"epsilon":1e400}}', 'HAVEN_TRAIN_BAD_PARAM'],
        [{ privacy: { epsilon: 1, delta: 0 } }, 'HAVEN_TRAIN_BAD_PARAM'],
        [{ privacy: { epsilon: 1, delta: 0.5 } }, 'HAVEN_TRAIN_BAD_PARAM'],
        [{ privacy: { epsilon: 1, delta: 9e-5 } }, 'HAVEN_TRAIN_BAD_PARAM'], // not below 1/(10·10 000 rows)
        [{ privacy: { epsilon: 1, mechanism: 'magic' } }, 'HAVEN_TRAIN_BAD_PARAM'],
        [{ privacy: { epsilon: 1 }, params: { maxDepth: 8 } }, 'HAVEN_TRAIN_BAD_PARAM'],
        [{ privacy: { epsilon: 1 }, params: { earlyStoppingRounds: 10 } }, 'HAVEN_TRAIN_BAD_PARAM'],
        [{ privacy: {} }, 'HAVEN_HTTP_VALIDATION'],
        [{ privacy: { epsilon: 1, extra: true } }, 'HAVEN_HTTP_VALIDATION'],
      ];
      for (const [body, code] of bad) {
        const res = typeof body === 'string' ? await train({}, body) : await train(body);
        expect(res.statusCode, `${JSON.stringify(body)} ${res.body}`).toBe(400);
        expect(res.json()).toMatchObject({ error: { code } });
      }
      expect(await runs()).toEqual([]);
      expect(await ledger()).toEqual([]);
    });

    it('trains DP boosted trees through the API: the card states ε, δ, mechanism and the accountant spend; a steward approves; a clinician scores', async () => {
      const started = await train({ name: 'los-dp', seed: 5, privacy: { epsilon: 1 } });
      expect(started.statusCode, started.body).toBe(202);
      expect(started.json()).toMatchObject({ kind: 'dp-gbdt', params: { privacy: { epsilon: 1, delta: 1e-6, mechanism: 'gbdt' } } });
      const run = await finished((started.json() as RunView).run);
      expect(run.status, JSON.stringify(run)).toBe('succeeded');
      expect(run.progress).toMatchObject({ round: 100, rounds: 100, trainLoss: null });
      expect(run.results!.differentialPrivacy).toMatchObject({ epsilon: 1, delta: 1e-6 });
      expect(run.results!.metrics.rmse).toBeLessThan(1.6);
      expect(run.results!.privacyGate.release).toBe(true);

      const { stage, card: c } = await card('los-dp');
      expect(stage).toBe('candidate');
      expect(c.model.kind).toBe('dp-gbdt');
      expect(c.privacyAudit.leafCoverage).toBeNull();
      expect(c.privacyAudit.attacks.map((a) => a.attack)).toEqual(['loss_threshold', 'lira']);
      for (const a of c.privacyAudit.attacks) {
        expect(a.auc).toBeLessThanOrEqual(0.56);
      }
      expect(c.differentialPrivacy).toMatchObject({
        epsilon: 1,
        delta: 1e-6,
        accountant: { releases: 101, trees: 100 },
        datasetVersionBudget: { budgetEpsilon: BUDGET, delta: 1e-6 },
      });
      expect(c.differentialPrivacy!.mechanism).toContain('DP gradient-boosted trees');
      expect(c.differentialPrivacy!.neighbouring).toContain('add or remove one training record');
      expect(c.differentialPrivacy!.accountant.spentEpsilon).toBeGreaterThan(0.99);
      expect(c.differentialPrivacy!.accountant.spentEpsilon).toBeLessThanOrEqual(1);
      expect(c.differentialPrivacy!.datasetVersionBudget.spentEpsilon).toBeCloseTo(c.differentialPrivacy!.accountant.spentEpsilon, 5);
      expect(c.differentialPrivacy!.notCovered.join(' ')).toContain('test records');

      const approved = await call('POST', '/api/workspaces/alpha/models/los-dp/versions/1/approve', steward, {});
      expect(approved.statusCode, approved.body).toBe(200);
      const record = sampleRecord();
      const scored = await call('POST', '/api/workspaces/alpha/models/los-dp/predict', doc, { records: [record, { ...record, sodium: '5.9' }] });
      expect(scored.statusCode, scored.body).toBe(200);
      const body = scored.json() as {
        model: { version: number };
        predictions: { prediction: number; interval: number[]; ood: { flagged: boolean; reasons: unknown[] } }[];
      };
      expect(body.model.version).toBe(1);
      expect(Number.isInteger(body.predictions[0]!.prediction)).toBe(true);
      expect(body.predictions[0]!.prediction).toBeGreaterThanOrEqual(1);
      expect(body.predictions[0]!.prediction).toBeLessThanOrEqual(17);
      expect(body.predictions[0]!.interval[0]).toBeLessThanOrEqual(body.predictions[0]!.interval[1]!);
      // The OOD profile of a DP model comes from the test rows; a sodium of 5.9 is still far outside it.
      expect(body.predictions[1]!.ood).toEqual({ flagged: true, reasons: expect.arrayContaining([{ feature: 'sodium', kind: 'below_range' }]) });

      // The model artifact never stores the noise key: nothing in the run or model rows but ids, costs and ciphertext.
      const [ledgerRow] = await ledger();
      const state = JSON.parse(String(ledgerRow!.state)) as { budget: { epsilon: number }; entries: { label: string }[] };
      expect(Number(ledgerRow!.revision)).toBe(1);
      expect(state.budget.epsilon).toBe(BUDGET);
      expect(state.entries).toHaveLength(101);
      expect(state.entries[0]!.label).toBe(`run:${run.run}:marginals`);
    }, 180_000);

    it('trains a DP linear model (the default below ε = 1) and serves it like any other', async () => {
      const started = await train({ name: 'los-lin', privacy: { epsilon: 0.5 } });
      expect(started.statusCode, started.body).toBe(202);
      expect(started.json()).toMatchObject({ kind: 'dp-linear' });
      const run = await finished((started.json() as RunView).run);
      expect(run.status, JSON.stringify(run)).toBe('succeeded');
      expect(run.results!.metrics.rmse).toBeLessThan(1.9);
      const { card: c } = await card('los-lin');
      expect(c.model.kind).toBe('dp-linear');
      expect(c.differentialPrivacy).toMatchObject({ epsilon: 0.5, accountant: { releases: 2, trees: null } });
      expect(c.differentialPrivacy!.mechanism).toContain('DP linear model');
      expect(c.differentialPrivacy!.datasetVersionBudget.spentEpsilon).toBeGreaterThan(1);
      expect(c.differentialPrivacy!.datasetVersionBudget.spentEpsilon).toBeLessThan(1.5);
      expect((await call('POST', '/api/workspaces/alpha/models/los-lin/versions/1/approve', steward, {})).statusCode).toBe(200);
      const scored = await call('POST', '/api/workspaces/alpha/models/los-lin/predict', doc, { record: sampleRecord() });
      expect(scored.statusCode, scored.body).toBe(200);
      expect(Number.isInteger((scored.json() as { predictions: { prediction: number }[] }).predictions[0]!.prediction)).toBe(true);
    }, 180_000);

    it('the accountant refuses a request that would exceed the dataset version budget: nothing recorded, nothing spent', async () => {
      const before = await runs();
      const [ledgerBefore] = await ledger();
      // Alone above the budget, and within it alone but not on top of the ε already spent on this version.
      for (const epsilon of [BUDGET + 1, BUDGET]) {
        const res = await train({ name: 'too-much', privacy: { epsilon } });
        expect(res.statusCode, res.body).toBe(429);
        expect(res.json()).toMatchObject({ error: { code: 'HAVEN_PRIVACY_BUDGET_EXHAUSTED' } });
      }
      expect(await runs()).toHaveLength(before.length);
      expect(await ledger()).toEqual([ledgerBefore]);
      const audit = await t.instance.storage.read.audit.page(0, 100_000);
      expect(
        audit.filter((e) => e.action === 'model.train.start' && e.outcome === 'failure' && e.detail.code === 'HAVEN_PRIVACY_BUDGET_EXHAUSTED'),
      ).toHaveLength(2);
      // The ledger is compare-and-set: a writer holding a stale revision cannot overwrite it.
      const alpha = (await t.instance.storage.read.workspaces.byName('alpha'))!;
      const versionId = (await t.instance.storage.read.datasets.versions((await t.instance.catalog.dataset(alpha.id, 'stays')).id))[0]!.id;
      const stale = { versionId, workspaceId: alpha.id, state: '{}', revision: 1, updatedAt: new Date().toISOString() };
      expect(await t.instance.storage.transaction((repos) => repos.privacyLedgers.save(stale, 0))).toBe(false);
      expect(await t.instance.storage.transaction((repos) => repos.privacyLedgers.save(stale, 1))).toBe(false);
      expect(await ledger()).toEqual([ledgerBefore]);
    });
  });
}
