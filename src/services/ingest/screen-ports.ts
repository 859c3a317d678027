/** Storage of the poisoning screens of dataset versions. */

/** A version's screen: the report (flags with statistics, never values) and the steward's acknowledgement. */
export interface VersionScreenRecord {
  readonly versionId: string;
  readonly workspaceId: string;
  /** The version it was compared with (null for a dataset's first version). */
  readonly baselineVersion: number | null;
  /** The report as JSON. */
  readonly report: string;
  readonly flags: number;
  readonly screenedAt: string;
  readonly acknowledgedBy: string | null;
  readonly acknowledgedAt: string | null;
  readonly ackReason: string | null;
}

/** Screens of versions. */
export interface ScreenRepository {
  upsert(s: VersionScreenRecord): Promise<void>;
  get(versionId: string): Promise<VersionScreenRecord | undefined>;
  /** Record an acknowledgement only if none exists yet; returns whether it was recorded. */
  acknowledge(versionId: string, by: string, at: string, reason: string): Promise<boolean>;
}
