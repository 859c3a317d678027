/**
 * The evidence report as data: what `haven doctor --report` writes as report.json and renders as report.html.
 * Values are counts, settings, dates, booleans and key fingerprints — never secrets, names or PHI.
 */

/** The outcome of one control. */
export type ControlStatus = 'pass' | 'fail' | 'not-applicable';

/** One measured fact. */
export type EvidenceValue = string | number | boolean;

/** A fact behind a control's status, with a stable id for machines and a label for people. */
export interface EvidenceItem {
  readonly id: string;
  readonly label: string;
  readonly value: EvidenceValue;
}

/** A framework the report covers (e.g. the HIPAA Security Rule's technical safeguards). */
export interface ReportFramework {
  readonly id: string;
  readonly name: string;
  readonly source: string;
}

/** One evaluated control: which requirement, its status now, why, and the facts measured. */
export interface ReportControl {
  readonly id: string;
  readonly framework: string;
  readonly ref: string;
  readonly title: string;
  readonly requirement: string;
  readonly status: ControlStatus;
  readonly summary: string;
  readonly evidence: readonly EvidenceItem[];
}

/** A statement of a framework the report deliberately does not evaluate, and why. */
export interface OutOfScopeStatement {
  readonly framework: string;
  readonly ref: string;
  readonly title: string;
  readonly reason: string;
}

/** Counts of control statuses. */
export interface ReportSummary {
  readonly total: number;
  readonly pass: number;
  readonly fail: number;
  readonly notApplicable: number;
}

/** The whole report. */
export interface EvidenceDocument {
  readonly format: 'haven-evidence-report';
  readonly version: 1;
  readonly generatedAt: string;
  readonly instanceId: string;
  readonly havenVersion: string;
  readonly store: string;
  readonly summary: ReportSummary;
  readonly frameworks: readonly ReportFramework[];
  readonly controls: readonly ReportControl[];
  readonly outOfScope: readonly OutOfScopeStatement[];
}

/**
 * Count the statuses of a list of controls.
 * @param controls - evaluated controls
 */
export function summarise(controls: readonly ReportControl[]): ReportSummary {
  const count = (s: ControlStatus): number => controls.filter((c) => c.status === s).length;
  return { total: controls.length, pass: count('pass'), fail: count('fail'), notApplicable: count('not-applicable') };
}
