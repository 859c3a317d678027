/**
 * A privacy accountant: a plain serialisable state object plus pure functions that return a new state.
 * The service stores the state (per dataset, per user or per release channel) and calls `spend` before
 * every noisy release; `spend` throws HAVEN_PRIVACY_BUDGET_EXHAUSTED instead of going over the budget.
 *
 * Two valid bounds on the total (ε, δ) are computed and the smaller is used:
 *  - basic composition: Σ ε_pure  +  ε(ρ_gauss, δ)   (pure releases add up; Gaussian ones compose in zCDP)
 *  - all-zCDP: ε-DP implies (ε²/2)-zCDP, so ρ_total = Σ ε²/2 + ρ_gauss, converted once to (ε, δ).
 * The second wins when there are many small pure releases; the first when there are a few large ones.
 * With a budget δ = 0 only pure releases are possible.
 */
import { HavenError } from '../../../errors/haven-error.js';
import { zcdpToEpsilon } from './mechanisms.js';

/** An (ε, δ) budget. */
export interface PrivacyBudget {
  readonly epsilon: number;
  readonly delta: number;
}

/** One privacy cost: a pure ε-DP release or a ρ-zCDP release (e.g. a Gaussian mechanism). */
export type PrivacyCost = { readonly kind: 'pure'; readonly epsilon: number } | { readonly kind: 'zcdp'; readonly rho: number };

/** One recorded spend; `label` is a safe identifier (query id, job id), never data. */
export interface AccountantEntry {
  readonly label: string;
  readonly cost: PrivacyCost;
}

/** The serialisable accountant state. */
export interface AccountantState {
  readonly version: 1;
  readonly budget: PrivacyBudget;
  readonly pureEpsilonSum: number;
  readonly pureEpsilonSqSum: number;
  readonly gaussianRho: number;
  readonly entries: readonly AccountantEntry[];
}

// Relative slack so that spending a budget split into equal floating-point parts is not refused by rounding.
const SLACK = 1e-9;

/**
 * A fresh accountant with nothing spent.
 * @param budget - total (ε, δ); ε > 0, 0 ≤ δ < 1
 */
export function createAccountant(budget: PrivacyBudget): AccountantState {
  if (!Number.isFinite(budget.epsilon) || budget.epsilon <= 0 || !(budget.delta >= 0 && budget.delta < 1)) {
    throw new HavenError('HAVEN_PRIVACY_INVALID_PARAMETER', undefined, { detail: { parameter: 'budget' } });
  }
  return { version: 1, budget, pureEpsilonSum: 0, pureEpsilonSqSum: 0, gaussianRho: 0, entries: [] };
}

/**
 * The ε spent so far at the budget's δ (the smaller of the two composition bounds; Infinity if a zCDP
 * release was made against δ = 0, which `spend` never allows).
 * @param state - accountant state
 */
export function spentEpsilon(state: AccountantState): number {
  return totalEpsilon(state.pureEpsilonSum, state.pureEpsilonSqSum, state.gaussianRho, state.budget.delta);
}

/**
 * The ε still available (≥ 0).
 * @param state - accountant state
 */
export function remainingEpsilon(state: AccountantState): number {
  return Math.max(0, state.budget.epsilon - spentEpsilon(state));
}

/**
 * Whether `cost` fits in the remaining budget.
 * @param state - accountant state
 * @param cost - the release's cost
 */
export function canSpend(state: AccountantState, cost: PrivacyCost): boolean {
  validateCost(cost);
  const next = applyCost(state, cost);
  const eps = totalEpsilon(next.pureEpsilonSum, next.pureEpsilonSqSum, next.gaussianRho, state.budget.delta);
  return eps <= state.budget.epsilon * (1 + SLACK);
}

/**
 * Record a release and return the new state, or throw HAVEN_PRIVACY_BUDGET_EXHAUSTED (state unchanged).
 * @param state - accountant state
 * @param cost - the release's cost
 * @param label - safe identifier of the release, kept for the audit trail
 */
export function spend(state: AccountantState, cost: PrivacyCost, label: string): AccountantState {
  if (!canSpend(state, cost)) {
    throw new HavenError('HAVEN_PRIVACY_BUDGET_EXHAUSTED', undefined, {
      detail: { spentEpsilon: round6(spentEpsilon(state)), budgetEpsilon: state.budget.epsilon, entries: state.entries.length },
    });
  }
  return { ...applyCost(state, cost), entries: [...state.entries, { label, cost }] };
}

function applyCost(state: AccountantState, cost: PrivacyCost): AccountantState {
  if (cost.kind === 'pure') {
    return {
      ...state,
      pureEpsilonSum: state.pureEpsilonSum + cost.epsilon,
      pureEpsilonSqSum: state.pureEpsilonSqSum + cost.epsilon * cost.epsilon,
    };
  }
  return { ...state, gaussianRho: state.gaussianRho + cost.rho };
}

function validateCost(cost: PrivacyCost): void {
  const v = cost.kind === 'pure' ? cost.epsilon : cost.rho;
  if (!Number.isFinite(v) || v <= 0) {
    throw new HavenError('HAVEN_PRIVACY_INVALID_PARAMETER', undefined, { detail: { parameter: cost.kind === 'pure' ? 'epsilon' : 'rho' } });
  }
}

function totalEpsilon(pureSum: number, pureSqSum: number, rho: number, delta: number): number {
  if (delta === 0) {
    return rho > 0 ? Infinity : pureSum;
  }
  const basic = pureSum + (rho > 0 ? zcdpToEpsilon(rho, delta) : 0);
  const allZcdp = zcdpToEpsilon(pureSqSum / 2 + rho, delta);
  return Math.min(basic, allZcdp);
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
