/**
 * One training run as pure compute: train a model on the training rows — Haven's GBDT, or with `privacy` a
 * differentially private one (dp-gbdt.ts, dp-linear.ts) — evaluate it on the test rows, and audit it before anyone
 * can approve it — membership-inference attacks (loss threshold and LiRA with shadow models trained by the same
 * procedure, DP included), leaf coverage, the release gate — and fit what scoring needs (the out-of-distribution
 * profile, prediction intervals).
 * For a DP model everything in the artifact depends on the training rows only through the DP model: the OOD
 * profile is fitted on the test rows and importance is measured on them (see docs/decisions/0026).
 * No I/O and no clock: the caller measures time and stores results.
 */
import { isHavenError } from '../../errors/haven-error.js';
import { selectRows, type FeatureMatrix } from '../ml/feature-matrix.js';
import { featureImportance, trainGbdt, type GbdtOptions, type GbdtProgress } from '../ml/gbdt.js';
import { losDayAccuracy, regressionReport, type RegressionReport } from '../ml/metrics.js';
import { predictGbdt } from '../ml/predict.js';
import { createPrng } from '../ml/prng.js';
import { liraAttack, lossThresholdAttack, type LabelledRows, type MiaResult, type Predict } from '../ml-defence/membership-inference.js';
import { fitOodProfile, type OodProfile } from '../ml-defence/ood.js';
import { quantileSorted } from '../ml-defence/quantile.js';
import { checkLeafCoverage, releaseGate, type GateDecision, type LeafCoverage } from '../ml-defence/release-gate.js';
import { deriveNoiseKey, keyedRandom } from './keyed-random.js';
import { trainDpGbdt, type DpDerived } from './dp-gbdt.js';
import { trainDpLinear } from './dp-linear.js';
import type { DpPlan } from './dp-plan.js';
import { leafCounts } from './leaf-counts.js';
import { permutationImportance } from './permutation-importance.js';
import type { ModelKind, TrainedModel } from './trained-model.js';

/** A request for differentially private training. */
export interface DpTrainSpec {
  readonly epsilon: number;
  readonly delta: number;
  /** DP boosted trees or a DP linear model. */
  readonly mechanism: 'gbdt' | 'linear';
  /** 32 secret bytes seeding the noise; drawn per run from the CSPRNG and never stored (keyed-random.ts). */
  readonly noiseKey: Uint8Array;
  /** Trees (gbdt) or gradient-descent steps (linear); default per mechanism. */
  readonly nRounds?: number | undefined;
  readonly learningRate?: number | undefined;
  /** Leaf regulariser λ (gbdt only). */
  readonly lambda?: number | undefined;
}

/** What a DP run reports about its privacy (all of it safe to publish). */
export interface DpReport {
  readonly epsilon: number;
  readonly delta: number;
  readonly kind: ModelKind;
  readonly plan: DpPlan;
  readonly derived: Partial<DpDerived> & { readonly usableFeatures: number };
}

/** Everything a run needs; all of it transferable to a worker thread. */
export interface TrainJobInput {
  readonly matrix: FeatureMatrix;
  readonly target: Float64Array;
  /** 1 marks a test row (held out from training, used for metrics and as non-members in the audit). */
  readonly isTest: Uint8Array;
  /** 1 marks a training row used only for early stopping (subset of the non-test rows), or undefined. */
  readonly isValid?: Uint8Array | undefined;
  readonly options: Omit<GbdtOptions, 'valid' | 'onProgress' | 'shouldCancel'>;
  /** Train a differentially private model instead of `options`' GBDT (only `options.seed` is used then). */
  readonly privacy?: DpTrainSpec | undefined;
  readonly audit: {
    /** Members and non-members sampled for the attacks (each at most this many). */
    readonly sampleSize: number;
    /** LiRA shadow models. */
    readonly shadows: number;
    readonly maxAuc: number;
    readonly minLeafSamples: number;
  };
}

/** The privacy audit of a model, as stored in its model card. */
export interface PrivacyAudit {
  readonly attacks: readonly MiaResult[];
  /**
   * Training records per leaf (the structural disclosure check). Null for a DP model: its leaf values are noisy
   * releases (or post-processed DP weights), so a small or empty leaf discloses nothing the guarantee does not cover,
   * and the counts themselves would be statistics of the training rows outside the guarantee.
   */
  readonly leafCoverage: LeafCoverage | null;
  readonly gate: GateDecision;
  readonly maxAuc: number;
}

/** What a run produces. */
export interface TrainJobOutput {
  readonly trained: TrainedModel;
  /** The DP parameters, plan and accountant spend of a DP run; null otherwise. */
  readonly differentialPrivacy: DpReport | null;
  readonly rows: { readonly train: number; readonly valid: number; readonly test: number };
  readonly metrics: RegressionReport & { readonly exactDay: number; readonly withinOneDay: number };
  readonly importance: { feature: string; gain: number; share: number }[];
  readonly privacy: PrivacyAudit;
  readonly ood: OodProfile;
  /** Quantiles of test residuals (actual − predicted), for an 80 % prediction interval. */
  readonly residuals: { readonly q10: number; readonly q90: number };
}

