import type { RegressionReport } from '../../libs/ml/metrics.js';
import type { DpReport, PrivacyAudit } from '../../libs/ml-pipeline/train-and-audit.js';
import type { ModelKind } from '../../libs/ml-pipeline/trained-model.js';

/** What a DP model's card states about its guarantee and what it cost. */
export interface DifferentialPrivacyCard {
  readonly epsilon: number;
  readonly delta: number;
  readonly mechanism: string;
  /** The neighbouring relation the guarantee is stated for. */
  readonly neighbouring: string;
  readonly composition: string;
  /** The accountant's view of this run: its releases and the (ε, δ) they add up to. */
  readonly accountant: {
    readonly spentEpsilon: number;
    readonly delta: number;
    readonly releases: number;
    readonly rhoMarginals: number;
    readonly epsilonPerTree: number | null;
    readonly trees: number | null;
    readonly rhoDescent: number | null;
  };
  /** The dataset version's ledger after this run was charged (null when not tracked). */
  readonly datasetVersionBudget: { readonly budgetEpsilon: number; readonly spentEpsilon: number; readonly delta: number } | null;
  /** Values chosen from the DP marginals (post-processing). */
  readonly derived: Readonly<Record<string, number>>;
  readonly covers: string;
  readonly notCovered: readonly string[];
}

/** The model card: what the model is, what it was trained on, how well it does, what it must not be used for. */
export interface ModelCard {
  readonly model: {
    readonly name: string;
    readonly version: number;
    readonly kind: string;
    readonly objective: string;
    readonly target: string;
    readonly trees: number;
  };
  readonly lineage: {
    readonly dataset: string;
    readonly datasetVersion: number;
    readonly datasetSha256: string;
    readonly run: number;
    readonly trainedBy: string;
    readonly trainedAt: string;
    readonly havenVersion: string;
    readonly seed: number;
    readonly threads: number;
    readonly params: Readonly<Record<string, unknown>>;
    readonly rows: { readonly train: number; readonly valid: number; readonly test: number };
    readonly split: string;
    readonly excludedColumns: readonly string[];
  };
  readonly metrics: RegressionReport & { readonly exactDay: number; readonly withinOneDay: number };
  readonly topFeatures: readonly { readonly feature: string; readonly share: number }[];
  readonly intendedUse: string;
  readonly limits: readonly string[];
  readonly privacyAudit: PrivacyAudit;
  readonly differentialPrivacy: DifferentialPrivacyCard | null;
}

/** Inputs of a card, gathered by the training service. */
export interface CardInput {
  readonly name: string;
  readonly version: number;
  /** Model kind (default `gbdt`). */
  readonly kind?: ModelKind | undefined;
  readonly objective: string;
  readonly target: string;
  readonly trees: number;
  readonly lineage: ModelCard['lineage'];
  readonly metrics: ModelCard['metrics'];
  readonly importance: readonly { readonly feature: string; readonly share: number }[];
  readonly privacy: PrivacyAudit;
  /** The run's DP report and the dataset version's ledger after it (DP runs only). */
  readonly differentialPrivacy?: { readonly report: DpReport; readonly ledger: DifferentialPrivacyCard['datasetVersionBudget'] } | undefined;
}

const MECHANISMS: Readonly<Record<string, string>> = {
  'dp-gbdt':
    'DP gradient-boosted trees: Gaussian DP marginals give the bins (split candidates), base score and clipping bound; one tree per feature in turn with one leaf per bin (structure fixed before the data is read); gradients clipped; Laplace-noised leaf values (DPBoost bound)',
  'dp-linear':
    'DP linear model: Gaussian DP marginals give the feature and target scaling; full-batch noisy gradient descent with per-record L2 clipping (Gaussian); served as one tree per feature',
};

const round = (x: number, d = 6): number => Math.round(x * 10 ** d) / 10 ** d;

function dpSection(input: NonNullable<CardInput['differentialPrivacy']>): DifferentialPrivacyCard {
  const { report: r, ledger } = input;
  const trees = r.kind === 'dp-gbdt';
  return {
    epsilon: r.epsilon,
    delta: r.delta,
    mechanism: MECHANISMS[r.kind] ?? r.kind,
    neighbouring: 'add or remove one training record (a test record is never a training record)',
    composition:
      'marginals and gradient descent are Gaussian (zCDP, Bun & Steinke 2016); a tree costs ε per tree once (its leaves partition the records); trees compose sequentially; the total is the smaller of basic composition and all-zCDP composition, converted to (ε, δ)',
    accountant: {
      spentEpsilon: round(r.plan.spentEpsilon),
      delta: r.delta,
      releases: r.plan.costs.length,
      rhoMarginals: round(r.plan.rhoMarginals, 9),
      epsilonPerTree: trees ? round(r.plan.epsilonPerTree, 9) : null,
      trees: trees ? r.plan.trees : null,
      rhoDescent: trees ? null : round(r.plan.rhoDescent, 9),
    },
    datasetVersionBudget: ledger,
    derived: Object.fromEntries(Object.entries(r.derived).map(([k, v]) => [k, round(v as number)])),
    covers:
      'the model (every tree or weight) and everything in the artifact derived from it; the OOD profile, prediction intervals and feature importance come from the test records and the model only',
    notCovered: [
      'the test records (metrics, residual intervals, OOD profile and importance are computed on them without noise)',
      'the attack AUCs and TPRs of the privacy audit (computed on up to 1000 training records without noise)',
      'the number of training and test records',
      'the feature spec (column names, types and categorical levels are treated as the public schema of the dataset)',
      'non-DP models trained on the same dataset version (the ledger counts DP runs only)',
    ],
  };
}

/**
 * Build a model card. Pure: everything it states comes from the run.
 * @param c - the run's facts
 */
export function buildModelCard(c: CardInput): ModelCard {
  const dp = c.differentialPrivacy;
  const limits = [
    `Trained on ${c.lineage.rows.train} records of one dataset version; performance elsewhere is unknown until measured.`,
    'Records outside the training distribution are flagged when scored; their predictions are less reliable.',
    'Prediction intervals are empirical (test residual quantiles), not guarantees.',
    'Identifiers and encrypted columns were never features; pseudonymised join keys were excluded.',
  ];
  if (dp) {
    limits.push(
      `Trained with differential privacy (ε = ${dp.report.epsilon}, δ = ${dp.report.delta}): noise lowers accuracy; see differentialPrivacy for what the guarantee covers.`,
    );
  }
  return {
    model: { name: c.name, version: c.version, kind: c.kind ?? 'gbdt', objective: c.objective, target: c.target, trees: c.trees },
    lineage: c.lineage,
    metrics: c.metrics,
    topFeatures: c.importance.slice(0, 10).map((f) => ({ feature: f.feature, share: Math.round(f.share * 1000) / 1000 })),
    intendedUse: `Decision support: estimate ${c.target} for records like those of dataset ${c.lineage.dataset}@${c.lineage.datasetVersion}, reviewed by a clinician. Not for automated decisions about individuals.`,
    limits,
    privacyAudit: c.privacy,
    differentialPrivacy: dp ? dpSection(dp) : null,
  };
}
