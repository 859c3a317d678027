/**
 * The release decision for a trained model: refuse when a membership-inference attack does clearly better
 * than guessing, or when a tree model has leaves covering too few training records (a leaf value over 1–4
 * patients is close to publishing their outcomes). Reasons are codes plus numbers, never data.
 */
import { HavenError } from '../../errors/haven-error.js';
import type { MiaResult } from './membership-inference.js';

/** Leaf coverage of a tree ensemble: per tree, the number of training records in each leaf. */
export interface LeafCoverage {
  readonly ok: boolean;
  readonly minSamples: number;
  readonly smallestLeaf: number;
  /** Number of leaves below `minSamples`, and the trees that have one. */
  readonly violations: number;
  readonly treesWithViolations: readonly number[];
}

/**
 * Structural disclosure check: every leaf must cover at least `minSamples` training records.
 * @param leafCounts - per tree, the training-record count of every leaf
 * @param minSamples - minimum records per leaf (default 5)
 */
export function checkLeafCoverage(leafCounts: readonly (readonly number[])[], minSamples = 5): LeafCoverage {
  if (!Number.isInteger(minSamples) || minSamples < 1) {
    throw new HavenError('HAVEN_PRIVACY_INVALID_PARAMETER', undefined, { detail: { parameter: 'minSamples' } });
  }
  let violations = 0;
  let smallest = Infinity;
  const trees: number[] = [];
  leafCounts.forEach((leaves, t) => {
    let bad = false;
    for (const c of leaves) {
      if (!Number.isInteger(c) || c < 0) {
        throw new HavenError('HAVEN_PRIVACY_INVALID_INPUT', undefined, { detail: { reason: 'bad_leaf_count', tree: t } });
      }
      smallest = Math.min(smallest, c);
      if (c < minSamples) {
        violations++;
        bad = true;
      }
    }
    if (bad) {
      trees.push(t);
    }
  });
  return { ok: violations === 0, minSamples, smallestLeaf: Number.isFinite(smallest) ? smallest : 0, violations, treesWithViolations: trees };
}

/** What the gate looks at. */
export interface ReleaseAudit {
  readonly attacks: readonly MiaResult[];
  readonly leafCoverage?: LeafCoverage | undefined;
}

/** Limits of the gate. */
export interface ReleaseGateOptions {
  /** Highest acceptable attack AUC (default 0.60). */
  readonly maxAuc?: number | undefined;
  /** Highest acceptable TPR at 1 % FPR (default 0.05, i.e. 5× the rate of guessing). */
  readonly maxTprAt1pctFpr?: number | undefined;
  /** Smallest audit size that makes the numbers meaningful (default 100 members and 100 non-members). */
  readonly minAuditSize?: number | undefined;
}

/** One reason for a refusal. */
export interface GateReason {
  readonly code: 'mia_auc_too_high' | 'mia_tpr_at_low_fpr_too_high' | 'audit_too_small' | 'no_attack_run' | 'leaf_too_small';
  readonly attack?: MiaResult['attack'] | undefined;
  readonly value?: number | undefined;
  readonly limit?: number | undefined;
}

/** The gate's decision. */
export interface GateDecision {
  readonly release: boolean;
  readonly reasons: readonly GateReason[];
}

/**
 * Decide whether a model may be released.
 * @param audit - attack results (all attacks run) and optional leaf coverage
 * @param opts - limits
 */
export function releaseGate(audit: ReleaseAudit, opts: ReleaseGateOptions = {}): GateDecision {
  const maxAuc = opts.maxAuc ?? 0.6;
  const maxTpr = opts.maxTprAt1pctFpr ?? 0.05;
  const minSize = opts.minAuditSize ?? 100;
  const reasons: GateReason[] = [];
  if (audit.attacks.length === 0) {
    reasons.push({ code: 'no_attack_run' });
  }
  for (const a of audit.attacks) {
    if (a.members < minSize || a.nonMembers < minSize) {
      reasons.push({ code: 'audit_too_small', attack: a.attack, value: Math.min(a.members, a.nonMembers), limit: minSize });
    }
    if (a.auc > maxAuc) {
      reasons.push({ code: 'mia_auc_too_high', attack: a.attack, value: a.auc, limit: maxAuc });
    }
    if (a.tprAt1pctFpr > maxTpr) {
      reasons.push({ code: 'mia_tpr_at_low_fpr_too_high', attack: a.attack, value: a.tprAt1pctFpr, limit: maxTpr });
    }
  }
  if (audit.leafCoverage !== undefined && !audit.leafCoverage.ok) {
    reasons.push({ code: 'leaf_too_small', value: audit.leafCoverage.smallestLeaf, limit: audit.leafCoverage.minSamples });
  }
  return { release: reasons.length === 0, reasons };
}
