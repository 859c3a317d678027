/**
 * ROC summaries of a membership-inference attack. Scores: higher means "more likely a member".
 */
import { HavenError } from '../../errors/haven-error.js';

/**
 * Area under the ROC curve = P(score of a random member > score of a random non-member), ties counting ½
 * (the Mann–Whitney U statistic divided by n₁·n₀), computed by sorting with average ranks.
 * @param memberScores - attack scores of members (positives)
 * @param nonMemberScores - attack scores of non-members (negatives)
 */
export function rocAuc(memberScores: readonly number[], nonMemberScores: readonly number[]): number {
  checkScores(memberScores, nonMemberScores);
  const all = [
    ...memberScores.map((s) => ({ s, pos: true })),
    ...nonMemberScores.map((s) => ({ s, pos: false })),
  ].sort((a, b) => a.s - b.s);
  let rankSumPos = 0;
  let i = 0;
  while (i < all.length) {
    let j = i;
    while (j + 1 < all.length && all[j + 1]!.s === all[i]!.s) {
      j++;
    }
    const avgRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (all[k]!.pos) {
        rankSumPos += avgRank;
      }
    }
    i = j + 1;
  }
  const n1 = memberScores.length;
  const n0 = nonMemberScores.length;
  return (rankSumPos - (n1 * (n1 + 1)) / 2) / (n1 * n0);
}

/**
 * True-positive rate at a false-positive rate of at most `fpr`: the threshold is the smallest one that lets
 * through at most ⌊fpr·n₀⌋ non-members (strictly-greater comparison, so ties never add false positives).
 * With fewer than 1/fpr non-members this is the TPR at FPR = 0 (a conservative estimate).
 * @param memberScores - attack scores of members
 * @param nonMemberScores - attack scores of non-members
 * @param fpr - the false-positive rate, e.g. 0.001
 */
export function tprAtFpr(memberScores: readonly number[], nonMemberScores: readonly number[], fpr: number): number {
  checkScores(memberScores, nonMemberScores);
  if (!(fpr >= 0 && fpr < 1)) {
    throw new HavenError('HAVEN_PRIVACY_INVALID_PARAMETER', undefined, { detail: { parameter: 'fpr' } });
  }
  const neg = [...nonMemberScores].sort((a, b) => b - a);
  const allowed = Math.floor(fpr * neg.length + 1e-9);
  const threshold = neg[allowed] ?? -Infinity;
  return memberScores.filter((s) => s > threshold).length / memberScores.length;
}

function checkScores(pos: readonly number[], neg: readonly number[]): void {
  if (pos.length === 0 || neg.length === 0 || [...pos, ...neg].some((s) => Number.isNaN(s))) {
    throw new HavenError('HAVEN_PRIVACY_INVALID_INPUT', undefined, { detail: { reason: 'empty_or_nan_scores' } });
  }
}