function indices(mask: Uint8Array, want: (v: number, i: number) => boolean): Int32Array {
  const out: number[] = [];
  mask.forEach((v, i) => want(v, i) && out.push(i));
  return Int32Array.from(out);
}

function rowsOf(m: FeatureMatrix, rows: ArrayLike<number>): number[][] {
  const out: number[][] = [];
  for (let k = 0; k < rows.length; k++) {
    const r = rows[k]!;
    const row = new Array<number>(m.nCols);
    for (let c = 0; c < m.nCols; c++) {
      row[c] = m.data[c * m.nRows + r]!;
    }
    out.push(row);
  }
  return out;
}

function sample(rows: Int32Array, size: number, seed: number): Int32Array {
  if (rows.length <= size) {
    return rows;
  }
  const prng = createPrng(seed);
  const copy = Array.from(rows);
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(prng.next() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return Int32Array.from(copy.slice(0, size).sort((a, b) => a - b));
}

function labelled(m: FeatureMatrix, y: Float64Array, rows: Int32Array): LabelledRows {
  return { rows: rowsOf(m, rows), targets: Array.from(rows, (r) => y[r]!) };
}

function predictorOf(model: TrainedModel, names: readonly string[]): Predict {
  return (row) => predictGbdt(model.model, { nRows: 1, nCols: names.length, names, data: Float64Array.from(row) })[0]!;
}

function batchPredictorOf(model: TrainedModel, names: readonly string[]): (rows: readonly (readonly number[])[]) => Float64Array {
  return (rows) => {
    const n = rows.length;
    const data = new Float64Array(n * names.length);
    rows.forEach((row, r) => row.forEach((v, c) => (data[c * n + r] = v)));
    return predictGbdt(model.model, { nRows: n, nCols: names.length, names, data });
  };
}

type Hooks = { onProgress?: (p: GbdtProgress) => void; shouldCancel?: () => boolean };

/**
 * Train the run's kind of model. DP training draws its noise from `noiseKey` (shadows use derived keys).
 * @param input - options and privacy request
 * @param m - training features
 * @param y - training target
 * @param extra - validation data and hooks (GBDT), the noise key (DP)
 */
function trainModel(
  input: TrainJobInput,
  m: FeatureMatrix,
  y: Float64Array,
  extra: { valid?: GbdtOptions['valid']; hooks?: Hooks; seed?: number; noiseKey?: Uint8Array },
): { trained: TrainedModel; dp: DpReport | null } {
  const p = input.privacy;
  if (p === undefined) {
    const opts = {
      ...input.options,
      ...(extra.seed === undefined ? {} : { seed: extra.seed }),
      ...(extra.valid ? { valid: extra.valid } : {}),
      ...extra.hooks,
    };
    return { trained: { kind: 'gbdt', model: trainGbdt(m, y, opts) }, dp: null };
  }
  const random = keyedRandom(extra.noiseKey ?? p.noiseKey);
  if (p.mechanism === 'linear') {
    const r = trainDpLinear(m, y, { epsilon: p.epsilon, delta: p.delta, nRounds: p.nRounds, learningRate: p.learningRate }, random);
    return {
      trained: { kind: 'dp-linear', model: r.model },
      dp: { epsilon: p.epsilon, delta: p.delta, kind: 'dp-linear', plan: r.plan, derived: { usableFeatures: r.derived.usableFeatures } },
    };
  }
  const r = trainDpGbdt(
    m,
    y,
    { epsilon: p.epsilon, delta: p.delta, nRounds: p.nRounds, learningRate: p.learningRate, lambda: p.lambda, ...extra.hooks },
    random,
  );
  return { trained: { kind: 'dp-gbdt', model: r.model }, dp: { epsilon: p.epsilon, delta: p.delta, kind: 'dp-gbdt', plan: r.plan, derived: r.derived } };
}

/**
 * Membership-inference attacks on sampled members (training rows) and non-members (test rows): the loss-threshold
 * attack on the model itself, and LiRA with shadow models trained the same way on halves of the audit sample.
 */
function attack(input: TrainJobInput, model: TrainedModel, trainRows: Int32Array, testRows: Int32Array): MiaResult[] {
  const { matrix: m, target: y, audit } = input;
  const seed = (input.options.seed ?? 1) + 7919;
  const members = labelled(m, y, sample(trainRows, audit.sampleSize, seed));
  const nonMembers = labelled(m, y, sample(testRows, audit.sampleSize, seed + 1));
  const loss = input.options.objective === 'logloss' ? 'logloss' : 'squared';
  const batch = batchPredictorOf(model, m.names);
  const lossesOf = (d: LabelledRows): number[] => {
    const p = batch(d.rows);
    return d.targets.map((t, i) => (loss === 'squared' ? (p[i]! - t) ** 2 : -Math.log(Math.max(1e-12, t === 1 ? p[i]! : 1 - p[i]!))));
  };
  const threshold = lossThresholdAttack(lossesOf(members), lossesOf(nonMembers));
  const target = predictorOf(model, m.names);
  const lira = liraAttack({
    targetPredict: target,
    train: (rows, targets, s) => {
      const n = rows.length;
      const data = new Float64Array(n * m.nCols);
      rows.forEach((row, r) => row.forEach((v, c) => (data[c * n + r] = v)));
      const shadow = { nRows: n, nCols: m.nCols, names: m.names, data };
      const noiseKey = input.privacy ? deriveNoiseKey(input.privacy.noiseKey, `shadow:${s}`) : undefined;
      try {
        return predictorOf(trainModel(input, shadow, Float64Array.from(targets), { seed: s, ...(noiseKey ? { noiseKey } : {}) }).trained, m.names);
      } catch (err) {
        // On a shadow's few hundred records the DP procedure may find nothing above its noise and yield no model;
        // an attacker using the same procedure gets no shadow either: a constant one, which carries no signal.
        if (isHavenError(err) && err.code === 'HAVEN_TRAIN_PRIVACY_TOO_NOISY') {
          return () => 0;
        }
        throw err;
      }
    },
    members,
    nonMembers,
    shadows: audit.shadows,
    seed,
    loss,
  });
  return [
    threshold,
    {
      attack: lira.attack,
      auc: lira.auc,
      tprAt0_1pctFpr: lira.tprAt0_1pctFpr,
      tprAt1pctFpr: lira.tprAt1pctFpr,
      members: lira.members,
      nonMembers: lira.nonMembers,
    },
  ];
}

/**
 * Train, evaluate and audit.
 * @param input - matrix, target, split masks, options, audit settings
 * @param hooks - progress and cancellation (called from the round loop)
 */
export function trainAndAudit(input: TrainJobInput, hooks: Hooks = {}): TrainJobOutput {
  const { matrix: m, target: y, isTest } = input;
  // DP training has no early stopping (choosing the round by validation loss would not be private): no validation rows.
  const isValid = input.privacy === undefined && input.isValid ? input.isValid : new Uint8Array(m.nRows);
  const trainRows = indices(isTest, (v, i) => v === 0 && isValid[i] === 0);
  const validRows = indices(isTest, (v, i) => v === 0 && isValid[i] === 1);
  const testRows = indices(isTest, (v) => v === 1);
  const trainM = selectRows(m, trainRows);
  const trainY = Float64Array.from(trainRows, (r) => y[r]!);
  const valid = validRows.length > 0 ? { matrix: selectRows(m, validRows), target: Float64Array.from(validRows, (r) => y[r]!) } : undefined;
  const { trained, dp } = trainModel(input, trainM, trainY, { ...(valid ? { valid } : {}), hooks });
  const testY = Float64Array.from(testRows, (r) => y[r]!);
  const testM = selectRows(m, testRows);
  const testP = testRows.length > 0 ? predictGbdt(trained.model, testM) : new Float64Array(0);
  const report = testRows.length > 0 ? regressionReport(testY, testP) : { rmse: NaN, mae: NaN, r2: NaN, rae: NaN, rse: NaN };
  const days = testRows.length > 0 ? losDayAccuracy(testY, testP) : { exact: NaN, within1: NaN };
  const residuals = Array.from(testY, (v, i) => v - testP[i]!).sort((a, b) => a - b);
  const coverage = dp ? null : checkLeafCoverage(leafCounts(trained.model, trainM), input.audit.minLeafSamples);
  const attacks = testRows.length > 0 ? attack(input, trained, trainRows, testRows) : [];
  const gate = releaseGate({ attacks, leafCoverage: coverage ?? undefined }, { maxAuc: input.audit.maxAuc });
  const seed = input.options.seed ?? 1;
  // A DP model's artifact must not depend on the training rows except through the model: OOD from the test rows.
  const oodSource = dp ? testM : trainM;
  const oodRows = rowsOf(
    oodSource,
    sample(
      Int32Array.from({ length: oodSource.nRows }, (_, i) => i),
      20_000,
      seed + 31,
    ),
  );
  const importance =
    trained.kind === 'gbdt' ? featureImportance(trained.model) : permutationImportance((x) => predictGbdt(trained.model, x), testM, testY, seed + 37);
  return {
    trained,
    differentialPrivacy: dp,
    rows: { train: trainRows.length, valid: validRows.length, test: testRows.length },
    metrics: { ...report, exactDay: days.exact, withinOneDay: days.within1 },
    importance,
    privacy: { attacks, leafCoverage: coverage, gate, maxAuc: input.audit.maxAuc },
    ood: fitOodProfile(m.names, oodRows),
    residuals: residuals.length > 0 ? { q10: quantileSorted(residuals, 0.1), q90: quantileSorted(residuals, 0.9) } : { q10: 0, q90: 0 },
  };
}
