import { HavenError } from '../../errors/haven-error.js';
import type { Principal } from '../access/policy.js';
import type { AuditService } from '../audit/audit-service.js';
import type { Clock, Storage } from '../ports.js';
import type { ColumnHandling } from './handling-policy.js';
import type { DatasetRecord, DatasetVersionRecord } from './ingest-ports.js';

/** A version as shown to stewards and scientists (lineage, counts, schema, classification; never rows). */
export interface VersionView {
  readonly version: number;
  readonly status: string;
  readonly sha256: string | null;
  readonly rowsRead: number;
  readonly rowsStored: number;
  readonly rowsQuarantined: number;
  readonly importedBy: string;
  readonly createdAt: string;
  readonly publishedAt: string | null;
}

const view = (v: DatasetVersionRecord): VersionView => ({
  version: v.version,
  status: v.status,
  sha256: v.sha256,
  rowsRead: v.rowsRead,
  rowsStored: v.rowsStored,
  rowsQuarantined: v.rowsQuarantined,
  importedBy: v.importedBy,
  createdAt: v.createdAt,
  publishedAt: v.publishedAt,
});

/** Reading and publishing dataset versions; the pseudonymised view of rows. */
export class DatasetCatalog {
  constructor(
    private readonly storage: Storage,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** Datasets of a workspace. */
  datasets(workspaceId: string): Promise<DatasetRecord[]> {
    return this.storage.read.datasets.datasets(workspaceId);
  }

  /** A dataset by name, or 404. */
  async dataset(workspaceId: string, name: string): Promise<DatasetRecord> {
    const d = await this.storage.read.datasets.datasetByName(workspaceId, name);
    if (!d) {
      throw new HavenError('HAVEN_HTTP_NOT_FOUND');
    }
    return d;
  }

  /** Versions of a dataset (failed imports included, for lineage). */
  async versions(workspaceId: string, name: string): Promise<VersionView[]> {
    return (await this.storage.read.datasets.versions((await this.dataset(workspaceId, name)).id)).map(view);
  }

  /** One version's record, or 404. */
  async version(workspaceId: string, name: string, version: number): Promise<DatasetVersionRecord> {
    const v = await this.storage.read.datasets.version((await this.dataset(workspaceId, name)).id, version);
    if (!v) {
      throw new HavenError('HAVEN_HTTP_NOT_FOUND');
    }
    return v;
  }

  /** Details of a version: lineage, schema, classification and the handling applied. */
  async detail(workspaceId: string, name: string, version: number): Promise<VersionView & { header: readonly string[]; schema: unknown; classification: unknown; handling: unknown }> {
    const v = await this.version(workspaceId, name, version);
    return { ...view(v), header: v.header ?? [], schema: v.schema, classification: v.classification, handling: v.policy };
  }

  /** Publish a ready version (steward); published versions are what training may use. */
  async publish(principal: Principal, workspaceId: string, name: string, version: number, requestId: string): Promise<VersionView> {
    const v = await this.version(workspaceId, name, version);
    if (v.status !== 'ready') {
      throw new HavenError('HAVEN_INGEST_VERSION_STATE', undefined, { detail: { status: v.status } });
    }
    const now = this.clock.now().toISOString();
    await this.audit.withAudit(this.storage, { actor: principal.subject, action: 'dataset.publish', resource: `dataset:${name}@${version}`, requestId }, (repos) =>
      repos.datasets.updateVersion(v.id, { status: 'published', publishedAt: now, publishedBy: principal.subject }),
    );
    return view({ ...v, status: 'published', publishedAt: now, publishedBy: principal.subject });
  }

  /**
   * Rows in the pseudonymised view: plain columns and pseudonyms of join keys; encrypted identifiers never leave.
   * @param after - return rows after this row number
   * @param limit - at most this many
   */
  async pseudonymisedRows(workspaceId: string, name: string, version: number, after: number, limit: number): Promise<{ columns: string[]; rows: { rowNo: number; values: Record<string, string> }[] }> {
    const v = await this.version(workspaceId, name, version);
    if (v.status !== 'ready' && v.status !== 'published') {
      throw new HavenError('HAVEN_INGEST_VERSION_STATE', undefined, { detail: { status: v.status } });
    }
    const handling = (v.policy ?? []) as ColumnHandling[];
    const columns = handling.filter((h) => h.action !== 'encrypt').map((h) => h.column);
    const rows = await this.storage.read.datasets.rows(v.id, after, limit);
    return {
      columns,
      rows: rows.map((r) => {
        const doc = JSON.parse(r.data) as { v: Record<string, string>; p: Record<string, string> };
        return { rowNo: r.rowNo, values: { ...doc.v, ...doc.p } };
      }),
    };
  }
}
