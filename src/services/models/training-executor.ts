import type { TrainJobInput, TrainJobOutput } from '../../libs/ml-pipeline/train-and-audit.js';

/** Progress of a run, as the executor reports it after every boosting round. */
export interface RoundProgress {
  readonly round: number;
  readonly trainLoss: number;
  readonly validLoss: number | null;
}

/** A started training computation. */
export interface TrainingExecution {
  readonly result: Promise<TrainJobOutput>;
  /** Stop the computation; `result` then rejects with HAVEN_ML_TRAIN_CANCELLED. */
  cancel(): void;
}

/**
 * Where the compute of a run happens: the embedded default is a worker thread in the server process
 * (adapters/threads); a queue of worker processes can implement the same port.
 */
export interface TrainingExecutor {
  start(input: TrainJobInput, onProgress: (p: RoundProgress) => void): TrainingExecution;
}
