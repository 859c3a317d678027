import type { Kysely } from 'kysely';
import type { DatasetRepository, DatasetVersionRecord, VersionStatus } from '../../../services/ingest/ingest-ports.js';
import type { DatasetVersionTable, HavenDatabase } from '../database.js';

const json = (v: string | null): unknown => (v === null ? null : JSON.parse(v));

function toVersion(r: DatasetVersionTable): DatasetVersionRecord {
  return {
    id: r.id,
    datasetId: r.dataset_id,
    version: Number(r.version),
    status: r.status as VersionStatus,
    sha256: r.sha256,
    rowsRead: Number(r.rows_read),
    rowsStored: Number(r.rows_stored),
    rowsQuarantined: Number(r.rows_quarantined),
    header: json(r.header) as string[] | null,
    schema: json(r.schema),
    classification: json(r.classification),
    policy: json(r.policy),
    importedBy: r.imported_by,
    createdAt: r.created_at,
    finishedAt: r.finished_at,
    publishedAt: r.published_at,
    publishedBy: r.published_by,
  };
}

const COLUMN_OF: Readonly<Record<string, keyof DatasetVersionTable>> = {
  status: 'status',
  sha256: 'sha256',
  rowsRead: 'rows_read',
  rowsStored: 'rows_stored',
  rowsQuarantined: 'rows_quarantined',
  header: 'header',
  schema: 'schema',
  classification: 'classification',
  policy: 'policy',
  importedBy: 'imported_by',
  createdAt: 'created_at',
  finishedAt: 'finished_at',
  publishedAt: 'published_at',
  publishedBy: 'published_by',
};
const JSON_FIELDS = new Set(['header', 'schema', 'classification', 'policy']);

function toRow(v: Partial<DatasetVersionRecord>): Partial<DatasetVersionTable> {
  const row: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(v)) {
    const column = COLUMN_OF[field];
    if (column !== undefined && value !== undefined) {
      row[column] = JSON_FIELDS.has(field) ? (value === null ? null : JSON.stringify(value)) : value;
    }
  }
  return row as Partial<DatasetVersionTable>;
}

/** Rows are inserted in chunks so one statement stays under both databases' parameter limits. */
const INSERT_CHUNK = 500;

/**
 * Datasets, versions, rows and quarantine.
 * @param db - a Kysely handle (transaction or root)
 */
export function datasetRepository(db: Kysely<HavenDatabase>): DatasetRepository {
  return {
    async insertDataset(d) {
      await db.insertInto('dataset').values({ id: d.id, workspace_id: d.workspaceId, name: d.name, created_at: d.createdAt }).execute();
    },
    async datasetByName(workspaceId, name) {
      const r = await db.selectFrom('dataset').selectAll().where('workspace_id', '=', workspaceId).where('name', '=', name).executeTakeFirst();
      return r ? { id: r.id, workspaceId: r.workspace_id, name: r.name, createdAt: r.created_at } : undefined;
    },
    async datasets(workspaceId) {
      const rows = await db.selectFrom('dataset').selectAll().where('workspace_id', '=', workspaceId).orderBy('name').execute();
      return rows.map((r) => ({ id: r.id, workspaceId: r.workspace_id, name: r.name, createdAt: r.created_at }));
    },
    async insertVersion(v) {
      await db
        .insertInto('dataset_version')
        .values({ id: v.id, dataset_id: v.datasetId, version: v.version, ...toRow(v) } as DatasetVersionTable)
        .execute();
    },
    async updateVersion(id, changes) {
      const row = toRow(changes);
      if (Object.keys(row).length > 0) {
        await db.updateTable('dataset_version').set(row).where('id', '=', id).execute();
      }
    },
    async versions(datasetId) {
      return (await db.selectFrom('dataset_version').selectAll().where('dataset_id', '=', datasetId).orderBy('version').execute()).map(toVersion);
    },
    async version(datasetId, version) {
      const r = await db.selectFrom('dataset_version').selectAll().where('dataset_id', '=', datasetId).where('version', '=', version).executeTakeFirst();
      return r ? toVersion(r) : undefined;
    },
    async versionById(id) {
      const r = await db.selectFrom('dataset_version').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? toVersion(r) : undefined;
    },
    async versionsWithStatus(status) {
      return (await db.selectFrom('dataset_version').selectAll().where('status', '=', status).execute()).map(toVersion);
    },
    async insertRows(versionId, rows) {
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
        const chunk = rows.slice(i, i + INSERT_CHUNK);
        await db
          .insertInto('dataset_row')
          .values(chunk.map((r) => ({ version_id: versionId, row_no: r.rowNo, data: r.data })))
          .execute();
      }
    },
    async insertQuarantine(versionId, rows) {
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
        const chunk = rows.slice(i, i + INSERT_CHUNK);
        await db
          .insertInto('quarantine_row')
          .values(chunk.map((r) => ({ version_id: versionId, row_no: r.rowNo, line: r.line, reason: r.reason, raw: r.raw })))
          .execute();
      }
    },
    async rows(versionId, afterRowNo, limit) {
      const rows = await db.selectFrom('dataset_row').select(['row_no', 'data']).where('version_id', '=', versionId).where('row_no', '>', afterRowNo).orderBy('row_no').limit(limit).execute();
      return rows.map((r) => ({ rowNo: Number(r.row_no), data: r.data }));
    },
    async quarantine(versionId, limit) {
      const rows = await db.selectFrom('quarantine_row').selectAll().where('version_id', '=', versionId).orderBy('row_no').limit(limit).execute();
      return rows.map((r) => ({ rowNo: Number(r.row_no), line: Number(r.line), reason: r.reason, raw: r.raw }));
    },
    async deleteVersionData(versionId) {
      await db.deleteFrom('dataset_row').where('version_id', '=', versionId).execute();
      await db.deleteFrom('quarantine_row').where('version_id', '=', versionId).execute();
    },
    async updateRowData(versionId, rowNo, data) {
      await db.updateTable('dataset_row').set({ data }).where('version_id', '=', versionId).where('row_no', '=', rowNo).execute();
    },
    async quarantineAfter(versionId, afterRowNo, limit) {
      const rows = await db
        .selectFrom('quarantine_row')
        .selectAll()
        .where('version_id', '=', versionId)
        .where('row_no', '>', afterRowNo)
        .orderBy('row_no')
        .limit(limit)
        .execute();
      return rows.map((r) => ({ rowNo: Number(r.row_no), line: Number(r.line), reason: r.reason, raw: r.raw }));
    },
    async updateQuarantineRaw(versionId, rowNo, raw) {
      await db.updateTable('quarantine_row').set({ raw }).where('version_id', '=', versionId).where('row_no', '=', rowNo).execute();
    },
  };
}
