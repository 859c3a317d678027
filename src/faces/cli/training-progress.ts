import { formatDuration } from './progress.js';

/** A training run's progress as the API reports it. */
export interface TrainingProgressInput {
  readonly round: number;
  readonly rounds: number;
  readonly validLoss: number | null;
  readonly etaSeconds: number | null;
}

function details(p: TrainingProgressInput): string {
  const loss = p.validLoss === null ? '' : `  valid loss ${p.validLoss.toPrecision(4)}`;
  const eta = p.etaSeconds === null ? '' : `  ETA ${formatDuration(p.etaSeconds)}`;
  return `round ${p.round}/${p.rounds}${loss}${eta}`;
}

/**
 * One progress-bar frame for a training run (no newline; the caller rewrites the line).
 * @param p - the run's progress
 * @param width - bar width in characters
 */
export function formatTrainingBar(p: TrainingProgressInput, width = 30): string {
  const fraction = p.rounds > 0 ? Math.min(1, Math.max(0, p.round / p.rounds)) : 0;
  const filled = Math.floor(fraction * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${`${Math.floor(fraction * 100)}%`.padStart(4)}  ${details(p)}`;
}

/**
 * A plain progress line for logs and pipes.
 * @param p - the run's progress
 */
export function formatTrainingLine(p: TrainingProgressInput): string {
  return `training: ${details(p)}`;
}
