/**
 * Membership-inference audits of a trained model.
 *
 * 1. Loss-threshold attack (Yeom et al. 2018): a record is guessed "member" when the model's loss on it is
 *    low. Score = −loss.
 * 2. Shadow-model / LiRA attack (Carlini et al. 2022, "Membership Inference Attacks From First Principles"):
 *    K shadow models are trained on random halves of a reference pool (here: the audited members and
 *    non-members together), so each example is IN about K/2 shadows and OUT of the others. Per example, the
 *    shadows' (log-)losses give Gaussian IN and OUT distributions; the score is the likelihood ratio of the
 *    target model's loss under them. With few shadows the per-example variances are unreliable, so a global
 *    (pooled) variance is used, as the paper recommends for small K; examples never OUT fall back to the
 *    global OUT fit and examples never IN to the offline (OUT-only) score.
 * Both return ROC AUC and TPR at 0.1 % and 1 % FPR; at low FPR read TPR with the number of non-members in mind.
 */
import { HavenError } from '../../errors/haven-error.js';
import { seededRandom } from '../privacy/dp/seeded-random.js';
import { rocAuc, tprAtFpr } from './roc.js';

/** A model as the audit sees it: one prediction per feature row. */
export type Predict = (row: readonly number[]) => number;

/** Training function for shadow models (deterministic in `seed`). */
export type Train = (rows: readonly (readonly number[])[], targets: readonly number[], seed: number) => Predict;

/** Loss used to score predictions: squared error (regression) or log loss (probabilities of class 1). */
export type LossKind = 'squared' | 'logloss';

/** Rows with their targets. */
export interface LabelledRows {
  readonly rows: readonly (readonly number[])[];
  readonly targets: readonly number[];
}

/** Result of one attack. */
export interface MiaResult {
  readonly attack: 'loss_threshold' | 'lira';
  readonly auc: number;
  readonly tprAt0_1pctFpr: number;
  readonly tprAt1pctFpr: number;
  readonly members: number;
  readonly nonMembers: number;
}

/**
 * Per-record losses of a model.
 * @param predict - the model
 * @param data - rows and targets
 * @param loss - 'squared' or 'logloss'
 */
export function lossesFromModel(predict: Predict, data: LabelledRows, loss: LossKind = 'squared'): number[] {
  if (data.rows.length !== data.targets.length) {
    throw new HavenError('HAVEN_PRIVACY_INVALID_INPUT', undefined, { detail: { reason: 'rows_targets_mismatch' } });
  }
  return data.rows.map((r, i) => lossOf(predict(r), data.targets[i]!, loss));
}

/**
 * Loss-threshold attack from per-record losses.
 * @param memberLosses - losses on training rows
 * @param nonMemberLosses - losses on held-out rows
 */
export function lossThresholdAttack(memberLosses: readonly number[], nonMemberLosses: readonly number[]): MiaResult {
  return summarise('loss_threshold', memberLosses.map((l) => -l), nonMemberLosses.map((l) => -l));
}

/** Options of the LiRA attack. */
export interface LiraOptions {
  /** The audited model. */
  readonly targetPredict: Predict;
  /** Trains a shadow model like the audited one was trained. */
  readonly train: Train;
  /** Training rows of the audited model. */
  readonly members: LabelledRows;
  /** Held-out rows from the same distribution. */
  readonly nonMembers: LabelledRows;
  /** Number of shadow models K (default 16; ≥ 2). */
  readonly shadows?: number | undefined;
  /** Seed for the halves and the shadow trainings. */
  readonly seed: number;
  readonly loss?: LossKind | undefined;
}

/**
 * Shadow-model likelihood-ratio attack (LiRA, online variant with global variance for K < 16).
 * @param opts - target model, trainer, members, non-members, K, seed, loss
 */
