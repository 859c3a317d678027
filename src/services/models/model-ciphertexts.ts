import type { CiphertextSource } from '../keys/ciphertext-source.js';
import { MODEL_KEY_ID } from './model-registry.js';

/**
 * The artifact ciphertexts of registered models (`model.artifact`), under the DEK of the workspace's `models`
 * pseudo-dataset and bound to the model's row id, exactly as ModelRegistry writes them. Re-encrypting one changes
 * neither its plaintext nor its hash, so its signature stays valid.
 */
export const modelArtifactCiphertexts: CiphertextSource = {
  name: 'models',
  async page(repos, workspace, dataset, after, limit) {
    if (dataset !== MODEL_KEY_ID) {
      return [];
    }
    const rows = await repos.models.artifactsAfter(workspace, after, limit);
    return rows.map((row) => ({
      cursor: row.id,
      cells: [{ column: 'artifact', recordId: row.id, text: row.artifact }],
      async save(tx, texts) {
        await tx.models.updateArtifact(row.id, texts[0]!);
      },
    }));
  },
};
