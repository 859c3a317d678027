/**
 * Storage of the privacy ledger: one accountant state (libs/privacy/dp/privacy-accountant.ts) per dataset version,
 * charged by every differentially private training run on that version. The state holds costs and safe labels
 * (`run:<n>:<release>`), never data. Updates are compare-and-set on a revision number, so two runs started at the
 * same time on servers sharing PostgreSQL cannot both spend the same remaining budget.
 */

/** The ledger of one dataset version. */
export interface PrivacyLedgerRecord {
  readonly versionId: string;
  readonly workspaceId: string;
  /** The accountant state as JSON. */
  readonly state: string;
  /** Incremented by every save; 0 means "not stored yet". */
  readonly revision: number;
  readonly updatedAt: string;
}

/** Ledgers of dataset versions. */
export interface PrivacyLedgerRepository {
  get(versionId: string): Promise<PrivacyLedgerRecord | undefined>;
  /**
   * Store `record` (its revision must be `expectedRevision + 1`) only if the stored revision is still
   * `expectedRevision` (0: only if none is stored). Returns whether it was stored.
   */
  save(record: PrivacyLedgerRecord, expectedRevision: number): Promise<boolean>;
}
