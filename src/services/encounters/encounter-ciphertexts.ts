import type { CiphertextSource } from '../keys/ciphertext-source.js';
import { ENCOUNTER_KEY_ID } from './encounter-service.js';

/**
 * The name ciphertexts of admitted encounters (`encounter.names`: field ciphertext by column), for re-encryption
 * and key-use counting. They are under the DEK of the workspace's `encounters` pseudo-dataset, bound to the
 * encounter's row id, exactly as EncounterService writes them.
 */
export const encounterNameCiphertexts: CiphertextSource = {
  name: 'encounters',
  async page(repos, workspace, dataset, after, limit) {
    if (dataset !== ENCOUNTER_KEY_ID) {
      return [];
    }
    const rows = await repos.encounters.namesAfter(workspace, after, limit);
    return rows.map((row) => {
      const names = JSON.parse(row.names) as Record<string, string>;
      const columns = Object.keys(names);
      return {
        cursor: row.id,
        cells: columns.map((column) => ({ column, recordId: row.id, text: names[column]! })),
        async save(tx, texts) {
          const next: Record<string, string> = {};
          columns.forEach((column, i) => (next[column] = texts[i]!));
          await tx.encounters.updateNames(row.id, JSON.stringify(next));
        },
      };
    });
  },
};
