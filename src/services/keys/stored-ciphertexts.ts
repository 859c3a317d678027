import { encounterNameCiphertexts } from '../encounters/encounter-ciphertexts.js';
import { datasetRowCiphertexts, quarantineCiphertexts } from '../ingest/row-ciphertexts.js';
import { modelArtifactCiphertexts } from '../models/model-ciphertexts.js';
import type { CiphertextSource } from './ciphertext-source.js';

/**
 * Every place outside the identifier vault that stores field ciphertexts under dataset DEKs. A new owner of
 * encrypted columns adds its source here, so re-encryption moves its values and key destruction counts them.
 */
export const STORED_CIPHERTEXTS: readonly CiphertextSource[] = [
  datasetRowCiphertexts,
  quarantineCiphertexts,
  encounterNameCiphertexts,
  modelArtifactCiphertexts,
];
