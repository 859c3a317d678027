import type { InferredColumn } from '../formats/csv/schema-infer.js';
import type { ClassKind, ClassLabel, DirectKind, SpanKind } from './classification-types.js';
import type { HeaderRule } from './header-rules.js';
import type { SecretKind } from './secret-detectors.js';

/** What the rules decide from: counts, rates and flags, never values. */
export interface ColumnFacts {
  readonly header: readonly HeaderRule[];
  /** Type inferred from the sampled cells. */
  readonly inferred: InferredColumn;
  readonly present: number;
  readonly missing: number;
  readonly sampled: number;
  readonly uniqueRatio: number;
  /** Match rate of a value detector (by id) over the cells it checked; 0 when none. */
  readonly rate: (id: string) => number;
  readonly secrets: ReadonlyMap<SecretKind, number>;
  readonly spans: Readonly<Partial<Record<SpanKind, number>>>;
  /** Sampled cells that look like prose (20+ characters with a space). */
  readonly proseCells: number;
  /** Prose cells holding at least one PII span. */
  readonly proseWithSpans: number;
}

/** A label, kind and confidence. */
export interface Verdict {
  readonly label: ClassLabel;
  readonly kind?: ClassKind;
  readonly confidence: number;
}

/** Whole-cell formats that make a column a direct identifier, with the header rule that backs each. */
const FORMAT_RULES: readonly { detector: string; kind: DirectKind; header: string; needsHeader?: boolean }[] = [
  { detector: 'ssn', kind: 'ssn', header: 'header:ssn' },
  { detector: 'ssn_bare', kind: 'ssn', header: 'header:ssn', needsHeader: true },
  { detector: 'email', kind: 'email', header: 'header:email' },
  { detector: 'phone', kind: 'phone', header: 'header:phone' },
  { detector: 'phone_bare', kind: 'phone', header: 'header:phone', needsHeader: true },
  { detector: 'ipv4', kind: 'ip_address', header: 'header:ip_address' },
  { detector: 'ipv6', kind: 'ip_address', header: 'header:ip_address' },
  { detector: 'url', kind: 'url', header: 'header:url' },
  { detector: 'card_luhn', kind: 'account_number', header: 'header:account_number' },
  { detector: 'iban_mod97', kind: 'account_number', header: 'header:account_number' },
  { detector: 'vin', kind: 'vehicle_id', header: 'header:vehicle_id' },
  { detector: 'mac_address', kind: 'device_id', header: 'header:device_id' },
  { detector: 'uuid', kind: 'unique_id', header: 'header:unique_id' },
  { detector: 'street_address', kind: 'geographic_subunit', header: 'header:geographic' },
  { detector: 'zip9', kind: 'geographic_subunit', header: 'header:geographic' },
  { detector: 'zip5', kind: 'geographic_subunit', header: 'header:geographic', needsHeader: true },
];

/** Direct-identifier kinds a header alone is enough for (secure default when values say nothing). */
const HEADER_ONLY_DIRECT = new Set<ClassKind>([
  'name', 'ssn', 'mrn', 'health_plan_id', 'account_number', 'licence_number', 'vehicle_id', 'device_id',
  'biometric', 'phone', 'fax', 'email', 'url', 'ip_address', 'geographic_subunit',
]);

/**
 * Decide a column's class. The order is the policy: secrets, then value formats, dates, names and
 * ids (direct identifiers), then free text, then header-named quasi-identifiers and sensitive
 * attributes, then value-only hints; anything left is non-sensitive.
 * @param f - the facts gathered over the column
 * @returns the verdict
 */
