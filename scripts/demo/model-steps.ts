import { api, type DemoContext } from './demo-context.js';
import type { DemoStep } from './demo-steps.js';

const CURL = 'curl --cacert .haven-demo/tls/ca.pem';
const BASE = 'https://127.0.0.1:8443';
const WS = '/api/workspaces/demo';

interface RunView {
  run: number;
  status: string;
  errorCode: string | null;
  progress: { round: number; rounds: number } | null;
  model: { name: string; version: number | null };
  results: {
    metrics: Record<string, number>;
    rows: { train: number; test: number };
    importance: { feature: string; share: number }[];
    privacyGate: { release: boolean; reasons: string[] };
    timings: { totalSeconds: number };
  } | null;
}

interface Attack {
  attack: string;
  auc: number;
  tprAt1pctFpr: number;
  tprAt0_1pctFpr: number;
}

function expectStatus(actual: number, expected: number, what: string): void {
  if (actual !== expected) {
    throw new Error(`${what}: expected HTTP ${expected}, got ${actual}`);
  }
}

async function waitForRun(ctx: DemoContext, run: number): Promise<RunView> {
  for (;;) {
    const r = await api(ctx, 'GET', `${WS}/training-runs/${run}`, { token: ctx.tokens.get('scientist')! });
    expectStatus(r.status, 200, 'training run');
    const view = r.body as RunView;
    if (view.status !== 'queued' && view.status !== 'running') {
      return view;
    }
    await new Promise((res) => setTimeout(res, 500));
  }
}

/** A record of the generated stays' shape, to score (the clinician's own patient list). */
function scoringRecords(): Record<string, string | number>[] {
  const base = {
    rcount: '1',
    gender: 'F',
    dialysisrenalendstage: 0,
    asthma: 0,
    irondef: 0,
    pneum: 0,
    substancedependence: 0,
    psychologicaldisordermajor: 0,
    depress: 0,
    psychother: 0,
    fibrosisandother: 0,
    malnutrition: 0,
    hemo: 0,
    hematocrit: 11.5,
    neutrophils: 10.2,
    sodium: 137.9,
    glucose: 140,
    bloodureanitro: 12,
    creatinine: 1.1,
    bmi: 29.5,
    pulse: 74,
    respiration: 6.5,
    secondarydiagnosisnonicd9: 1,
    facid: 'B',
  };
  return [base, { ...base, rcount: '5+', psychologicaldisordermajor: 1, pneum: 1, facid: 'E' }, { ...base, sodium: 9.4 }];
}

/** The data scientist trains the LOS model; its metrics, top features and privacy audit are printed. */
export const TRAIN_STEP: DemoStep = {
  persona: 'data scientist',
  title: 'Train the length-of-stay model inside the boundary: progress, test metrics, top features and the privacy audit',
  shell: [
    `${CURL} -H "Authorization: Bearer $SCIENTIST_TOKEN" -H 'content-type: application/json' -d '{"dataset":"stays","target":"lengthofstay","name":"los"}' ${BASE}/api/workspaces/demo/training-runs`,
    `${CURL} -H "Authorization: Bearer $SCIENTIST_TOKEN" ${BASE}/api/workspaces/demo/training-runs/1`,
  ].join('\n'),
  async run(ctx) {
    const started = await api(ctx, 'POST', `${WS}/training-runs`, {
      token: ctx.tokens.get('scientist')!,
      json: { dataset: 'stays', target: 'lengthofstay', name: 'los' },
    });
    expectStatus(started.status, 202, 'start training');
    const run = await waitForRun(ctx, (started.body as RunView).run);
    if (run.status !== 'succeeded' || !run.results) {
      throw new Error(`training run ended ${run.status} (${String(run.errorCode)})`);
    }
    const m = run.results.metrics;
    const f = (v: number | undefined): string => (v === undefined ? '-' : v.toFixed(3));
    return [
      `run ${run.run}: ${run.status} in ${run.results.timings.totalSeconds.toFixed(1)} s (${run.progress?.round ?? 0} rounds) on ${run.results.rows.train} training rows; model ${run.model.name} version ${run.model.version} registered as a signed candidate`,
      `test metrics on ${run.results.rows.test} held-out stays: RMSE ${f(m.rmse)}  MAE ${f(m.mae)}  R² ${f(m.r2)}  exact day ${f(m.exactDay)}  within one day ${f(m.withinOneDay)}`,
      `top features: ${run.results.importance
        .slice(0, 5)
        .map((x) => `${x.feature} ${(x.share * 100).toFixed(1)}%`)
        .join(', ')}`,
      `privacy release gate: ${run.results.privacyGate.release ? 'pass' : `refuse (${run.results.privacyGate.reasons.join(', ')})`}`,
    ].join('\n');
  },
};

