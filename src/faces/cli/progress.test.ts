import { describe, expect, it } from 'vitest';
import { formatDuration, formatProgressBar, formatProgressLine, meanLineLength, progressDue, progressFigures } from './progress.js';

describe('meanLineLength', () => {
  it('divides the chunk size by its newline count', () => {
    expect(meanLineLength(Buffer.from('ab\ncd\nef\n'))).toBe(3);
    expect(meanLineLength(Buffer.from('a,b,c\n1,2,3\n4,5'))).toBe(15 / 2);
  });
  it('gives no estimate without a newline', () => {
    expect(meanLineLength(Buffer.from('no newline here'))).toBeUndefined();
    expect(meanLineLength(new Uint8Array(0))).toBeUndefined();
  });
});

describe('progressFigures', () => {
  it('computes rate, rows, rows/s and ETA from bytes and time', () => {
    const f = progressFigures({ sentBytes: 4_000_000, totalBytes: 10_000_000, elapsedMs: 2000, meanLineBytes: 100 });
    expect(f.fraction).toBeCloseTo(0.4);
    expect(f.mbPerSecond).toBeCloseTo(2);
    expect(f.rowsSent).toBeCloseTo(40_000);
    expect(f.rowsPerSecond).toBeCloseTo(20_000);
    expect(f.etaSeconds).toBeCloseTo(3);
  });
  it('has no rates or ETA at time zero, and no rows without a line length', () => {
    const f = progressFigures({ sentBytes: 0, totalBytes: 100, elapsedMs: 0, meanLineBytes: undefined });
    expect(f).toMatchObject({ fraction: 0, mbPerSecond: 0, rowsSent: undefined, rowsPerSecond: undefined, etaSeconds: undefined });
  });
  it('caps the fraction at 1 and the ETA at 0 when more was sent than the size said', () => {
    const f = progressFigures({ sentBytes: 150, totalBytes: 100, elapsedMs: 1000, meanLineBytes: 10 });
    expect(f.fraction).toBe(1);
    expect(f.etaSeconds).toBe(0);
  });
});

describe('formatting', () => {
  it('formats durations as m:ss and h:mm:ss', () => {
    expect(formatDuration(undefined)).toBe('--:--');
    expect(formatDuration(Infinity)).toBe('--:--');
    expect(formatDuration(5)).toBe('0:05');
    expect(formatDuration(125.4)).toBe('2:05');
    expect(formatDuration(3 * 3600 + 61)).toBe('3:01:01');
  });
  it('draws a bar filled in proportion, with MB, MB/s, rows/s and ETA', () => {
    const frame = formatProgressBar({ sentBytes: 5_000_000, totalBytes: 10_000_000, elapsedMs: 1000, meanLineBytes: 50 }, 10);
    expect(frame).toBe('[#####-----]  50%  5.0 MB/10.0 MB  5.0 MB/s  ~100,000 rows/s  ETA 0:01');
  });
  it('writes plain lines without control characters, omitting rows/s when unknown', () => {
    const line = formatProgressLine({ sentBytes: 2_500_000, totalBytes: 10_000_000, elapsedMs: 5000, meanLineBytes: undefined });
    expect(line).toBe('progress: 25% 2.5 MB/10.0 MB  0.5 MB/s  ETA 0:15');
    expect(line).not.toContain('\r');
    expect(line).not.toContain(String.fromCharCode(0x1b));
  });
});

describe('progressDue', () => {
  it('allows the first line and then at most one per interval', () => {
    expect(progressDue(undefined, 0)).toBe(true);
    expect(progressDue(1000, 1999)).toBe(false);
    expect(progressDue(1000, 2000)).toBe(true);
    expect(progressDue(0, 400, 500)).toBe(false);
  });
});
