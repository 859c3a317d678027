import type { ColumnClassification } from '../../libs/classify/classification-types.js';

/** What happens to a column's values when stored. */
export type ColumnAction = 'encrypt' | 'pseudonymise' | 'plain';

/** The handling decided for one column, with the label that decided it. */
export interface ColumnHandling {
  readonly column: string;
  readonly action: ColumnAction;
  readonly label: string;
  readonly kind: string | null;
  /** Quasi-identifiers stay in the pseudonymised view but are flagged for disclosure control. */
  readonly flagged: boolean;
}

/**
 * The secure default handling policy: direct identifiers are encrypted at field level; identifiers that work as
 * join keys (unique ids, record numbers) are also pseudonymised with the workspace's keyed HMAC so data scientists
 * can join without seeing them; quasi-identifiers are kept but flagged; everything else is stored as is.
 * @param classification - the column classification
 */
export function decideHandling(classification: readonly ColumnClassification[]): ColumnHandling[] {
  return classification.map((c) => {
    const kind = c.kind ?? null;
    let action: ColumnAction = 'plain';
    if (c.label === 'direct_identifier') {
      action = kind === 'unique_id' || kind === 'mrn' || kind === 'account_number' || kind === 'health_plan_id' ? 'pseudonymise' : 'encrypt';
    }
    return { column: c.column, action, label: c.label, kind, flagged: c.label === 'quasi_identifier' };
  });
}

/**
 * Columns the full-file classification marks as direct identifiers but the handling (decided on the first rows)
 * stored in the clear: the import must not stand.
 * @param handling - the handling used
 * @param final - the classification of the whole file
 */
export function handlingDrift(handling: readonly ColumnHandling[], final: readonly ColumnClassification[]): string[] {
  const plain = new Set(handling.filter((h) => h.action === 'plain').map((h) => h.column));
  return final.filter((c) => c.label === 'direct_identifier' && plain.has(c.column)).map((c) => c.column);
}

/** Schema fields that carry values of the column (range ends, category levels). */
const VALUE_FIELDS = ['min', 'max', 'categories'] as const;

/**
 * The inferred schema as stored and shown: columns that are encrypted or pseudonymised keep their type and counts but
 * lose every value-carrying field (a name column's category levels are names; a date column's range ends are dates),
 * so the schema never holds in clear what the rows hold encrypted.
 * @param schema - inferred columns (objects with a `name`)
 * @param handling - the handling decided for the version
 */
export function redactSchema<T extends { readonly name: string }>(schema: readonly T[], handling: readonly ColumnHandling[]): T[] {
  const hidden = new Set(handling.filter((h) => h.action !== 'plain').map((h) => h.column));
  return schema.map((c) => {
    if (!hidden.has(c.name)) {
      return c;
    }
    return Object.fromEntries(Object.entries(c).filter(([k]) => !(VALUE_FIELDS as readonly string[]).includes(k))) as unknown as T;
  });
}
