/**
 * What the encounter service needs from storage. One row per admitted encounter: the mapped record's plain values
 * as JSON, the direct identifiers (First/Middle/Last) as field ciphertexts, and who admitted/discharged it when.
 */

/** A stored encounter, as the repository returns it. */
export interface EncounterRecord {
  readonly id: string;
  readonly workspaceId: string;
  /** The encounter id from the message (unique per workspace). */
  readonly eid: number;
  /** The admission record without First/Middle/Last, as JSON (values plain; missing values null). */
  readonly record: string;
  /** Field ciphertexts of the names, by column (absent when the message had none). */
  readonly names: string;
  /** Unknown codes and mapping notes of the admission, as JSON (codes and paths only). */
  readonly report: string;
  readonly admittedBy: string;
  readonly admittedAt: string;
  /** Discharge date M/D/YYYY, or null while admitted. */
  readonly discharged: string | null;
  readonly lengthOfStay: number | null;
  readonly dischargedBy: string | null;
  readonly dischargedAt: string | null;
}

/** Storage of encounters. */
export interface EncounterRepository {
  /** Insert an admission; false when (workspace, eid) already exists (nothing written). */
  insert(e: EncounterRecord): Promise<boolean>;
  byEid(workspaceId: string, eid: number): Promise<EncounterRecord | undefined>;
  /**
   * Set the discharge only if the encounter is not discharged yet (compare-and-set); returns whether it was set.
   */
  discharge(id: string, change: { discharged: string; lengthOfStay: number; dischargedBy: string; dischargedAt: string }): Promise<boolean>;
  /** Ids and name ciphertexts of a workspace's encounters with id > afterId (undefined: from the start), by id, at most `limit`. */
  namesAfter(workspaceId: string, afterId: string | undefined, limit: number): Promise<{ id: string; names: string }[]>;
  /** Replace an encounter's name ciphertexts (re-encryption); nothing else changes. */
  updateNames(id: string, names: string): Promise<void>;
}
