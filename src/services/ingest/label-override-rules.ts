import { HavenError } from '../../errors/haven-error.js';
import type { ClassKind, ClassLabel, ColumnClassification, DirectKind, QuasiKind, SensitiveKind } from '../../libs/classify/index.js';
import type { ColumnAction, ColumnHandling } from './handling-policy.js';

/** Labels a steward may give a column (`secret` stops an import; it is never a label to keep). */
export type StewardLabel = Exclude<ClassLabel, 'secret'>;

// Records keyed by every kind: the compiler fails when the classifier gains a kind these lists do not name.
const DIRECT: Record<DirectKind, true> = {
  name: true,
  geographic_subunit: true,
  date: true,
  phone: true,
  fax: true,
  email: true,
  ssn: true,
  mrn: true,
  health_plan_id: true,
  account_number: true,
  licence_number: true,
  vehicle_id: true,
  device_id: true,
  url: true,
  ip_address: true,
  biometric: true,
  unique_id: true,
};
const QUASI: Record<QuasiKind, true> = { age: true, sex: true, zip3: true, facility: true, provider: true, year: true, demographic: true };
const SENSITIVE: Record<SensitiveKind, true> = { diagnosis: true, lab_value: true, vital_sign: true, clinical_flag: true, outcome: true, free_text: true };

/** The kinds each steward label accepts (non_sensitive takes none). */
export const KINDS_OF_LABEL: Readonly<Record<StewardLabel, readonly ClassKind[]>> = {
  direct_identifier: Object.keys(DIRECT) as DirectKind[],
  quasi_identifier: Object.keys(QUASI) as QuasiKind[],
  sensitive_attribute: Object.keys(SENSITIVE) as SensitiveKind[],
  non_sensitive: [],
};

/** What the classifier said before a steward changed it. */
export interface DetectedLabel {
  readonly label: ClassLabel;
  readonly kind?: ClassKind;
  readonly confidence: number;
}

/** A steward's override, kept with the version (the ledger records only the fact). */
export interface LabelOverrideRecord {
  readonly by: string;
  readonly at: string;
  readonly reason: string;
  /** The classifier's own label, kept across later overrides. */
  readonly detected: DetectedLabel;
}

/** A classification entry as stored: the detector's evidence always, and the override when a steward made one. */
export interface StoredClassification extends ColumnClassification {
  readonly overriddenBy?: string;
  readonly override?: LabelOverrideRecord;
}

/** A stored-values move in progress: the column's values are going from `from` to the entry's action. */
export interface PendingRewrite {
  readonly from: ColumnAction;
  /** Rows up to this row number are done (the resumable checkpoint). */
  readonly afterRowNo: number;
}

/** A handling entry as stored, with a pending rewrite while a label override moves the column's values. */
export interface StoredHandling extends ColumnHandling {
  readonly pending?: PendingRewrite;
}

/**
 * Check a steward's label and kind: the label must be one a steward may give, the kind one of that label's kinds.
 * @param label - the label asked for
 * @param kind - the kind asked for (optional)
 */
export function checkLabelKind(label: string, kind: string | undefined): { label: StewardLabel; kind: ClassKind | undefined } {
  if (!Object.hasOwn(KINDS_OF_LABEL, label)) {
    throw new HavenError('HAVEN_INGEST_LABEL_INVALID', undefined, { detail: { reason: 'label' } });
  }
  const kinds = KINDS_OF_LABEL[label as StewardLabel];
  if (kind !== undefined && !(kinds as readonly string[]).includes(kind)) {
    throw new HavenError('HAVEN_INGEST_LABEL_INVALID', undefined, { detail: { reason: 'kind' } });
  }
  return { label: label as StewardLabel, kind: kind as ClassKind | undefined };
}

const RANK: Readonly<Record<ColumnAction, number>> = { plain: 0, pseudonymise: 1, encrypt: 2 };

/**
 * How a change of action moves a column's protection: encrypted is the most protective, then pseudonymised (values
 * encrypted, plus a keyed pseudonym scientists can join on), then plain.
 * @param from - the current action
 * @param to - the new action
 */
export function protectionChange(from: ColumnAction, to: ColumnAction): 'same' | 'more' | 'less' {
  return RANK[to] === RANK[from] ? 'same' : RANK[to] > RANK[from] ? 'more' : 'less';
}

/**
 * The classification entry after a steward's override: new label and kind at full confidence, the evidence kept,
 * who did it, and the classifier's original label (from the first override, if there were several).
 * @param entry - the stored entry
 * @param next - the steward's label and kind
 * @param by - the steward's subject id
 * @param at - ISO time
 * @param reason - the steward's reason
 */
export function overriddenEntry(
  entry: StoredClassification,
  next: { label: StewardLabel; kind: ClassKind | undefined },
  by: string,
  at: string,
  reason: string,
): StoredClassification {
  const detected: DetectedLabel = entry.override?.detected ?? {
    label: entry.label,
    ...(entry.kind !== undefined ? { kind: entry.kind } : {}),
    confidence: entry.confidence,
  };
  const { kind: _previousKind, ...rest } = entry;
  void _previousKind;
  return {
    ...rest,
    label: next.label,
    ...(next.kind !== undefined ? { kind: next.kind } : {}),
    confidence: 1,
    overriddenBy: by,
    override: { by, at, reason, detected },
  };
}
