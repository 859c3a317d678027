/**
 * Worker-thread entry of a training run: runs the pure train-and-audit pipeline on the data it was given and reports
 * progress and the result to its parent. Errors go back as codes and safe details only.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isHavenError } from '../../errors/haven-error.js';
import { trainAndAudit, type TrainJobInput } from '../../libs/ml-pipeline/train-and-audit.js';

const port = parentPort!;
try {
  const out = trainAndAudit(workerData as TrainJobInput, {
    onProgress: (p) => port.postMessage({ type: 'progress', round: p.round, trainLoss: p.trainLoss, validLoss: p.validLoss ?? null }),
  });
  port.postMessage({ type: 'done', out });
} catch (err) {
  port.postMessage(isHavenError(err) ? { type: 'error', code: err.code, detail: err.detail ?? {} } : { type: 'error', code: 'HAVEN_TRAIN_FAILED', detail: {} });
}
