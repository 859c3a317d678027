import type { Storage } from '../ports.js';
import type { KeyService } from './key-service.js';

/** One cell to protect. */
export interface VaultCell {
  readonly column: string;
  readonly recordId: string;
  readonly value: Uint8Array | string;
}

/**
 * The identifier vault: direct identifiers (names, record numbers, dates) split out of analytic tables and kept
 * encrypted per cell under the dataset's DEK, bound to (workspace, dataset, column, record, key version).
 * Re-encryption and crypto-shredding know this table; other owners of encrypted columns register usage sources.
 */
export class FieldVault {
  /** @param keys - the key service */
  constructor(private readonly keys: KeyService) {}

  /**
   * Encrypt and store cells (one transaction; usage reserved before it opens).
   * @param storage - the database
   * @param workspace - workspace id
   * @param dataset - dataset id
   * @param cells - the cells
   */
  async protect(storage: Storage, workspace: string, dataset: string, cells: readonly VaultCell[]): Promise<number> {
    if (cells.length === 0) {
      return 0;
    }
    const cipher = await this.keys.datasetCipher(storage, workspace, dataset, cells.length);
    const version = cipher.currentVersion!;
    const rows = cells.map((c) => ({ workspace, dataset, column: c.column, recordId: c.recordId, keyVersion: version, ciphertext: cipher.encrypt(c.column, c.recordId, c.value) }));
    await storage.transaction(async (repos) => {
      for (const row of rows) {
        await repos.keys.putField(row);
      }
    });
    return rows.length;
  }

  /**
   * Read and decrypt one cell; undefined when absent. A tampered, moved or shredded cell throws.
   * @param storage - the database
   * @param workspace - workspace id
   * @param dataset - dataset id
   * @param column - column name
   * @param recordId - record id
   */
  async reveal(storage: Storage, workspace: string, dataset: string, column: string, recordId: string): Promise<Buffer | undefined> {
    const row = await storage.read.keys.getField(workspace, dataset, column, recordId);
    if (row === undefined) {
      return undefined;
    }
    return this.keys.decryptField(storage, { workspace, dataset, column, recordId }, row.ciphertext);
  }
}