export function liraAttack(opts: LiraOptions): MiaResult & { readonly variance: 'per_example' | 'global' } {
  const k = opts.shadows ?? 16;
  if (!Number.isInteger(k) || k < 2) {
    throw new HavenError('HAVEN_PRIVACY_INVALID_PARAMETER', undefined, { detail: { parameter: 'shadows' } });
  }
  const loss = opts.loss ?? 'squared';
  const rows = [...opts.members.rows, ...opts.nonMembers.rows];
  const targets = [...opts.members.targets, ...opts.nonMembers.targets];
  const n = rows.length;
  const nm = opts.members.rows.length;
  if (nm === 0 || n === nm || targets.length !== n) {
    throw new HavenError('HAVEN_PRIVACY_INVALID_INPUT', undefined, { detail: { reason: 'empty_members_or_non_members' } });
  }
  const ins: number[][] = rows.map(() => []);
  const outs: number[][] = rows.map(() => []);
  const rand = seededRandom(opts.seed);
  const idx = rows.map((_, i) => i);
  for (let s = 0; s < k; s++) {
    shuffle(idx, rand);
    const half = new Set(idx.slice(0, Math.floor(n / 2)));
    const sel = [...half];
    const shadow = opts.train(sel.map((i) => rows[i]!), sel.map((i) => targets[i]!), opts.seed * 1000 + s + 1);
    for (let i = 0; i < n; i++) {
      const t = transform(lossOf(shadow(rows[i]!), targets[i]!, loss));
      (half.has(i) ? ins[i]! : outs[i]!).push(t);
    }
  }
  const globalIn = pooled(ins);
  const globalOut = pooled(outs);
  const perExample = k >= 16;
  const scores = rows.map((r, i) => {
    const t = transform(lossOf(opts.targetPredict(r), targets[i]!, loss));
    const out = fit(outs[i]!, globalOut, perExample);
    const inn = fit(ins[i]!, globalIn, perExample);
    if (ins[i]!.length === 0) {
      return (out.mean - t) / out.sd; // offline: how much lower than the OUT losses
    }
    return logNormal(t, inn.mean, inn.sd) - logNormal(t, out.mean, out.sd);
  });
  return { ...summarise('lira', scores.slice(0, nm), scores.slice(nm)), variance: perExample ? 'per_example' : 'global' };
}

function summarise(attack: MiaResult['attack'], pos: readonly number[], neg: readonly number[]): MiaResult {
  return {
    attack,
    auc: rocAuc(pos, neg),
    tprAt0_1pctFpr: tprAtFpr(pos, neg, 0.001),
    tprAt1pctFpr: tprAtFpr(pos, neg, 0.01),
    members: pos.length,
    nonMembers: neg.length,
  };
}

function lossOf(pred: number, y: number, kind: LossKind): number {
  if (!Number.isFinite(pred)) {
    throw new HavenError('HAVEN_PRIVACY_INVALID_INPUT', undefined, { detail: { reason: 'non_finite_prediction' } });
  }
  if (kind === 'squared') {
    return (pred - y) * (pred - y);
  }
  const p = Math.min(1 - 1e-12, Math.max(1e-12, pred));
  return -(y * Math.log(p) + (1 - y) * Math.log(1 - p));
}

// Losses are skewed and often near 0 on members; the log makes IN/OUT distributions closer to Gaussian.
function transform(loss: number): number {
  return Math.log(loss + 1e-8);
}

interface Gauss {
  readonly mean: number;
  readonly sd: number;
}

function pooled(groups: readonly (readonly number[])[]): Gauss {
  let n = 0;
  let sum = 0;
  let ssWithin = 0;
  let dof = 0;
  for (const g of groups) {
    if (g.length === 0) {
      continue;
    }
    const m = g.reduce((a, b) => a + b, 0) / g.length;
    n += g.length;
    sum += g.reduce((a, b) => a + b, 0);
    ssWithin += g.reduce((a, b) => a + (b - m) * (b - m), 0);
    dof += g.length - 1;
  }
  const within = Math.sqrt(dof > 0 ? ssWithin / dof : 1);
  return { mean: n > 0 ? sum / n : 0, sd: Math.max(within, 1e-3) };
}

function fit(values: readonly number[], global: Gauss, perExample: boolean): Gauss {
  if (values.length === 0) {
    return global;
  }
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  if (!perExample || values.length < 3) {
    return { mean, sd: global.sd };
  }
  const v = values.reduce((a, b) => a + (b - mean) * (b - mean), 0) / (values.length - 1);
  // Floor the per-example spread so a few identical shadow losses cannot produce an infinite ratio.
  return { mean, sd: Math.max(Math.sqrt(v), 0.1 * global.sd) };
}

function logNormal(x: number, mean: number, sd: number): number {
  const z = (x - mean) / sd;
  return -0.5 * z * z - Math.log(sd);
}

function shuffle(a: number[], rand: () => number): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
}
