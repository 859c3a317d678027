/**
 * Upload progress maths and formatting for `haven import`. Pure: the caller passes byte counts and elapsed time,
 * so the figures are testable without a clock or a terminal.
 */

/** What the progress display knows at one moment. */
export interface ProgressInput {
  /** Bytes sent so far. */
  readonly sentBytes: number;
  /** Size of the file in bytes (0 when unknown). */
  readonly totalBytes: number;
  /** Milliseconds since the upload began. */
  readonly elapsedMs: number;
  /** Mean bytes per line from the first chunk (undefined: rows cannot be estimated, e.g. a gzip file). */
  readonly meanLineBytes: number | undefined;
}

/** Derived figures; rates are 0 and ETA undefined until there is something to measure. */
export interface ProgressFigures {
  /** 0..1 of the file sent. */
  readonly fraction: number;
  /** Megabytes (10^6 bytes) per second. */
  readonly mbPerSecond: number;
  /** Estimated rows sent (bytes / mean line length), undefined when not estimable. */
  readonly rowsSent: number | undefined;
  /** Estimated rows per second, undefined when not estimable. */
  readonly rowsPerSecond: number | undefined;
  /** Seconds left at the current mean rate, undefined when unknown. */
  readonly etaSeconds: number | undefined;
}

const NEWLINE = 0x0a;

/**
 * Mean line length in bytes of a chunk: its size over its newline count. Undefined when the chunk holds no newline
 * (one huge line, or binary data), so no row estimate is shown rather than a wrong one.
 * @param chunk - the first bytes of the file
 */
export function meanLineLength(chunk: Uint8Array): number | undefined {
  let lines = 0;
  for (let i = 0; i < chunk.length; i++) {
    if (chunk[i] === NEWLINE) {
      lines++;
    }
  }
  return lines === 0 ? undefined : chunk.length / lines;
}

/**
 * Compute rates, the row estimate and the ETA from counters.
 * @param input - bytes sent, file size, elapsed time and the mean line length
 */
export function progressFigures(input: ProgressInput): ProgressFigures {
  const seconds = input.elapsedMs / 1000;
  const bytesPerSecond = seconds > 0 ? input.sentBytes / seconds : 0;
  const fraction = input.totalBytes > 0 ? Math.min(1, input.sentBytes / input.totalBytes) : 0;
  const rowsSent = input.meanLineBytes !== undefined && input.meanLineBytes > 0 ? input.sentBytes / input.meanLineBytes : undefined;
  const rowsPerSecond = rowsSent !== undefined && seconds > 0 ? rowsSent / seconds : undefined;
  const remaining = Math.max(0, input.totalBytes - input.sentBytes);
  const etaSeconds = input.totalBytes > 0 && bytesPerSecond > 0 ? remaining / bytesPerSecond : undefined;
  return { fraction, mbPerSecond: bytesPerSecond / 1e6, rowsSent, rowsPerSecond, etaSeconds };
}

/**
 * Seconds as m:ss (or h:mm:ss from an hour on); '--:--' when unknown.
 * @param seconds - a duration, or undefined
 */
export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) {
    return '--:--';
  }
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/**
 * A byte count in MB with one decimal.
 * @param bytes - byte count
 */
export function formatMegabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/**
 * A count with thousands separators and no decimals (rows, rows/s).
 * @param n - the count
 */
function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-GB');
}

/** The figures after the bar, shared by both display forms. */
function figuresText(input: ProgressInput, f: ProgressFigures): string {
  const size = input.totalBytes > 0 ? `${formatMegabytes(input.sentBytes)}/${formatMegabytes(input.totalBytes)}` : formatMegabytes(input.sentBytes);
  const rows = f.rowsPerSecond !== undefined ? `  ~${formatCount(f.rowsPerSecond)} rows/s` : '';
  return `${size}  ${f.mbPerSecond.toFixed(1)} MB/s${rows}  ETA ${formatDuration(f.etaSeconds)}`;
}

/**
 * One progress-bar frame for a terminal (no newline; the caller rewrites the line with a carriage return).
 * @param input - the counters
 * @param width - bar width in characters (at least 1)
 */
export function formatProgressBar(input: ProgressInput, width = 30): string {
  const f = progressFigures(input);
  const w = Math.max(1, Math.floor(width));
  const filled = Math.min(w, Math.floor(f.fraction * w));
  const bar = '#'.repeat(filled) + '-'.repeat(w - filled);
  const percent = `${Math.floor(f.fraction * 100)}%`.padStart(4);
  return `[${bar}] ${percent}  ${figuresText(input, f)}`;
}

/**
 * A plain progress line for logs and pipes (no control characters).
 * @param input - the counters
 */
export function formatProgressLine(input: ProgressInput): string {
  const f = progressFigures(input);
  const percent = input.totalBytes > 0 ? `${Math.floor(f.fraction * 100)}% ` : '';
  return `progress: ${percent}${figuresText(input, f)}`;
}

/**
 * Whether a periodic progress line is due: never more than one per `intervalMs`.
 * @param lastMs - when the last line was written (undefined: none yet)
 * @param nowMs - now
 * @param intervalMs - the minimum gap
 */
export function progressDue(lastMs: number | undefined, nowMs: number, intervalMs = 1000): boolean {
  return lastMs === undefined || nowMs - lastMs >= intervalMs;
}
