import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeFieldCiphertext } from '../../src/libs/crypto/field-cipher.js';
import { rotateWorkspace } from '../../src/services/keys/key-rotation.js';
import { reencryptWorkspace } from '../../src/services/keys/reencrypt-job.js';
import { ScoringService } from '../../src/services/models/scoring-service.js';
import { createPersona, type Persona } from '../helpers/personas.js';
import { rawQuery, rawSql } from '../helpers/raw-sql.js';
import { testStores } from '../helpers/stores.js';
import { buildTestApp, createTestInstance, type TestInstance } from '../helpers/test-instance.js';

const SAMPLE = readFileSync(new URL('../../../shared/data/los-10k.csv', import.meta.url));
const ADMISSION = JSON.parse(readFileSync(new URL('../../../shared/fhir/admit_100001.json', import.meta.url), 'utf8')) as unknown;

/** The first data row of the sample as a JSON record (what a caller would score). */
function sampleRecord(): Record<string, string> {
  const [header, first] = SAMPLE.toString('utf8').split(/\r?\n/);
  const names = header!.replace(/^\uFEFF/, '').split(',');
  const values = first!.split(',');
  return Object.fromEntries(names.map((n, i) => [n, values[i]!]));
}

interface RunView {
  run: number;
  status: string;
  errorCode: string | null;
  progress: { round: number; rounds: number } | null;
  results: { metrics: { rmse: number; r2: number }; privacyGate: { release: boolean }; importance: { feature: string }[] } | null;
  model: { name: string; version: number | null };
  datasetSha256: string;
}

