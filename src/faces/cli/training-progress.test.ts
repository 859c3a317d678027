import { describe, expect, it } from 'vitest';
import { formatTrainingBar, formatTrainingLine } from './training-progress.js';

describe('training progress', () => {
  it('fills the bar in proportion to the rounds done and shows loss and ETA', () => {
    expect(formatTrainingBar({ round: 150, rounds: 300, validLoss: 0.2345678, etaSeconds: 12 }, 10)).toBe(
      '[#####-----]  50%  round 150/300  valid loss 0.2346  ETA 0:12',
    );
    expect(formatTrainingBar({ round: 300, rounds: 300, validLoss: null, etaSeconds: 0 }, 4)).toBe('[####] 100%  round 300/300  ETA 0:00');
  });
  it('never overflows the bar, and plain lines carry no control characters', () => {
    expect(formatTrainingBar({ round: 400, rounds: 300, validLoss: null, etaSeconds: null }, 4)).toBe('[####] 100%  round 400/300');
    expect(formatTrainingLine({ round: 1, rounds: 3, validLoss: null, etaSeconds: null })).toBe('training: round 1/3');
  });
});
