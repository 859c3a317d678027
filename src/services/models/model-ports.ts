/**
 * Storage records of training runs (experiments), registered models, query budgets and encounter predictions, and
 * the repository the model services need. Records carry ids, metrics and codes; model artifacts are stored only as
 * field ciphertexts.
 */

/** Life of a training run. queued → running → succeeded | failed | cancelled. */
export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

/** Stages of a registered model: candidate → approved (by a steward, not the trainer) → retired. */
export type ModelStage = 'candidate' | 'approved' | 'retired';

/** A training run: what was trained on what, by whom, how, and what came out. Immutable once finished. */
export interface TrainingRunRecord {
  readonly id: string;
  readonly workspaceId: string;
  /** Run number, increasing per workspace (what people type). */
  readonly runNo: number;
  readonly datasetName: string;
  readonly datasetVersion: number;
  readonly datasetSha256: string;
  readonly target: string;
  readonly kind: string;
  /** Training parameters as JSON. */
  readonly params: string;
  readonly seed: number;
  readonly threads: number;
  readonly havenVersion: string;
  readonly status: RunStatus;
  /** Latest progress as JSON ({ round, rounds, validLoss, etaSeconds }), or null. */
  readonly progress: string | null;
  /** Metrics, timings and feature importance as JSON, set when the run succeeds. */
  readonly results: string | null;
  readonly errorCode: string | null;
  readonly cancelRequested: boolean;
  readonly modelName: string;
  readonly modelVersion: number | null;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
}

/** A registered model version. */
export interface ModelRecord {
  readonly id: string;
  readonly workspaceId: string;
  readonly name: string;
  readonly version: number;
  readonly runId: string | null;
  /** `haven-gbdt` (trained here) or `onnx` (imported). */
  readonly format: string;
  readonly stage: ModelStage;
  /** Field ciphertext of the artifact bytes (base64url). */
  readonly artifact: string;
  /** SHA-256 (hex) of the plaintext artifact; the signature covers it. */
  readonly artifactSha256: string;
  /** Ed25519 signature (base64) of the model statement. */
  readonly signature: string;
  readonly signKeyId: string;
  /** The model card as JSON (lineage, metrics, intended use, limits, privacy audit). */
  readonly card: string;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly approvedBy: string | null;
  readonly approvedAt: string | null;
  /** The steward's reason when the release gate was overridden. */
  readonly overrideReason: string | null;
  readonly retiredBy: string | null;
  readonly retiredAt: string | null;
}

/** A stored prediction (or scoring failure) for an admitted encounter. */
export interface EncounterPredictionRecord {
  readonly encounterId: string;
  readonly workspaceId: string;
  readonly status: 'scored' | 'failed';
  readonly modelName: string | null;
  readonly modelVersion: number | null;
  readonly predicted: number | null;
  readonly intervalLow: number | null;
  readonly intervalHigh: number | null;
  readonly ood: boolean;
  /** OOD reasons as JSON ({ feature, kind }[]). */
  readonly oodReasons: string;
  readonly errorCode: string | null;
  readonly scoredAt: string;
}

/** Storage of runs, models, budgets and predictions. */
export interface ModelRepository {
  insertRun(r: TrainingRunRecord): Promise<void>;
  updateRun(
    id: string,
    changes: Partial<
      Pick<TrainingRunRecord, 'status' | 'progress' | 'results' | 'errorCode' | 'cancelRequested' | 'modelVersion' | 'startedAt' | 'finishedAt'>
    >,
  ): Promise<void>;
  run(workspaceId: string, runNo: number): Promise<TrainingRunRecord | undefined>;
  runById(id: string): Promise<TrainingRunRecord | undefined>;
  runs(workspaceId: string): Promise<TrainingRunRecord[]>;
  runsWithStatus(statuses: readonly RunStatus[]): Promise<TrainingRunRecord[]>;
  /** The highest run number of a workspace (0 when none). */
  lastRunNo(workspaceId: string): Promise<number>;
  insertModel(m: ModelRecord): Promise<void>;
  updateModel(
    id: string,
    changes: Partial<Pick<ModelRecord, 'stage' | 'approvedBy' | 'approvedAt' | 'overrideReason' | 'retiredBy' | 'retiredAt'>>,
  ): Promise<void>;
  model(workspaceId: string, name: string, version: number): Promise<ModelRecord | undefined>;
  /**
   * Registry rows without their artifact (`artifact` is ''): what scoring reads on every request to find the served
   * version and check its stage; the artifact itself is read only when a version is first loaded.
   * @param version - one version, or undefined for every approved version of the name
   */
  modelHeads(workspaceId: string, name: string, version: number | undefined): Promise<ModelRecord[]>;
  models(workspaceId: string): Promise<ModelRecord[]>;
  /** The highest version of a model name (0 when none). */
  lastModelVersion(workspaceId: string, name: string): Promise<number>;
  /**
   * Add `count` queries to a principal's use of a model in a window, only if the total stays within `limit`;
   * returns the new total, or undefined when the budget would be exceeded (nothing written).
   */
  spendQueries(modelId: string, subject: string, window: string, count: number, limit: number): Promise<number | undefined>;
  queriesUsed(modelId: string, subject: string, window: string): Promise<number>;
  /** Models of a workspace with id > `after` (undefined: from the start), by id, at most `limit` (re-encryption walks them). */
  artifactsAfter(workspaceId: string, after: string | undefined, limit: number): Promise<{ id: string; artifact: string }[]>;
  /** Replace a model's artifact ciphertext (re-encryption; the plaintext, hash and signature are unchanged). */
  updateArtifact(id: string, artifact: string): Promise<void>;
  upsertPrediction(p: EncounterPredictionRecord): Promise<void>;
  prediction(encounterId: string): Promise<EncounterPredictionRecord | undefined>;
}
