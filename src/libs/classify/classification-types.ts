import type { ColumnType } from '../formats/csv/schema-infer.js';
import type { SecretKind } from './secret-detectors.js';

/** The class of a column. `secret` stops an import. */
export type ClassLabel = 'direct_identifier' | 'quasi_identifier' | 'sensitive_attribute' | 'non_sensitive' | 'secret';

/** Kinds of direct identifiers (the HIPAA Safe Harbor list, plus free text holding them). */
export type DirectKind =
  | 'name'
  | 'geographic_subunit'
  | 'date'
  | 'phone'
  | 'fax'
  | 'email'
  | 'ssn'
  | 'mrn'
  | 'health_plan_id'
  | 'account_number'
  | 'licence_number'
  | 'vehicle_id'
  | 'device_id'
  | 'url'
  | 'ip_address'
  | 'biometric'
  | 'unique_id';

/** Kinds of quasi-identifiers. */
export type QuasiKind = 'age' | 'sex' | 'zip3' | 'facility' | 'provider' | 'year' | 'demographic';

/** Kinds of sensitive attributes. */
export type SensitiveKind = 'diagnosis' | 'lab_value' | 'vital_sign' | 'clinical_flag' | 'outcome' | 'free_text';

/** Any kind. */
export type ClassKind = DirectKind | QuasiKind | SensitiveKind | SecretKind;

/** PII kinds counted inside free text. */
export type SpanKind = 'name' | 'email' | 'phone' | 'ssn' | 'date' | 'ip_address' | 'url';

/** How many checked values one detector matched. */
export interface DetectorCount {
  readonly detector: string;
  readonly matched: number;
  readonly checked: number;
}

/**
 * Why a column got its label. Only counts, rule ids and detector names: never a value.
 */
export interface ClassEvidence {
  /** Non-empty cells seen. */
  readonly present: number;
  /** Empty cells seen. */
  readonly missing: number;
  /** Cells the value detectors looked at (a deterministic sample). */
  readonly sampled: number;
  /** Estimated distinct values over all cells. */
  readonly distinct: number;
  /** distinct / present, capped at 1. */
  readonly uniqueRatio: number;
  /** Type inferred from the sample. */
  readonly valueType: ColumnType;
  /** Header rules that matched, e.g. `header:name`. */
  readonly header: readonly string[];
  /** Value detectors that matched at least once. */
  readonly detectors: readonly DetectorCount[];
  /** PII spans found in free text, per kind. */
  readonly spans?: Readonly<Partial<Record<SpanKind, number>>>;
  /** Cells holding a credential, per kind (all cells are checked). */
  readonly secrets?: Readonly<Partial<Record<SecretKind, number>>>;
}

/** The classification of one column. */
export interface ColumnClassification {
  readonly column: string;
  readonly label: ClassLabel;
  readonly kind?: ClassKind;
  /** 0..1: how sure the rules are. */
  readonly confidence: number;
  readonly evidence: ClassEvidence;
}
