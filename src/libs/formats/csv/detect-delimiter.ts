import { CSV_DELIMITERS, type CsvDelimiter } from './csv-options.js';

/** How many lines of the sample are looked at. */
const MAX_LINES = 100;

/**
 * Guess the delimiter from the first bytes of a file: the candidate (comma, semicolon, tab, pipe)
 * whose per-line count, outside quotes, is the same non-zero number on the most lines.
 * Ties go to the larger count, then to the order comma, semicolon, tab, pipe. A file with
 * no candidate at all (one column) gives comma.
 * @param sample - the first bytes of the file (64 KiB is plenty); a partial last line is ignored
 * @returns the detected delimiter
 */
export function detectDelimiter(sample: Uint8Array): CsvDelimiter {
  const codes = CSV_DELIMITERS.map((d) => d.charCodeAt(0));
  const perLine: number[][] = [];
  let counts = codes.map(() => 0);
  let inQuote = false;
  let complete = false;
  for (let i = 0; i < sample.length && perLine.length < MAX_LINES; i++) {
    const c = sample[i]!;
    if (c === 34) {
      inQuote = !inQuote;
    } else if (!inQuote && (c === 10 || c === 13)) {
      if (c === 13 && sample[i + 1] === 10) {
        i++;
      }
      perLine.push(counts);
      counts = codes.map(() => 0);
      complete = i === sample.length - 1;
      continue;
    } else if (!inQuote) {
      const k = codes.indexOf(c);
      if (k !== -1) {
        counts[k]!++;
      }
    }
    complete = false;
  }
  // The last line counts only if it ended (a partial line would skew the counts) or is the only one.
  if (!complete && perLine.length === 0) {
    perLine.push(counts);
  }
  let best: CsvDelimiter = ',';
  let bestScore = 0;
  let bestCount = 0;
  CSV_DELIMITERS.forEach((d, k) => {
    const freq = new Map<number, number>();
    for (const line of perLine) {
      const n = line[k]!;
      if (n > 0) {
        freq.set(n, (freq.get(n) ?? 0) + 1);
      }
    }
    for (const [n, lines] of freq) {
      const score = lines / perLine.length;
      if (score > bestScore || (score === bestScore && n > bestCount)) {
        best = d;
        bestScore = score;
        bestCount = n;
      }
    }
  });
  return best;
}
