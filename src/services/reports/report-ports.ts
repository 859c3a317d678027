/**
 * What the dashboard reports need from storage: the workspace's encounters with their stored predictions (plain
 * columns only, never names), a cheap fingerprint of that data, and the differencing guard's per-user memory.
 */

/** An encounter as the reports read it: the stored record JSON (no names) and the prediction made at admission. */
export interface StayRecord {
  readonly id: string;
  readonly eid: number;
  /** The admission record without First/Middle/Last, as JSON. */
  readonly record: string;
  readonly admittedBy: string;
  readonly lengthOfStay: number | null;
  readonly prediction: {
    readonly status: string;
    readonly predicted: number | null;
    readonly intervalLow: number | null;
    readonly intervalHigh: number | null;
    readonly ood: boolean;
    /** OOD reasons as JSON ({ feature, kind }[]). */
    readonly oodReasons: string;
    readonly modelName: string | null;
    readonly modelVersion: number | null;
    readonly errorCode: string | null;
  } | null;
}

/** The stored differencing memory of one user in one workspace. */
export interface ReleaseMemoryRecord {
  readonly userId: string;
  readonly workspaceId: string;
  /** The guard's memory (libs/privacy/disclosure DifferencingMemory) as JSON: counts, digests and salted sketches. */
  readonly state: string;
  /** Incremented by every save; 0 means "not stored yet". */
  readonly revision: number;
  readonly updatedAt: string;
}

/** Storage the reports read and the release memory they keep. */
export interface ReportRepository {
  /**
   * A fingerprint of the workspace's encounters and predictions (counts and latest change times): it changes whenever
   * an encounter is admitted or discharged or a prediction stored, so cached aggregates are keyed on it.
   */
  dataVersion(workspaceId: string): Promise<string>;
  /** Every encounter of the workspace with its prediction (if any), by eid. */
  stays(workspaceId: string): Promise<StayRecord[]>;
  /** Name ciphertexts of some of the workspace's encounters (by encounter id). */
  namesOf(workspaceId: string, encounterIds: readonly string[]): Promise<{ id: string; names: string }[]>;
  releaseMemory(userId: string, workspaceId: string): Promise<ReleaseMemoryRecord | undefined>;
  /**
   * Store `record` (its revision must be `expectedRevision + 1`) only if the stored revision is still `expectedRevision`
   * (0: only if none is stored). Returns whether it was stored.
   */
  saveReleaseMemory(record: ReleaseMemoryRecord, expectedRevision: number): Promise<boolean>;
}
