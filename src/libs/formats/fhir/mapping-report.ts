/** A code the mapping does not know, reported instead of silently dropped. */
export interface UnknownCode {
  /** The coding's system URI, or null when the coding had none. */
  readonly system: string | null;
  /** The code, or null when the coding had none. */
  readonly code: string | null;
  readonly resourceType: 'Observation' | 'Condition' | 'Encounter';
}

/** Why a value was noted during mapping. */
export type MappingNoteKind =
  | 'duplicate_observation'
  | 'unexpected_unit'
  | 'no_value'
  | 'ignored_status'
  | 'rounded'
  | 'condition_status_absent'
  | 'reference_shared_code';

/** Something the mapping did that a reviewer should know about (column names and paths only, never values). */
export interface MappingNote {
  readonly kind: MappingNoteKind;
  /** The record column concerned, when there is one. */
  readonly column: string | null;
  /** Path of the resource in the message. */
  readonly path: string;
}
