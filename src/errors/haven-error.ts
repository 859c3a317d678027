import { CATALOGUE, exitCodeFor, type HavenCode } from './codes.js';

/** Safe detail attached to an error: ids, counts and codes only, never cell values, secrets or PHI. */
export type SafeDetail = Readonly<Record<string, string | number | boolean>>;

/**
 * The one error type of Haven. Switch on `code`; the catalogue gives the status, exit code and safe message.
 * `message` must never contain input values; put ids and counts in `detail`.
 */
export class HavenError extends Error {
  override readonly name = 'HavenError';
  readonly code: HavenCode;
  readonly detail: SafeDetail | undefined;

  constructor(code: HavenCode, message?: string, opts?: { cause?: unknown; detail?: SafeDetail }) {
    super(message ?? CATALOGUE[code].message, opts?.cause === undefined ? undefined : { cause: opts.cause });
    this.code = code;
    this.detail = opts?.detail;
  }

  /** HTTP status for this error. */
  get status(): number {
    return CATALOGUE[this.code].status;
  }

  /** CLI exit code for this error. */
  get exitCode(): number {
    return exitCodeFor(this.code);
  }
}

/** Type guard that works across module copies (checks the shape, not the prototype). */
export function isHavenError(err: unknown): err is HavenError {
  return err instanceof HavenError;
}