for (const store of testStores()) {
  describe(`training, registry, approval and scoring [${store.name}]`, () => {
    let t: TestInstance;
    let app: FastifyInstance;
    let steward: Persona;
    let scientist: Persona;
    let dual: Persona;
    let doc: Persona;
    let auditor: Persona;
    let betaDoc: Persona;
    let datasetSha: string;

    const call = (method: 'GET' | 'POST', url: string, who: Persona, body?: unknown, type = 'application/json') =>
      app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${who.token}`, ...(body === undefined ? {} : { 'content-type': type }) },
        ...(body === undefined ? {} : { payload: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body) }),
      });

    async function finished(runNo: number, who: Persona = scientist): Promise<RunView> {
      for (let i = 0; i < 600; i++) {
        const r = (await call('GET', `/api/workspaces/alpha/training-runs/${runNo}`, who)).json() as RunView;
        if (!['queued', 'running'].includes(r.status)) {
          return r;
        }
        await new Promise((res) => setTimeout(res, 200));
      }
      throw new Error('run did not finish');
    }

    beforeAll(async () => {
      // Two training threads: the run's worker thread starts one more (the model is the same for any count).
      t = await createTestInstance(store, { withKeys: true, config: { models: { trainThreads: 2 } } });
      app = await buildTestApp(t);
      steward = await createPersona(t.instance, 'steward', { memberships: [{ workspace: 'alpha', role: 'data_steward' }] });
      scientist = await createPersona(t.instance, 'scientist', { memberships: [{ workspace: 'alpha', role: 'data_scientist' }] });
      dual = await createPersona(t.instance, 'dual', {
        memberships: [
          { workspace: 'alpha', role: 'data_scientist' },
          { workspace: 'alpha', role: 'data_steward' },
        ],
      });
      doc = await createPersona(t.instance, 'doc', { memberships: [{ workspace: 'alpha', role: 'clinician' }] });
      auditor = await createPersona(t.instance, 'auditor', { globalRoles: ['auditor'] });
      betaDoc = await createPersona(t.instance, 'betadoc', { memberships: [{ workspace: 'beta', role: 'clinician' }] });
      const imported = await call('POST', '/api/workspaces/alpha/datasets/stays/imports', steward, SAMPLE, 'text/csv');
      expect(imported.statusCode, imported.body).toBe(201);
      datasetSha = (imported.json() as { sha256: string }).sha256;
      expect((await call('POST', '/api/workspaces/alpha/datasets/stays/versions/1/publish', steward)).statusCode).toBe(200);
    }, 120_000);
    afterAll(async () => {
      await app.close();
      await t.cleanup();
      await store.cleanup();
    });

    it('refuses bad training requests before recording anything', async () => {
      const cases: [unknown, number, string][] = [
        [{ dataset: 'stays', target: 'lengthofstay', params: { bogus: 1 } }, 400, 'HAVEN_TRAIN_BAD_PARAM'],
        [{ dataset: 'stays', target: 'lengthofstay', params: { maxDepth: 'deep' } }, 400, 'HAVEN_TRAIN_BAD_PARAM'],
        [{ dataset: 'stays', target: 'no_such_column' }, 400, 'HAVEN_ML_TARGET_MISSING'],
        // An encrypted identifier is not in the pseudonymised view, so it cannot be a target either.
        [{ dataset: 'stays', target: 'Last' }, 400, 'HAVEN_ML_TARGET_MISSING'],
        [{ dataset: 'stays', version: 2, target: 'lengthofstay' }, 404, 'HAVEN_HTTP_NOT_FOUND'],
        [{ dataset: 'nothing', target: 'lengthofstay' }, 404, 'HAVEN_HTTP_NOT_FOUND'],
      ];
      for (const [body, status, code] of cases) {
        const res = await call('POST', '/api/workspaces/alpha/training-runs', scientist, body);
        expect(res.statusCode, res.body).toBe(status);
        expect(res.json()).toMatchObject({ error: { code } });
      }
      expect(((await call('GET', '/api/workspaces/alpha/training-runs', scientist)).json() as { runs: unknown[] }).runs).toEqual([]);
    });

    it('trains the length-of-stay model in the background on the pseudonymised view, records the experiment and registers a signed candidate', async () => {
      const started = await call('POST', '/api/workspaces/alpha/training-runs', scientist, { dataset: 'stays', target: 'lengthofstay', name: 'los', seed: 7 });
      expect(started.statusCode, started.body).toBe(202);
      expect(started.json()).toMatchObject({ run: 1, status: 'queued', datasetVersion: 1, datasetSha256: datasetSha, seed: 7, threads: 2 });
      const run = await finished(1);
      expect(run.status, JSON.stringify(run)).toBe('succeeded');
      expect(run.progress).toMatchObject({ round: 300, rounds: 300 });
      expect(run.results!.metrics.rmse).toBeLessThan(0.55);
      expect(run.results!.privacyGate.release).toBe(true);
      expect(run.model).toEqual({ name: 'los', version: 1 });
      const features = run.results!.importance.map((f) => f.feature);
      for (const id of ['eid', 'First', 'Last', 'vdate', 'discharged']) {
        expect(features.some((f) => f === id || f.startsWith(`${id}_`))).toBe(false);
      }
      const model = (await call('GET', '/api/workspaces/alpha/models/los/versions/1', steward)).json() as {
        stage: string;
        card: { lineage: { excludedColumns: string[] } & Record<string, unknown>; privacyAudit: { attacks: { attack: string; auc: number }[] } };
      };
      expect(model.stage).toBe('candidate');
      expect(model.card.lineage).toMatchObject({
        dataset: 'stays',
        datasetVersion: 1,
        datasetSha256: datasetSha,
        run: 1,
        seed: 7,
        rows: { train: 8000, test: 2000 },
      });
      expect(model.card.lineage.excludedColumns).toEqual(expect.arrayContaining(['eid', 'lengthofstay']));
      expect(model.card.privacyAudit.attacks.map((a: { attack: string }) => a.attack)).toEqual(['loss_threshold', 'lira']);
      expect(model.card.privacyAudit.attacks[0]!.auc).toBeLessThan(0.6);
      // The artifact is stored only as ciphertext: no tree structure or feature names in the row.
      const rows = await rawQuery(t, 'select artifact, signature from model');
      expect(String(rows[0]!.artifact)).not.toContain('haven-gbdt');
      expect(String(rows[0]!.artifact)).not.toContain('rcount');
    }, 180_000);

    it('only a steward who did not train it approves; the scientist and the auditor cannot', async () => {
      expect((await call('POST', '/api/workspaces/alpha/models/los/versions/1/approve', scientist, {})).statusCode).toBe(403);
      expect((await call('POST', '/api/workspaces/alpha/models/los/versions/1/approve', auditor, {})).statusCode).toBe(404);
      const ok = await call('POST', '/api/workspaces/alpha/models/los/versions/1/approve', steward, {});
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json()).toMatchObject({ stage: 'approved', approvedBy: steward.id, gateOverridden: false });
      expect((await call('POST', '/api/workspaces/alpha/models/los/versions/1/approve', steward, {})).json()).toMatchObject({
        error: { code: 'HAVEN_MODEL_STAGE' },
      });
    });

    it('a scientist who is also a steward cannot approve their own model', async () => {
      const started = await call('POST', '/api/workspaces/alpha/training-runs', dual, {
        dataset: 'stays',
        target: 'lengthofstay',
        name: 'dual',
        params: { nRounds: 20 },
      });
      expect(started.statusCode, started.body).toBe(202);
      const run = await finished((started.json() as RunView).run, dual);
      expect(run.status).toBe('succeeded');
      const res = await call('POST', '/api/workspaces/alpha/models/dual/versions/1/approve', dual, {});
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ error: { code: 'HAVEN_MODEL_SELF_APPROVAL' } });
      const ledger = await t.instance.storage.read.audit.page(0, 100_000);
      expect(ledger.some((e) => e.action === 'model.approve' && e.actor === dual.id && e.outcome === 'failure')).toBe(true);
    }, 120_000);

    it('the release gate refuses a leaky model unless a steward overrides with a reason', async () => {
      const started = await call('POST', '/api/workspaces/alpha/training-runs', scientist, {
        dataset: 'stays',
        target: 'lengthofstay',
        name: 'leaky',
        params: { maxDepth: 8, minSamplesLeaf: 1, nRounds: 200, lambda: 0 },
      });
      const run = await finished((started.json() as RunView).run);
      expect(run.status).toBe('succeeded');
      expect(run.results!.privacyGate.release).toBe(false);
      const refused = await call('POST', '/api/workspaces/alpha/models/leaky/versions/1/approve', steward, {});
      expect(refused.statusCode).toBe(409);
      expect(refused.json()).toMatchObject({ error: { code: 'HAVEN_MODEL_GATE_REFUSED' } });
      const overridden = await call('POST', '/api/workspaces/alpha/models/leaky/versions/1/approve', steward, {
        overrideReason: 'Synthetic research data only; accepted by the project board.',
      });
      expect(overridden.json()).toMatchObject({ stage: 'approved', gateOverridden: true });
      const ledger = await t.instance.storage.read.audit.page(0, 100_000);
      expect(ledger.find((e) => e.action === 'model.approve' && e.resource === 'model:leaky@1' && e.outcome === 'success')!.detail).toMatchObject({
        override: true,
      });
      expect(JSON.stringify(ledger)).not.toContain('project board');
      expect((await call('POST', '/api/workspaces/alpha/models/leaky/versions/1/retire', steward)).json()).toMatchObject({ stage: 'retired' });
    }, 120_000);

    it('a clinician scores JSON and CSV records with rounded outputs, intervals and OOD flags; others cannot score', async () => {
      const record = sampleRecord();
      const one = await call('POST', '/api/workspaces/alpha/models/los/predict', doc, { record });
      expect(one.statusCode, one.body).toBe(200);
      const body = one.json() as {
        model: { version: number };
        predictions: { prediction: number; interval: number[]; ood: { flagged: boolean } }[];
        budget: { used: number; limit: number };
      };
      expect(body.model.version).toBe(1);
      expect(Number.isInteger(body.predictions[0]!.prediction)).toBe(true);
      expect(Math.abs(body.predictions[0]!.prediction - Number(record.lengthofstay))).toBeLessThanOrEqual(1);
      expect(body.predictions[0]!.interval[0]).toBeLessThanOrEqual(body.predictions[0]!.prediction);
      expect(body.predictions[0]!.ood.flagged).toBe(false);
      expect(body.budget.used).toBe(1);

      const lowSodium = await call('POST', '/api/workspaces/alpha/models/los/predict', doc, { records: [{ ...record, sodium: '5.9' }] });
      expect((lowSodium.json() as { predictions: { ood: unknown }[] }).predictions[0]!.ood).toEqual({
        flagged: true,
        reasons: expect.arrayContaining([{ feature: 'sodium', kind: 'below_range' }]),
      });

      const csv = `${Object.keys(record).join(',')}\n${Object.values(record).join(',')}\n`;
      const fromCsv = await call('POST', '/api/workspaces/alpha/models/los/predict', doc, csv, 'text/csv');
      expect(fromCsv.statusCode, fromCsv.body).toBe(200);
      expect((fromCsv.json() as typeof body).predictions[0]!.prediction).toBe(body.predictions[0]!.prediction);

      const bad = await call('POST', '/api/workspaces/alpha/models/los/predict', doc, { record: { ...record, hematocrit: 'lots' } });
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({ error: { code: 'HAVEN_PREDICT_BAD_RECORD' } });
      expect(bad.body).not.toContain('lots');

      expect((await call('POST', '/api/workspaces/alpha/models/los/predict', scientist, { record })).statusCode).toBe(403);
      expect((await call('POST', '/api/workspaces/alpha/models/los/predict', auditor, { record })).statusCode).toBe(404);
      expect((await call('POST', '/api/workspaces/alpha/models/dual/predict', doc, { record })).json()).toMatchObject({
        error: { code: 'HAVEN_MODEL_NO_APPROVED' },
      });
      expect((await call('POST', '/api/workspaces/alpha/models/dual/predict?version=1', doc, { record })).json()).toMatchObject({
        error: { code: 'HAVEN_MODEL_NOT_SERVABLE' },
      });
    });

    it('scores an admission automatically and stores the prediction with the encounter; the reference sodium is flagged', async () => {
      const res = await call('POST', '/api/workspaces/alpha/admissions', doc, ADMISSION);
      expect(res.statusCode, res.body).toBe(201);
      const prediction = (res.json() as { prediction: Record<string, unknown> }).prediction;
      expect(prediction).toMatchObject({ status: 'scored', model: { name: 'los', version: 1 }, outOfDistribution: true, errorCode: null });
      expect(prediction.oodReasons).toContainEqual({ feature: 'sodium', kind: 'below_range' });
      expect(Number.isInteger(prediction.predictedLengthOfStay)).toBe(true);
      const again = (await call('GET', '/api/workspaces/alpha/encounters/100001', doc)).json() as { prediction: unknown };
      expect(again.prediction).toEqual(prediction);
    });

    it('enforces the query budget per principal and model version, with a ledger entry when exhausted', async () => {
      const record = sampleRecord();
      const probe = (await call('POST', '/api/workspaces/alpha/models/los/predict', doc, { record })).json() as { budget: { used: number; limit: number } };
      const left = probe.budget.limit - probe.budget.used;
      expect(left).toBeGreaterThanOrEqual(0);
      const over = await call('POST', '/api/workspaces/alpha/models/los/predict', doc, { records: Array.from({ length: left + 1 }, () => record) });
      expect(over.statusCode).toBe(429);
      expect(over.json()).toMatchObject({ error: { code: 'HAVEN_PREDICT_BUDGET_EXHAUSTED' } });
      // Nothing was spent by the refused request: the remaining budget can still be used exactly.
      if (left > 0) {
        const exact = await call('POST', '/api/workspaces/alpha/models/los/predict', doc, { records: Array.from({ length: left }, () => record) });
        expect(exact.statusCode, exact.body).toBe(200);
      }
      expect((await call('POST', '/api/workspaces/alpha/models/los/predict', doc, { record })).statusCode).toBe(429);
      const ledger = await t.instance.storage.read.audit.page(0, 100_000);
      expect(ledger.some((e) => e.action === 'model.predict' && e.outcome === 'failure' && e.detail.code === 'HAVEN_PREDICT_BUDGET_EXHAUSTED')).toBe(true);
    });

    it('rate-limits records per principal and model per minute; a refused request spends neither rate nor budget', async () => {
      const i = t.instance;
      const limited = new ScoringService(i.storage, i.audit, i.clock, i.models.registry, {
        queryBudget: 1000,
        budgetEnabled: true,
        windowHours: 24,
        maxBatch: 100,
        refuseOod: false,
        ratePerMinute: 3,
      });
      const alpha = (await i.storage.read.workspaces.byName('alpha'))!;
      const p = {
        subject: 'rate-tester',
        username: 'rate-tester',
        globalRoles: [],
        memberships: [],
        via: 'token' as const,
        tokenScopes: null,
        tokenWorkspace: null,
        mfaAt: null,
        fullyAuthenticated: true,
      };
      const record = sampleRecord();
      const first = await limited.predict(p, alpha.id, 'los', undefined, [record, record], 'rate-1');
      expect(first.budget.used).toBe(2);
      await expect(limited.predict(p, alpha.id, 'los', undefined, [record, record], 'rate-2')).rejects.toMatchObject({ code: 'HAVEN_PREDICT_RATE_LIMITED' });
      // Exactly the remaining record still fits: the refused request spent nothing.
      const third = await limited.predict(p, alpha.id, 'los', undefined, [record], 'rate-3');
      expect(third.budget.used).toBe(3);
      await expect(limited.predict(p, alpha.id, 'los', undefined, [record], 'rate-4')).rejects.toMatchObject({ code: 'HAVEN_PREDICT_RATE_LIMITED' });
    });

    it('refuses a tampered or foreign-workspace model', async () => {
      const [row] = await rawQuery(t, "select * from model where name = 'los' and version = 1");
      const ws = (await t.instance.storage.read.workspaces.byName('beta'))!;
      const cols = Object.keys(row!);
      const values = cols.map((c) =>
        c === 'id' ? "'foreign-copy'" : c === 'workspace_id' ? `'${ws.id}'` : row![c] === null ? 'null' : `'${String(row![c]).replace(/'/g, "''")}'`,
      );
      await rawSql(t, [`insert into model (${cols.join(',')}) values (${values.join(',')})`]);
      const foreign = await call('POST', '/api/workspaces/beta/models/los/predict', betaDoc, { record: sampleRecord() });
      expect(foreign.statusCode).toBe(500);
      expect(foreign.json()).toMatchObject({ error: { code: 'HAVEN_MODEL_INTEGRITY' } });

      await rawSql(t, [`update model set signature = '${Buffer.alloc(64, 1).toString('base64')}' where name = 'dual'`]);
      await t.instance.storage.transaction((repos) => repos.models.run(ws.id, 1)); // no-op read keeps the API honest
      const models = await t.instance.storage.read.models.models((await t.instance.storage.read.workspaces.byName('alpha'))!.id);
      const dualModel = models.find((m) => m.name === 'dual')!;
      await expect(t.instance.models.registry.load(dualModel)).rejects.toMatchObject({ code: 'HAVEN_MODEL_INTEGRITY' });
      await rawSql(t, [`update model set sign_key_id = 'ffffffffffffffff' where name = 'dual'`]);
      const unknownKey = (await t.instance.storage.read.models.models(dualModel.workspaceId)).find((m) => m.name === 'dual')!;
      await expect(t.instance.models.registry.load(unknownKey)).rejects.toMatchObject({ code: 'HAVEN_MODEL_SIGNING_KEY_UNKNOWN' });
    });

    it('cancels a running run (no model registered) and marks runs orphaned by a stopped process as failed', async () => {
      const started = await call('POST', '/api/workspaces/alpha/training-runs', scientist, {
        dataset: 'stays',
        target: 'lengthofstay',
        name: 'slow',
        params: { nRounds: 10000, maxDepth: 8 },
      });
      const runNo = (started.json() as RunView).run;
      for (let i = 0; i < 100; i++) {
        const r = (await call('GET', `/api/workspaces/alpha/training-runs/${runNo}`, scientist)).json() as RunView;
        if (r.status === 'running' && r.progress) {
          break;
        }
        await new Promise((res) => setTimeout(res, 100));
      }
      const cancelled = await call('POST', `/api/workspaces/alpha/training-runs/${runNo}/cancel`, scientist);
      expect(cancelled.statusCode, cancelled.body).toBe(200);
      expect(cancelled.json()).toMatchObject({ status: 'cancelled', errorCode: 'HAVEN_ML_TRAIN_CANCELLED', model: { version: null } });
      expect((await call('POST', `/api/workspaces/alpha/training-runs/${runNo}/cancel`, scientist)).json()).toMatchObject({
        error: { code: 'HAVEN_TRAIN_NOT_RUNNING' },
      });

      const alpha = (await t.instance.storage.read.workspaces.byName('alpha'))!;
      const orphan = { ...(await t.instance.storage.read.models.run(alpha.id, 1))!, id: 'orphan-run', runNo: 99, status: 'running' as const, finishedAt: null };
      await t.instance.storage.transaction((repos) => repos.models.insertRun(orphan));
      expect(await t.instance.models.training.recoverInterrupted()).toBe(1);
      expect((await call('GET', '/api/workspaces/alpha/training-runs/99', scientist)).json()).toMatchObject({
        status: 'failed',
        errorCode: 'HAVEN_TRAIN_INTERRUPTED',
      });
    }, 60_000);

    it('a constant target fails the run with its code, and the server keeps serving', async () => {
      const csv = 'a,b,y\n' + Array.from({ length: 200 }, (_, i) => `${i},${i % 7},3`).join('\n') + '\n';
      expect((await call('POST', '/api/workspaces/alpha/datasets/flat/imports', steward, csv, 'text/csv')).statusCode).toBe(201);
      await call('POST', '/api/workspaces/alpha/datasets/flat/versions/1/publish', steward);
      const started = await call('POST', '/api/workspaces/alpha/training-runs', scientist, { dataset: 'flat', target: 'y' });
      const run = await finished((started.json() as RunView).run);
      expect(run).toMatchObject({ status: 'failed', errorCode: 'HAVEN_ML_TARGET_CONSTANT' });
      expect((await call('GET', '/api/workspaces/alpha/training-runs', scientist)).statusCode).toBe(200);
    }, 60_000);
    it('key rotation and re-encryption move model artifacts to the new key version; the signature still verifies', async () => {
      const alpha = (await t.instance.storage.read.workspaces.byName('alpha'))!;
      const rt = await t.instance.keys();
      const version = async () =>
        decodeFieldCiphertext(
          Buffer.from(
            String((await rawQuery(t, `select artifact from model where name = 'los' and version = 1 and workspace_id = '${alpha.id}'`))[0]!.artifact),
            'base64url',
          ),
        ).keyVersion;
      expect(await version()).toBe(1);
      await rotateWorkspace(rt.keys, t.instance.storage, t.instance.audit, alpha.id);
      const report = await reencryptWorkspace(rt.keys, t.instance.storage, t.instance.audit, alpha.id, { usageCounters: [] });
      expect(report.bySource['models']).toBeGreaterThanOrEqual(1);
      expect(await version()).toBe(2);
      const record = (await t.instance.storage.read.models.model(alpha.id, 'los', 1))!;
      const loaded = await t.instance.models.registry.load(record);
      expect(loaded.artifact.name).toBe('los');
    }, 60_000);
  });
}
