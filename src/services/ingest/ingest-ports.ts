/** Storage records and repository of datasets, versions, rows and quarantine. */

/**
 * Life of a dataset version: importing (invisible) → ready (reviewable) → published (usable for training); failed ends
 * it. relabelling: a steward's label override is moving a column's stored values (label-override.ts); back to ready
 * when done, and neither readable nor publishable meanwhile.
 */
export type VersionStatus = 'importing' | 'ready' | 'published' | 'failed' | 'relabelling';

/** A dataset (a named series of versions in one workspace). */
export interface DatasetRecord {
  readonly id: string;
  readonly workspaceId: string;
  readonly name: string;
  readonly createdAt: string;
}

/** One immutable version of a dataset, with its lineage. */
export interface DatasetVersionRecord {
  readonly id: string;
  readonly datasetId: string;
  readonly version: number;
  readonly status: VersionStatus;
  readonly sha256: string | null;
  readonly rowsRead: number;
  readonly rowsStored: number;
  readonly rowsQuarantined: number;
  readonly header: readonly string[] | null;
  readonly schema: unknown;
  readonly classification: unknown;
  readonly policy: unknown;
  readonly importedBy: string;
  readonly createdAt: string;
  readonly finishedAt: string | null;
  readonly publishedAt: string | null;
  readonly publishedBy: string | null;
}

/** A stored row: plain values, encrypted identifiers and pseudonymised join keys, as JSON. */
export interface StoredRow {
  readonly rowNo: number;
  readonly data: string;
}

/** A quarantined row: where it was, why, and its raw text encrypted. */
export interface QuarantinedRow {
  readonly rowNo: number;
  readonly line: number;
  readonly reason: string;
  readonly raw: string;
}

/** Datasets and versions. */
export interface DatasetRepository {
  insertDataset(d: DatasetRecord): Promise<void>;
  datasetByName(workspaceId: string, name: string): Promise<DatasetRecord | undefined>;
  datasets(workspaceId: string): Promise<DatasetRecord[]>;
  insertVersion(v: DatasetVersionRecord): Promise<void>;
  updateVersion(id: string, changes: Partial<Omit<DatasetVersionRecord, 'id' | 'datasetId' | 'version'>>): Promise<void>;
  versions(datasetId: string): Promise<DatasetVersionRecord[]>;
  version(datasetId: string, version: number): Promise<DatasetVersionRecord | undefined>;
  versionById(id: string): Promise<DatasetVersionRecord | undefined>;
  versionsWithStatus(status: VersionStatus): Promise<DatasetVersionRecord[]>;
  insertRows(versionId: string, rows: readonly StoredRow[]): Promise<void>;
  insertQuarantine(versionId: string, rows: readonly QuarantinedRow[]): Promise<void>;
  rows(versionId: string, afterRowNo: number, limit: number): Promise<StoredRow[]>;
  quarantine(versionId: string, limit: number): Promise<QuarantinedRow[]>;
  deleteVersionData(versionId: string): Promise<void>;
  /** Replace a stored row's document (re-encryption); nothing else changes. */
  updateRowData(versionId: string, rowNo: number, data: string): Promise<void>;
  /** Quarantined rows with row number > afterRowNo, ascending, at most `limit`. */
  quarantineAfter(versionId: string, afterRowNo: number, limit: number): Promise<QuarantinedRow[]>;
  /** Replace a quarantined row's encrypted raw text (re-encryption). */
  updateQuarantineRaw(versionId: string, rowNo: number, raw: string): Promise<void>;
}
