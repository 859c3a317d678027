import type { ControlStatus, EvidenceItem, EvidenceValue } from '../../../libs/report/evidence-document.js';
import type { EvidenceFacts } from './evidence-facts.js';

/** What one check concludes from the facts: a status, a one-line reason and the facts it looked at. */
export interface CheckOutcome {
  readonly status: ControlStatus;
  readonly summary: string;
  readonly evidence: readonly EvidenceItem[];
}

/** A check: a pure judgement of measured facts. */
export type Check = (facts: EvidenceFacts) => CheckOutcome;

/**
 * One evidence item.
 * @param id - stable machine id (dotted)
 * @param label - what it is, for people
 * @param value - the measured value
 */
export function fact(id: string, label: string, value: EvidenceValue): EvidenceItem {
  return { id, label, value };
}

/**
 * Pass when there are no problems, else fail naming them.
 * @param problems - one sentence per problem found (empty: pass)
 * @param okSummary - the summary when there is none
 * @param evidence - the facts looked at
 */
export function judge(problems: readonly string[], okSummary: string, evidence: readonly EvidenceItem[]): CheckOutcome {
  return problems.length === 0 ? { status: 'pass', summary: okSummary, evidence } : { status: 'fail', summary: problems.join('; '), evidence };
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.floor((Date.parse(to) - Date.parse(from)) / 86_400_000);
}
