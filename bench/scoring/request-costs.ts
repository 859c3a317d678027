import { performance } from 'node:perf_hooks';
import { buildFeatureMatrix } from '../../src/libs/ml/feature-matrix.js';
import { predictGbdt } from '../../src/libs/ml/predict.js';
import type { ScoreRecord } from '../../src/services/models/scoring-service.js';
import { BENCH_MODEL, type ScoringInstance } from './scoring-instance.js';

/** What the parts of one prediction request cost, measured in process. */
export interface RequestCosts {
  /** Mean µs, one call at a time: `AuditService.record`, one hash-chained ledger entry in its own transaction. */
  readonly auditRecord: number;
  /** Mean µs: the query-budget spend, one conditional UPDATE in its own transaction. */
  readonly spendQueries: number;
  /** Mean µs: bearer token authentication, including its last-used write. */
  readonly authenticate: number;
  /** Mean µs: finding the approved model (`ModelRegistry.approvedRecord`, which reads every version's row). */
  readonly approvedLookup: number;
  /** Mean µs: `ScoringService.predict` for one record (lookup, budget spend, OOD check, model, ledger entry). */
  readonly scoringPredict: number;
  /** Mean µs: the model alone, feature matrix from the record and `predictGbdt`. */
  readonly modelOnly: number;
  /** Ledger entries per second with `concurrency` appends in flight (as under HTTP load). */
  readonly auditRecordConcurrentPerSecond: number;
  /** `ScoringService.predict` calls per second with `concurrency` in flight. */
  readonly scoringPredictConcurrentPerSecond: number;
  readonly concurrency: number;
}

async function timeEach(n: number, fn: (i: number) => Promise<unknown> | unknown): Promise<number> {
  await fn(-1);
  const t = performance.now();
  for (let i = 0; i < n; i++) {
    await fn(i);
  }
  return ((performance.now() - t) * 1000) / n;
}

async function perSecondConcurrent(total: number, concurrency: number, fn: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const t = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        await fn(next++);
      }
    }),
  );
  return total / ((performance.now() - t) / 1000);
}

/**
 * Time the parts of a prediction request separately, to show where its time goes. An HTTP prediction is token
 * authentication (a read and a last-used write) + `ScoringService.predict` (approved-model lookup, budget spend
 * transaction, model, ledger transaction) + the request's own ledger line (a third transaction): four SQLite commits,
 * each synchronous on the event loop.
 * @param s - the instance (its clinician's budget is spent by these calls)
 * @param record - the record to score
 * @param n - calls per part
 * @param concurrency - calls in flight for the concurrent figures
 */
export async function measureRequestCosts(s: ScoringInstance, record: ScoreRecord, n: number, concurrency: number): Promise<RequestCosts> {
  const { instance, clinician, workspaceId } = s;
  const model = (await instance.storage.read.models.model(workspaceId, BENCH_MODEL, 1))!;
  const { artifact } = await instance.models.registry.load(model);
  const subject = clinician.principal.subject;
  const ledgerLine = (i: number): Promise<number> =>
    instance.audit.record(instance.storage, {
      actor: subject,
      action: 'http.request',
      resource: 'POST /bench',
      outcome: 'success',
      requestId: `bench-${i}`,
      detail: { status: 200 },
    });
  const predict = (i: number): Promise<unknown> =>
    instance.models.scoring.predict(clinician.principal, workspaceId, BENCH_MODEL, undefined, [record], `bench-${i}`);
  const auditRecord = await timeEach(n, ledgerLine);
  const spendQueries = await timeEach(n, () =>
    instance.storage.transaction((repos) => repos.models.spendQueries(model.id, `bench-${subject}`, 'bench-window', 1, Number.MAX_SAFE_INTEGER)),
  );
  const authenticate = await timeEach(n, () => instance.tokens.authenticate(instance.storage, clinician.token));
  const approvedLookup = await timeEach(n, () => instance.models.registry.approvedRecord(workspaceId, BENCH_MODEL));
  const scoringPredict = await timeEach(n, predict);
  const modelOnly = await timeEach(n, () => {
    const columns = Object.fromEntries(artifact.spec.columns.map((c) => [c.name, [record[c.name]]]));
    return predictGbdt(artifact.model, buildFeatureMatrix(artifact.spec, columns))[0];
  });
  const auditRecordConcurrentPerSecond = await perSecondConcurrent(n, concurrency, ledgerLine);
  const scoringPredictConcurrentPerSecond = await perSecondConcurrent(n, concurrency, predict);
  return {
    auditRecord,
    spendQueries,
    authenticate,
    approvedLookup,
    scoringPredict,
    modelOnly,
    auditRecordConcurrentPerSecond,
    scoringPredictConcurrentPerSecond,
    concurrency,
  };
}
