/**
 * Model-extraction test utilities and the default per-user query budget.
 *
 * The test: give an "attacker" the answers to N queries, fit a surrogate on them, and measure how well the
 * surrogate agrees with the real model on a probe set. For regression: the fraction of probes whose rounded
 * predictions are equal, and R² of the surrogate against the real model's predictions (not the truth).
 *
 * The budget (why `defaultQueryBudget` returns what it does):
 *  - Linear and logistic models. Tramèr et al., "Stealing Machine Learning Models via Prediction APIs"
 *    (USENIX Security 2016, §4.1 equation-solving attacks): a model f(x) = w·x + b (or σ(w·x + b) with
 *    confidences returned, after taking the logit) over d features has d + 1 unknowns, so d + 1 queries in
 *    general position recover it EXACTLY. With at most d answers the linear system is under-determined: a
 *    whole line of models fits them, so exact extraction is impossible.
 *  - Decision trees. Tramèr et al. §4.2 (path-finding): the attacker must locate every leaf and binary-search
 *    every split threshold, i.e. at least one query per leaf plus about log₂(range/precision) queries per
 *    split on each path; their real trees took hundreds to thousands of queries. Any attack also needs
 *    ≥ d + 1 queries just to vary each feature once against a baseline.
 *  - Gradient-boosted ensembles (Haven's model). No cheaper exact attack is known than for their trees, but
 *    a USEFUL approximate copy is cheaper: the linear interpolant through d + 1 answers already captures the
 *    model's linear component, which for LOS-style targets is most of its behaviour.
 *  So d + 1 answers are enough for exact extraction of the simplest class and for a useful linear copy of
 *  every class; the default budget is therefore d queries for every model kind (d ≥ 1), per user per release
 *  of the model. Deployments that must serve batch scoring raise it for trusted roles, knowingly.
 */
import { HavenError } from '../../errors/haven-error.js';
import { fitRidge, predictLinearFit, type LinearFit } from './linalg.js';
import type { Predict } from './membership-inference.js';

/** Model classes the budget knows. */
export type ModelKind = 'linear' | 'logistic' | 'tree' | 'gbdt';

/**
 * Default maximum number of scoring queries one user may make against one model release.
 * @param modelKind - the model class
 * @param nFeatures - number of input features d
 * @returns d (strictly below the d + 1 queries that extract a linear model exactly; see the file comment)
 */
export function defaultQueryBudget(modelKind: ModelKind, nFeatures: number): number {
  if (!Number.isInteger(nFeatures) || nFeatures < 1) {
    throw new HavenError('HAVEN_PRIVACY_INVALID_PARAMETER', undefined, { detail: { parameter: 'nFeatures' } });
  }
  switch (modelKind) {
    case 'linear':
    case 'logistic':
    case 'tree':
    case 'gbdt':
      return nFeatures;
  }
}

/** A fitted surrogate. */
export interface Surrogate extends LinearFit {
  readonly predict: Predict;
}

/**
 * Fit the attacker's ridge surrogate on the queries it got answered.
 * @param queries - the query rows
 * @param answers - the real model's answers
 * @param lambda - ridge penalty (default 1e-6: near-exact interpolation, as an equation-solving attacker would)
 */
export function fitSurrogate(queries: readonly (readonly number[])[], answers: readonly number[], lambda = 1e-6): Surrogate {
  const fit = fitRidge(queries, answers, lambda);
  return { ...fit, predict: (x) => predictLinearFit(fit, x) };
}

/** Agreement of a surrogate with the real model on a probe set. */
export interface ExtractionAgreement {
  /** Fraction of probes where both predictions round to the same value at `decimals`. */
  readonly roundedAgreement: number;
  /** R² of the surrogate's predictions against the real model's. */
  readonly r2: number;
  readonly probes: number;
}

/**
 * Compare a surrogate with the real model.
 * @param real - the real model
 * @param surrogate - the attacker's copy
 * @param probes - probe rows (from the deployment's input distribution)
 * @param decimals - rounding for the equality check (default 0: whole days of stay)
 */
export function extractionAgreement(real: Predict, surrogate: Predict, probes: readonly (readonly number[])[], decimals = 0): ExtractionAgreement {
  if (probes.length === 0) {
    throw new HavenError('HAVEN_PRIVACY_INVALID_INPUT', undefined, { detail: { reason: 'no_probes' } });
  }
  const f = 10 ** decimals;
  const y = probes.map((p) => real(p));
  const s = probes.map((p) => surrogate(p));
  const mean = y.reduce((a, b) => a + b, 0) / y.length;
  let ssRes = 0;
  let ssTot = 0;
  let equal = 0;
  y.forEach((v, i) => {
    ssRes += (v - s[i]!) ** 2;
    ssTot += (v - mean) ** 2;
    if (Math.round(v * f) === Math.round(s[i]! * f)) {
      equal++;
    }
  });
  return { roundedAgreement: equal / y.length, r2: ssTot > 0 ? 1 - ssRes / ssTot : ssRes === 0 ? 1 : 0, probes: y.length };
}