/** The steward reads the model card and approves; the trainer cannot approve their own model. */
export const APPROVE_STEP: DemoStep = {
  persona: 'data steward',
  title: 'Approve the model for serving: the steward (never its trainer) reads the model card and its membership-inference audit',
  shell: [
    `${CURL} -H "Authorization: Bearer $STEWARD_TOKEN" ${BASE}/api/workspaces/demo/models/los/versions/1`,
    `${CURL} -X POST -H "Authorization: Bearer $STEWARD_TOKEN" -H 'content-type: application/json' -d '{}' ${BASE}/api/workspaces/demo/models/los/versions/1/approve`,
  ].join('\n'),
  async run(ctx) {
    const byScientist = await api(ctx, 'POST', `${WS}/models/los/versions/1/approve`, { token: ctx.tokens.get('scientist')!, json: {} });
    expectStatus(byScientist.status, 403, 'scientist approval');
    const card = await api(ctx, 'GET', `${WS}/models/los/versions/1`, { token: ctx.tokens.get('steward')! });
    expectStatus(card.status, 200, 'model card');
    const r = await api(ctx, 'POST', `${WS}/models/los/versions/1/approve`, { token: ctx.tokens.get('steward')!, json: {} });
    expectStatus(r.status, 200, 'approve');
    const body = r.body as {
      stage: string;
      signKeyId: string;
      card: { lineage: { datasetSha256: string }; privacyAudit: { attacks: Attack[]; leafCoverage: { smallestLeaf: number } } };
    };
    return [
      `the data scientist trying to approve their own model: HTTP ${byScientist.status}`,
      `los version 1: ${body.stage}; artifact encrypted at rest, signed with key ${body.signKeyId}; trained on stays@1 (sha256 ${body.card.lineage.datasetSha256.slice(0, 16)}…)`,
      ...body.card.privacyAudit.attacks.map(
        (a) =>
          `membership inference (${a.attack}): AUC ${a.auc.toFixed(3)}, TPR ${(a.tprAt1pctFpr * 100).toFixed(1)}% at 1% FPR, ${(a.tprAt0_1pctFpr * 100).toFixed(1)}% at 0.1% FPR`,
      ),
      `smallest tree leaf covers ${body.card.privacyAudit.leafCoverage.smallestLeaf} training records`,
    ].join('\n');
  },
};

/** The clinician scores a small batch; an implausible sodium is flagged out of distribution. */
export const SCORE_STEP: DemoStep = {
  persona: 'clinician',
  title: 'Score a batch of records: whole-day predictions with intervals, out-of-distribution flags, the query budget',
  shell: `${CURL} -H "Authorization: Bearer $CLINICIAN_TOKEN" -H 'content-type: application/json' --data-binary @patients.json ${BASE}/api/workspaces/demo/models/los/predict`,
  async run(ctx) {
    const r = await api(ctx, 'POST', `${WS}/models/los/predict`, { token: ctx.tokens.get('clinician')!, json: { records: scoringRecords() } });
    expectStatus(r.status, 200, 'predict');
    const body = r.body as {
      model: { version: number };
      predictions: { prediction: number; interval: number[]; ood: { flagged: boolean; reasons: { feature: string | null; kind: string }[] } }[];
      budget: { used: number; limit: number };
    };
    const auditor = await api(ctx, 'POST', `${WS}/models/los/predict`, { token: ctx.tokens.get('auditor')!, json: { records: scoringRecords() } });
    return [
      ...body.predictions.map(
        (p, i) =>
          `record ${i + 1}: ${p.prediction} days (80% interval ${p.interval[0]}–${p.interval[1]})${p.ood.flagged ? `  OUT OF DISTRIBUTION: ${p.ood.reasons.map((x) => (x.feature ? `${x.feature} ${x.kind}` : x.kind)).join(', ')}` : ''}`,
      ),
      `model los version ${body.model.version}; the clinician's query budget: ${body.budget.used} of ${body.budget.limit} used today`,
      `the auditor trying to score: HTTP ${auditor.status}`,
    ].join('\n');
  },
};
