import type { Category } from './categories.js';

/** One catalogue entry: the HTTP status, the CLI category (exit code) and the safe default message. */
export interface CodeEntry {
  readonly status: number;
  readonly category: Category;
  readonly message: string;
}
