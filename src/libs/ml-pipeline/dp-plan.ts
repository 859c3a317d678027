/**
 * How a DP training run splits its (ε, δ) target between its releases, and the exact list of costs it will spend.
 *
 * DP gradient-boosted trees make 1 + T releases: the noisy marginals (Gaussian, ρ_m-zCDP) and, per tree, the
 * noisy leaf values (Laplace, pure ε_t: the leaves of one tree partition the records, so by parallel composition
 * the whole tree costs ε_t once). The accountant (libs/privacy/dp/privacy-accountant.ts) bounds the total as the
 * smaller of basic composition (T·ε_t + ε(ρ_m)) and all-zCDP composition (ε-DP ⇒ ε²/2-zCDP, so
 * ρ = ρ_m + T·ε_t²/2, converted once); the plan gives the marginals a fixed share of the zCDP budget and then the
 * largest ε_t whose total stays within ε, and checks the result by spending every cost in a fresh accountant.
 */
import { HavenError } from '../../errors/haven-error.js';
import { epsilonToZcdp, zcdpToEpsilon } from '../privacy/dp/mechanisms.js';
import { createAccountant, spend, spentEpsilon, type PrivacyCost } from '../privacy/dp/privacy-accountant.js';

/** Share of the run's zCDP budget spent on the marginals (bins, base score, clipping bound). */
export const MARGINAL_SHARE = 0.1;

/** One planned release. `label` is a safe identifier for the ledger. */
export interface PlannedCost {
  readonly label: string;
  readonly cost: PrivacyCost;
}

/** The budget split of one DP training run. */
export interface DpPlan {
  readonly epsilon: number;
  readonly delta: number;
  readonly rhoMarginals: number;
  /** ε of each tree's leaf values (0 for a linear model). */
  readonly epsilonPerTree: number;
  readonly trees: number;
  /** ρ of the noisy gradient descent of a linear model (0 for trees). */
  readonly rhoDescent: number;
  readonly costs: readonly PlannedCost[];
  /** What the accountant says the costs add up to (≤ epsilon). */
  readonly spentEpsilon: number;
}

function requireTarget(epsilon: number, delta: number): void {
  if (!Number.isFinite(epsilon) || epsilon <= 0) {
    throw new HavenError('HAVEN_PRIVACY_INVALID_PARAMETER', undefined, { detail: { parameter: 'epsilon' } });
  }
  if (!(delta > 0 && delta < 1)) {
    throw new HavenError('HAVEN_PRIVACY_INVALID_PARAMETER', undefined, { detail: { parameter: 'delta' } });
  }
}

function checked(plan: Omit<DpPlan, 'spentEpsilon'>): DpPlan {
  let acc = createAccountant({ epsilon: plan.epsilon, delta: plan.delta });
  for (const c of plan.costs) {
    acc = spend(acc, c.cost, c.label);
  }
  return { ...plan, spentEpsilon: spentEpsilon(acc) };
}

/**
 * Plan a DP-GBDT run.
 * @param epsilon - total ε of the run (> 0)
 * @param delta - δ in (0, 1)
 * @param trees - number of trees T (≥ 1)
 */
export function planDpGbdt(epsilon: number, delta: number, trees: number): DpPlan {
  requireTarget(epsilon, delta);
  if (!Number.isInteger(trees) || trees < 1) {
    throw new HavenError('HAVEN_PRIVACY_INVALID_PARAMETER', undefined, { detail: { parameter: 'trees' } });
  }
  const rhoMarginals = MARGINAL_SHARE * epsilonToZcdp(epsilon, delta);
  const total = (e: number): number => Math.min(trees * e + zcdpToEpsilon(rhoMarginals, delta), zcdpToEpsilon(rhoMarginals + (trees * e * e) / 2, delta));
  let lo = 0;
  let hi = epsilon;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (total(mid) <= epsilon) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  const costs: PlannedCost[] = [{ label: 'marginals', cost: { kind: 'zcdp', rho: rhoMarginals } }];
  for (let t = 0; t < trees; t++) {
    costs.push({ label: `tree:${t}`, cost: { kind: 'pure', epsilon: lo } });
  }
  return checked({ epsilon, delta, rhoMarginals, epsilonPerTree: lo, trees, rhoDescent: 0, costs });
}

/**
 * Plan a DP linear-model run: the marginals (for feature scaling and target centring) and the noisy gradient
 * descent share one zCDP budget, converted once.
 * @param epsilon - total ε of the run (> 0)
 * @param delta - δ in (0, 1)
 */
export function planDpLinear(epsilon: number, delta: number): DpPlan {
  requireTarget(epsilon, delta);
  const rho = epsilonToZcdp(epsilon, delta);
  const rhoMarginals = MARGINAL_SHARE * rho;
  const rhoDescent = rho - rhoMarginals;
  const costs: PlannedCost[] = [
    { label: 'marginals', cost: { kind: 'zcdp', rho: rhoMarginals } },
    { label: 'descent', cost: { kind: 'zcdp', rho: rhoDescent } },
  ];
  return checked({ epsilon, delta, rhoMarginals, epsilonPerTree: 0, trees: 0, rhoDescent, costs });
}
