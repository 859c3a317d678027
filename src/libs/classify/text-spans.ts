import type { SpanKind } from './classification-types.js';
import { isKnownFirstName } from './name-dictionary.js';

const SPAN_PATTERNS: readonly (readonly [SpanKind, RegExp])[] = [
  ['email', /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g],
  ['url', /\b(?:https?:\/\/|www\.)[^\s<>"']+/gi],
  ['ssn', /\b(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}\b/g],
  ['phone', /(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\b\d{3}[\s.-])\d{3}[\s.-]\d{4}\b/g],
  ['ip_address', /\b(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\b/g],
  ['date', /\b(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{2}-\d{2}|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4})\b/gi],
];
const CAPITALISED_WORD = /\b[A-Z][a-z]{1,20}\b/g;

/**
 * Count PII spans in free text, per kind, into `counts`. Names are capitalised words from the
 * first-name list (a capitalised last name alone is too often an ordinary word). Only counts
 * come out: the matched text is dropped at once.
 * @param text - one free-text cell
 * @param counts - totals to add to
 * @returns the number of spans found in this cell
 */
export function countPiiSpans(text: string, counts: Partial<Record<SpanKind, number>>): number {
  let found = 0;
  let rest = text;
  for (const [kind, re] of SPAN_PATTERNS) {
    re.lastIndex = 0;
    const n = rest.match(re)?.length ?? 0;
    if (n > 0) {
      counts[kind] = (counts[kind] ?? 0) + n;
      found += n;
      // Blank out what matched so an email's digits are not counted again as a phone.
      rest = rest.replace(re, ' ');
    }
  }
  let names = 0;
  for (const word of rest.match(CAPITALISED_WORD) ?? []) {
    if (isKnownFirstName(word)) {
      names++;
    }
  }
  if (names > 0) {
    counts.name = (counts.name ?? 0) + names;
    found += names;
  }
  return found;
}
