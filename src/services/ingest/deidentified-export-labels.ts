import { normaliseHeader } from '../../libs/classify/header-rules.js';
import type { ColumnClassification } from '../../libs/classify/index.js';
import type { ColumnLabel, ColumnLabels, DirectIdentifierKind, QuasiIdentifierKind } from '../../libs/privacy/deidentify/index.js';

/** Classifier direct kinds → Safe Harbor kinds, where the names differ or a column needs a closer look. */
const DIRECT_KIND: Readonly<Record<string, DirectIdentifierKind>> = {
  name: 'name',
  phone: 'phone',
  fax: 'fax',
  email: 'email',
  ssn: 'ssn',
  mrn: 'medical_record_number',
  // Account and health-plan numbers are dropped: only record ids and MRNs get export codes (ADR 0031).
  health_plan_id: 'other',
  account_number: 'other',
  licence_number: 'license_number',
  vehicle_id: 'vehicle_id',
  device_id: 'device_id',
  url: 'url',
  ip_address: 'ip_address',
  biometric: 'biometric',
  unique_id: 'unique_id',
};
const QUASI_KIND: Readonly<Record<string, QuasiIdentifierKind>> = { age: 'age', sex: 'gender', zip3: 'zip3', facility: 'facility', year: 'year' };

const ZIP_HEADER = /zip|postal|postcode/;
const BIRTH_HEADER = /dob|birth|bday|born/;
const BIRTH_YEAR_HEADER = /^yob$|birthyear|yearofbirth/;

/** Most values a ZIP detector must match for a geographic column to be treated as ZIP codes (then generalised). */
const ZIP_VALUE_SHARE = 0.9;

function looksLikeZip(c: ColumnClassification): boolean {
  if (ZIP_HEADER.test(normaliseHeader(c.column))) {
    return true;
  }
  return c.evidence.detectors.some((d) => (d.detector === 'zip5' || d.detector === 'zip9') && d.checked > 0 && d.matched / d.checked >= ZIP_VALUE_SHARE);
}

/**
 * The Safe Harbor label of one classified column. Geographic columns that are ZIP codes become `zip` (generalised to
 * ZIP3 with the small-population rule; anything else geographic is dropped); person dates whose header names a birth
 * become `birth_date` (year only, top-coded); a free-text column is `free_text` (dropped), whether the classifier saw
 * PII spans in it or not; a birth-year column is a `birth_date` too, so years of people over 89 are top-coded.
 * @param c - the stored classification entry
 */
export function deidLabelOf(c: ColumnClassification): ColumnLabel {
  const norm = normaliseHeader(c.column);
  switch (c.label) {
    case 'secret':
      return { label: 'secret' };
    case 'non_sensitive':
      return { label: 'non_identifying' };
    case 'sensitive_attribute':
      return c.kind === 'free_text' ? { label: 'direct_identifier', kind: 'free_text' } : { label: 'sensitive' };
    case 'quasi_identifier':
      if (c.kind === 'year' && BIRTH_YEAR_HEADER.test(norm)) {
        return { label: 'direct_identifier', kind: 'birth_date' };
      }
      return { label: 'quasi_identifier', kind: (c.kind !== undefined ? QUASI_KIND[c.kind] : undefined) ?? 'other' };
    case 'direct_identifier': {
      if (c.evidence.valueType === 'text' && Object.keys(c.evidence.spans ?? {}).length > 0) {
        return { label: 'direct_identifier', kind: 'free_text' };
      }
      if (c.kind === 'geographic_subunit') {
        return { label: 'direct_identifier', kind: looksLikeZip(c) ? 'zip' : 'geographic_subunit' };
      }
      if (c.kind === 'date') {
        return { label: 'direct_identifier', kind: BIRTH_HEADER.test(norm) ? 'birth_date' : 'date' };
      }
      return { label: 'direct_identifier', kind: (c.kind !== undefined ? DIRECT_KIND[c.kind] : undefined) ?? 'other' };
    }
  }
}

/**
 * Safe Harbor labels of a version's columns, from its stored classification (steward overrides included). A column
 * stored protected (encrypted or pseudonymised) whose label would keep it as it is, or only top-code it, is labelled
 * `other` and so dropped: an export never carries a protected column's values in clear.
 * @param classification - the stored classification entries
 * @param protectedColumns - columns whose handling is not plain
 */
export function deidLabelsOf(classification: readonly ColumnClassification[], protectedColumns: ReadonlySet<string>): ColumnLabels {
  const labels: Record<string, ColumnLabel> = {};
  for (const c of classification) {
    const label = deidLabelOf(c);
    const keepsValue =
      label.label === 'sensitive' ||
      label.label === 'non_identifying' ||
      (label.label === 'quasi_identifier' &&
        (label.kind === 'age' || label.kind === 'gender' || label.kind === 'facility' || label.kind === 'year' || label.kind === 'other'));
    labels[c.column] = protectedColumns.has(c.column) && keepsValue ? { label: 'direct_identifier', kind: 'other' } : label;
  }
  return labels;
}
