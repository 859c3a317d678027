import type { ControlStatus, EvidenceDocument, EvidenceItem, ReportControl } from '../../../libs/report/evidence-document.js';
import { summarise } from '../../../libs/report/evidence-document.js';
import type { CheckOutcome } from './check-outcome.js';
import { CONTROLS, FRAMEWORKS, OUT_OF_SCOPE, type ControlSpec } from './control-catalogue.js';
import type { EvidenceFacts } from './evidence-facts.js';

/** A control fails when any check fails; passes when none fails and one passes; otherwise does not apply. */
function combinedStatus(outcomes: readonly CheckOutcome[]): ControlStatus {
  if (outcomes.some((o) => o.status === 'fail')) {
    return 'fail';
  }
  return outcomes.some((o) => o.status === 'pass') ? 'pass' : 'not-applicable';
}

function mergedEvidence(outcomes: readonly CheckOutcome[]): EvidenceItem[] {
  const seen = new Set<string>();
  const out: EvidenceItem[] = [];
  for (const item of outcomes.flatMap((o) => o.evidence)) {
    if (!seen.has(item.id)) {
      seen.add(item.id);
      out.push(item);
    }
  }
  return out;
}

/**
 * Evaluate one control against the facts.
 * @param spec - the control
 * @param facts - the measured facts
 */
export function evaluateControl(spec: ControlSpec, facts: EvidenceFacts): ReportControl {
  const outcomes = spec.checks.map((check) => check(facts));
  const status = combinedStatus(outcomes);
  // The summary names what decided the status: the failing checks when it failed, every check otherwise.
  const deciding = status === 'fail' ? outcomes.filter((o) => o.status === 'fail') : outcomes;
  return {
    id: spec.id,
    framework: spec.framework,
    ref: spec.ref,
    title: spec.title,
    requirement: spec.requirement,
    status,
    summary: deciding.map((o) => o.summary).join('; '),
    evidence: mergedEvidence(outcomes),
  };
}

/**
 * Evaluate every control of the catalogue and assemble the report.
 * @param facts - the measured facts
 * @param controls - the controls to evaluate (default: the whole catalogue)
 */
export function buildEvidenceDocument(facts: EvidenceFacts, controls: readonly ControlSpec[] = CONTROLS): EvidenceDocument {
  const evaluated = controls.map((c) => evaluateControl(c, facts));
  return {
    format: 'haven-evidence-report',
    version: 1,
    generatedAt: facts.generatedAt,
    instanceId: facts.instanceId,
    havenVersion: facts.havenVersion,
    store: facts.store,
    summary: summarise(evaluated),
    frameworks: FRAMEWORKS,
    controls: evaluated,
    outOfScope: OUT_OF_SCOPE,
  };
}
