import { Worker } from 'node:worker_threads';
import { HavenError } from '../../errors/haven-error.js';
import type { HavenCode } from '../../errors/codes.js';
import type { TrainJobInput, TrainJobOutput } from '../../libs/ml-pipeline/train-and-audit.js';
import type { TrainingExecution, TrainingExecutor } from '../../services/models/training-executor.js';
import { workerUrl } from './worker-url.js';

type WorkerMessage =
  | { type: 'progress'; round: number; trainLoss: number; validLoss: number | null }
  | { type: 'done'; out: TrainJobOutput }
  | { type: 'error'; code: HavenCode; detail: Record<string, string | number | boolean> };

/**
 * Runs each training in its own worker thread, so the server keeps answering while a model trains. Cancelling
 * terminates the thread (the round loop is never waited for); a crashed thread rejects with HAVEN_TRAIN_FAILED.
 */
export const threadTrainingExecutor: TrainingExecutor = {
  start(input: TrainJobInput, onProgress): TrainingExecution {
    const transfer = [input.matrix.data.buffer, input.target.buffer, input.isTest.buffer, ...(input.isValid ? [input.isValid.buffer] : [])] as ArrayBuffer[];
    const worker = new Worker(workerUrl(import.meta.url, 'training-worker'), { workerData: input, transferList: transfer });
    let cancelled = false;
    const result = new Promise<TrainJobOutput>((resolve, reject) => {
      let settled = false;
      const settle = (fn: () => void): void => {
        if (!settled) {
          settled = true;
          fn();
          void worker.terminate();
        }
      };
      worker.on('message', (m: WorkerMessage) => {
        if (m.type === 'progress') {
          onProgress({ round: m.round, trainLoss: m.trainLoss, validLoss: m.validLoss });
        } else if (m.type === 'done') {
          settle(() => resolve(m.out));
        } else {
          settle(() => reject(new HavenError(m.code, undefined, { detail: m.detail })));
        }
      });
      worker.on('error', () => settle(() => reject(new HavenError('HAVEN_TRAIN_FAILED'))));
      worker.on('exit', () => settle(() => reject(new HavenError(cancelled ? 'HAVEN_ML_TRAIN_CANCELLED' : 'HAVEN_TRAIN_FAILED'))));
    });
    return {
      result,
      cancel() {
        cancelled = true;
        void worker.terminate();
      },
    };
  },
};
