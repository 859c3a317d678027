import type { Repositories } from '../ports.js';

/**
 * A place outside the identifier vault where field ciphertexts under a dataset's DEK are stored (ingested rows,
 * quarantined rows, encounter names). Re-encryption walks every source, and a retired key version is destroyed only
 * when no source holds a ciphertext under it. Sources know their storage format; the job knows the keys.
 */

/** One stored field ciphertext and the cell it is bound to (workspace and dataset come from the walk). */
export interface StoredCipherCell {
  readonly column: string;
  readonly recordId: string;
  /** base64url field ciphertext. */
  readonly text: string;
}

/** One stored record holding field ciphertexts (a row, a quarantined row, an encounter). */
export interface CipherItem {
  /** Position of the item in the source's order; `page(after = cursor)` continues strictly after it. */
  readonly cursor: string;
  readonly cells: readonly StoredCipherCell[];
  /**
   * Store the item with its cells' ciphertexts replaced (same order as `cells`); everything else unchanged.
   * @param repos - the transaction's repositories
   * @param texts - the new ciphertexts
   */
  save(repos: Repositories, texts: readonly string[]): Promise<void>;
}

/** A store of field ciphertexts, walked in a stable order. */
export interface CiphertextSource {
  /** Short stable name (job checkpoints, reports): e.g. `rows`. */
  readonly name: string;
  /**
   * Items of one (workspace, dataset) key owner after `after` (undefined: from the start), at most `limit`, in
   * cursor order. A source that holds nothing for the dataset returns an empty page.
   * @param repos - repositories (read or transaction)
   * @param workspace - workspace id (the key's workspace)
   * @param dataset - dataset id (the key's owner)
   * @param after - cursor of the last item already seen
   * @param limit - page size
   */
  page(repos: Repositories, workspace: string, dataset: string, after: string | undefined, limit: number): Promise<CipherItem[]>;
}
