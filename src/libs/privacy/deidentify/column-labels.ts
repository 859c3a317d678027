import { HavenError } from '../../../errors/haven-error.js';

/**
 * Kinds of direct identifiers, after the 18 HIPAA Safe Harbor identifiers (45 CFR 164.514(b)(2)(i)).
 * `birth_date` is split from `date` because its year must also be top-coded for ages over 89.
 */
export const DIRECT_IDENTIFIER_KINDS = [
  'name', 'date', 'birth_date', 'geographic_subunit', 'address', 'zip', 'phone', 'fax', 'email', 'ssn',
  'medical_record_number', 'health_plan_number', 'account_number', 'license_number', 'vehicle_id', 'device_id', 'url',
  'ip_address', 'biometric', 'photo', 'credit_card', 'unique_id', 'free_text', 'other',
] as const;

/** Kinds of quasi-identifiers: not on the Safe Harbor list by themselves, or allowed in generalised form. */
export const QUASI_IDENTIFIER_KINDS = ['age', 'zip3', 'zip', 'date', 'year', 'gender', 'facility', 'other'] as const;

/** A direct-identifier kind. */
export type DirectIdentifierKind = (typeof DIRECT_IDENTIFIER_KINDS)[number];
/** A quasi-identifier kind. */
export type QuasiIdentifierKind = (typeof QUASI_IDENTIFIER_KINDS)[number];

/**
 * How a column was classified. `sensitive` (e.g. diagnoses, labs) and `non_identifying` are kept by Safe Harbor;
 * `secret` (credentials found in data) is always dropped.
 */
export type ColumnLabel =
  | { readonly label: 'direct_identifier'; readonly kind: DirectIdentifierKind }
  | { readonly label: 'quasi_identifier'; readonly kind: QuasiIdentifierKind }
  | { readonly label: 'sensitive' }
  | { readonly label: 'non_identifying' }
  | { readonly label: 'secret' };

/** Column name → classification. The classifier produces this shape; reviewers may edit it before use. */
export type ColumnLabels = Readonly<Record<string, ColumnLabel>>;

/**
 * Checks a classification map from outside (e.g. an edited JSON file); throws HAVEN_DEID_INVALID_LABELS naming the
 * first bad column.
 * @param value - the untrusted map
 */
export function parseColumnLabels(value: unknown): ColumnLabels {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HavenError('HAVEN_DEID_INVALID_LABELS');
  }
  const out: Record<string, ColumnLabel> = {};
  for (const [column, v] of Object.entries(value)) {
    const bad = (): HavenError => new HavenError('HAVEN_DEID_INVALID_LABELS', undefined, { detail: { column: column.slice(0, 128) } });
    if (typeof v !== 'object' || v === null) {
      throw bad();
    }
    const label: unknown = (v as Record<string, unknown>)['label'];
    const kind: unknown = (v as Record<string, unknown>)['kind'];
    if (label === 'direct_identifier' && (DIRECT_IDENTIFIER_KINDS as readonly unknown[]).includes(kind)) {
      out[column] = { label, kind: kind as DirectIdentifierKind };
    } else if (label === 'quasi_identifier' && (QUASI_IDENTIFIER_KINDS as readonly unknown[]).includes(kind)) {
      out[column] = { label, kind: kind as QuasiIdentifierKind };
    } else if (label === 'sensitive' || label === 'non_identifying' || label === 'secret') {
      out[column] = { label };
    } else {
      throw bad();
    }
  }
  return out;
}