export function decide(f: ColumnFacts): Verdict {
  const has = (id: string): boolean => f.header.some((r) => r.id === id);
  const type = f.inferred.type;

  if (f.secrets.size > 0) {
    const [kind] = [...f.secrets].sort((a, b) => b[1] - a[1])[0]!;
    return { label: 'secret', kind, confidence: 0.99 };
  }
  if (has('header:secret') && f.present > 0) {
    return { label: 'secret', kind: 'credential', confidence: 0.7 };
  }
  if (f.present === 0) {
    const rule = f.header.find((r) => r.label !== 'secret');
    return rule ? { label: rule.label, kind: rule.kind, confidence: 0.4 } : { label: 'non_sensitive', confidence: 0.5 };
  }

  for (const r of FORMAT_RULES) {
    const rate = f.rate(r.detector);
    const backed = has(r.header) || (r.kind === 'phone' && has('header:fax'));
    if (rate >= 0.8 || (backed && rate >= 0.5)) {
      if (r.needsHeader === true && !backed) {
        continue;
      }
      const kind: DirectKind = r.kind === 'phone' && has('header:fax') ? 'fax' : r.kind;
      return { label: 'direct_identifier', kind, confidence: Math.min(0.99, 0.6 + 0.35 * rate + (backed ? 0.05 : 0)) };
    }
  }
  if (f.rate('zip3') >= 0.8 && (has('header:zip3') || has('header:geographic'))) {
    return { label: 'quasi_identifier', kind: 'zip3', confidence: 0.85 };
  }
  if (f.rate('npi_luhn') >= 0.9) {
    return { label: 'quasi_identifier', kind: 'provider', confidence: has('header:provider') ? 0.9 : 0.7 };
  }

  // HIPAA: every element of a date tied to a person, except the year, identifies.
  if (type === 'date' || type === 'datetime') {
    return { label: 'direct_identifier', kind: 'date', confidence: has('header:date') ? 0.95 : 0.8 };
  }
  // A date-named column holding only years (year of birth, admission year) is a quasi-identifier.
  const { min, max } = f.inferred;
  if (has('header:date') && type === 'integer' && typeof min === 'number' && typeof max === 'number' && min >= 1800 && max <= 2200) {
    return { label: 'quasi_identifier', kind: 'year', confidence: 0.85 };
  }

  const shape = f.rate('name_shape');
  const dict = f.rate('name_dictionary');
  if (has('header:name') && shape >= 0.8) {
    return { label: 'direct_identifier', kind: 'name', confidence: 0.8 + 0.15 * dict };
  }
  if (dict >= 0.5 && shape >= 0.8 && (type === 'text' || type === 'categorical')) {
    return { label: 'direct_identifier', kind: 'name', confidence: 0.55 + 0.4 * dict };
  }

  if (has('header:unique_id')) {
    return { label: 'direct_identifier', kind: 'unique_id', confidence: f.uniqueRatio >= 0.9 ? 0.9 : 0.7 };
  }
  // No header help: a column of distinct integers or single-token codes over many rows is a key.
  if (f.present >= 100 && f.uniqueRatio >= 0.99 && (type === 'integer' || (type === 'text' && f.proseCells === 0))) {
    return { label: 'direct_identifier', kind: 'unique_id', confidence: 0.6 };
  }

  const direct = f.header.find((r) => r.label === 'direct_identifier' && HEADER_ONLY_DIRECT.has(r.kind));
  if (direct) {
    return { label: 'direct_identifier', kind: direct.kind, confidence: direct.kind === 'name' ? 0.5 : 0.7 };
  }

  if ((type === 'text' || type === 'categorical') && f.sampled > 0 && f.proseCells / f.sampled >= 0.5) {
    const spanRate = f.proseWithSpans / f.proseCells;
    if (spanRate >= 0.05) {
      const [kind] = Object.entries(f.spans).sort((a, b) => b[1] - a[1])[0]! as [SpanKind, number];
      return { label: 'direct_identifier', kind, confidence: Math.min(0.95, 0.5 + 0.9 * spanRate) };
    }
    return { label: 'sensitive_attribute', kind: 'free_text', confidence: 0.6 };
  }

  const quasi = f.header.find((r) => r.label === 'quasi_identifier');
  if (quasi) {
    return { label: 'quasi_identifier', kind: quasi.kind, confidence: quasiConfidence(quasi.kind, f) };
  }
  const sensitive = f.header.find((r) => r.label === 'sensitive_attribute');
  if (sensitive) {
    return { label: 'sensitive_attribute', kind: sensitive.kind, confidence: 0.85 };
  }
  if (f.rate('sex_value') === 1 && f.inferred.distinct <= 4) {
    return { label: 'quasi_identifier', kind: 'sex', confidence: 0.6 };
  }
  return { label: 'non_sensitive', confidence: 0.5 };
}

/** Quasi-identifier confidence: higher when the values fit what the header says. */
function quasiConfidence(kind: ClassKind, f: ColumnFacts): number {
  const { type, min, max, distinct } = f.inferred;
  const numeric = type === 'integer' || type === 'decimal';
  switch (kind) {
    case 'age':
      return numeric && typeof min === 'number' && typeof max === 'number' && min >= 0 && max <= 130 ? 0.9 : 0.7;
    case 'sex':
      return distinct <= 6 ? 0.9 : 0.7;
    case 'year':
      return type === 'integer' && typeof min === 'number' && typeof max === 'number' && min >= 1800 && max <= 2200 ? 0.9 : 0.6;
    case 'facility':
      return distinct <= 1000 ? 0.85 : 0.7;
    default:
      return 0.75;
  }
}
