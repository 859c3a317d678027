import { HavenError } from '../../errors/haven-error.js';
import type { FeatureSpec } from '../../libs/ml/feature-matrix.js';
import { validateModel, type GbdtModel } from '../../libs/ml/gbdt-model.js';
import type { OodProfile } from '../../libs/ml-defence/ood.js';
import { isModelKind, type ModelKind } from '../../libs/ml-pipeline/trained-model.js';

/**
 * The model artifact (format `haven-model`, version 1): everything scoring needs, as JSON. It is stored encrypted
 * (field ciphertext bound to workspace, model name and version) and signed (Ed25519 over the statement below).
 * Every kind of model (`kind`) is carried in the tree format, so scoring is the same for all of them; artifacts
 * written before kinds existed have no `kind` and are `gbdt`.
 */
export interface ModelArtifact {
  readonly format: 'haven-model';
  readonly formatVersion: 1;
  readonly workspace: string;
  readonly name: string;
  readonly version: number;
  readonly target: string;
  /** How the trees were obtained: `gbdt`, `dp-gbdt` or `dp-linear` (absent in older artifacts: `gbdt`). */
  readonly kind?: ModelKind | undefined;
  /** How raw record columns become the model's feature matrix. */
  readonly spec: FeatureSpec;
  readonly model: GbdtModel;
  /** The training distribution, for out-of-distribution checks when scoring. */
  readonly ood: OodProfile;
  /** Test-residual quantiles: the 80 % prediction interval is [p + q10, p + q90]. */
  readonly residuals: { readonly q10: number; readonly q90: number };
  /** Decimal places of served predictions (0: whole days). */
  readonly outputDecimals: number;
}

/**
 * The bytes a model signature covers: the artifact's identity and hash, so a signature cannot be replayed onto
 * another workspace, name or version.
 * @param workspaceId - the workspace id
 * @param name - model name
 * @param version - model version
 * @param sha256 - hex SHA-256 of the plaintext artifact
 */
export function modelStatement(workspaceId: string, name: string, version: number, sha256: string): Buffer {
  return Buffer.from(`haven-model-v1\n${workspaceId}\n${name}\n${version}\n${sha256}\n`, 'utf8');
}

/**
 * Parse and check a decrypted artifact: its identity must match the registry record, and the tree model must be
 * structurally valid. Anything else is HAVEN_MODEL_INTEGRITY.
 * @param bytes - the plaintext artifact
 * @param expected - workspace id, name and version of the record it came from
 */
export function parseArtifact(bytes: Uint8Array, expected: { workspace: string; name: string; version: number }): ModelArtifact {
  let a: ModelArtifact;
  try {
    a = JSON.parse(Buffer.from(bytes).toString('utf8')) as ModelArtifact;
  } catch {
    throw new HavenError('HAVEN_MODEL_INTEGRITY', undefined, { detail: { reason: 'not_json' } });
  }
  if (a.format !== 'haven-model' || a.formatVersion !== 1) {
    throw new HavenError('HAVEN_MODEL_INTEGRITY', undefined, { detail: { reason: 'format' } });
  }
  if (a.workspace !== expected.workspace || a.name !== expected.name || a.version !== expected.version) {
    throw new HavenError('HAVEN_MODEL_INTEGRITY', undefined, { detail: { reason: 'identity' } });
  }
  if (a.kind !== undefined && !isModelKind(a.kind)) {
    throw new HavenError('HAVEN_MODEL_INTEGRITY', undefined, { detail: { reason: 'kind' } });
  }
  try {
    validateModel(a.model);
  } catch {
    throw new HavenError('HAVEN_MODEL_INTEGRITY', undefined, { detail: { reason: 'model' } });
  }
  return a;
}

/**
 * The kind of an artifact's model (`gbdt` for artifacts written before kinds existed).
 * @param a - a parsed artifact
 */
export function artifactKind(a: Pick<ModelArtifact, 'kind'>): ModelKind {
  return a.kind ?? 'gbdt';
}
