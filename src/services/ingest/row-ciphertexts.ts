import type { CipherItem, CiphertextSource, StoredCipherCell } from '../keys/ciphertext-source.js';
import type { Repositories } from '../ports.js';
import type { DatasetVersionRecord } from './ingest-ports.js';

/**
 * The field ciphertexts of ingested datasets, for re-encryption and key-use counting: the `e` cells of stored row
 * documents and the encrypted raw text of quarantined rows. Both are under the dataset's DEK and bound to the record
 * id `<version>:<row>` (quarantine: column `_raw`), exactly as IngestService writes them.
 */

/** Column name the raw text of a quarantined row is bound to. */
export const QUARANTINE_RAW_COLUMN = '_raw';

/**
 * The record id a row's cells are bound to.
 * @param version - dataset version number
 * @param rowNo - row number in the file
 */
export function rowRecordId(version: number, rowNo: number): string {
  return `${version}:${rowNo}`;
}

interface RowDocument {
  v: Record<string, string>;
  p: Record<string, string>;
  e: Record<string, string>;
}

/** Where a walk is: strictly after this row of this version (cursor text `<version>:<row>`). */
function parseCursor(after: string | undefined): { version: number; rowNo: number } {
  if (after === undefined) {
    return { version: 0, rowNo: 0 };
  }
  const [version, rowNo] = after.split(':').map(Number);
  return { version: version ?? 0, rowNo: rowNo ?? 0 };
}

async function versionsOf(repos: Repositories, workspace: string, dataset: string): Promise<DatasetVersionRecord[]> {
  const owned = (await repos.datasets.datasets(workspace)).some((d) => d.id === dataset);
  return owned ? repos.datasets.versions(dataset) : [];
}

/**
 * Walk the versions of a dataset (ascending) from a cursor, collecting up to `limit` items from a per-version reader.
 * Every row is an item (a row without ciphertext has no cells), so the cursor always advances.
 */
async function walk<T extends { readonly rowNo: number }>(
  repos: Repositories,
  workspace: string,
  dataset: string,
  after: string | undefined,
  limit: number,
  read: (v: DatasetVersionRecord, afterRowNo: number, limit: number) => Promise<T[]>,
  toItem: (v: DatasetVersionRecord, row: T) => CipherItem,
): Promise<CipherItem[]> {
  const from = parseCursor(after);
  const items: CipherItem[] = [];
  for (const v of await versionsOf(repos, workspace, dataset)) {
    if (v.version < from.version) {
      continue;
    }
    let afterRow = v.version === from.version ? from.rowNo : 0;
    while (items.length < limit) {
      const wanted = limit - items.length;
      const rows = await read(v, afterRow, wanted);
      items.push(...rows.map((row) => toItem(v, row)));
      if (rows.length < wanted) {
        break;
      }
      afterRow = rows.at(-1)!.rowNo;
    }
    if (items.length >= limit) {
      break;
    }
  }
  return items;
}

/** The `e` cells of stored rows. */
export const datasetRowCiphertexts: CiphertextSource = {
  name: 'rows',
  page(repos, workspace, dataset, after, limit) {
    return walk(
      repos,
      workspace,
      dataset,
      after,
      limit,
      (v, afterRowNo, n) => repos.datasets.rows(v.id, afterRowNo, n),
      (v, row) => {
        const doc = JSON.parse(row.data) as RowDocument;
        const columns = Object.keys(doc.e ?? {});
        const recordId = rowRecordId(v.version, row.rowNo);
        const cells: StoredCipherCell[] = columns.map((column) => ({ column, recordId, text: doc.e[column]! }));
        return {
          cursor: recordId,
          cells,
          async save(tx, texts) {
            const e: Record<string, string> = {};
            columns.forEach((column, i) => (e[column] = texts[i]!));
            await tx.datasets.updateRowData(v.id, row.rowNo, JSON.stringify({ ...doc, e }));
          },
        };
      },
    );
  },
};

/** The encrypted raw text of quarantined rows. */
export const quarantineCiphertexts: CiphertextSource = {
  name: 'quarantine',
  page(repos, workspace, dataset, after, limit) {
    return walk(
      repos,
      workspace,
      dataset,
      after,
      limit,
      (v, afterRowNo, n) => repos.datasets.quarantineAfter(v.id, afterRowNo, n),
      (v, row) => {
        const recordId = rowRecordId(v.version, row.rowNo);
        return {
          cursor: recordId,
          cells: [{ column: QUARANTINE_RAW_COLUMN, recordId, text: row.raw }],
          async save(tx, texts) {
            await tx.datasets.updateQuarantineRaw(v.id, row.rowNo, texts[0]!);
          },
        };
      },
    );
  },
};
