import { FIRST_NAMES, LAST_NAMES } from './names-data.js';

let first: Set<string> | undefined;
let last: Set<string> | undefined;

/** Built on first use: importing the classifier should not pay for a dictionary it may not need. */
function sets(): { first: Set<string>; last: Set<string> } {
  first ??= new Set(FIRST_NAMES.split(/\s+/).filter(Boolean));
  last ??= new Set(LAST_NAMES.split(/\s+/).filter(Boolean));
  return { first, last };
}

/**
 * Whether a word is a common US given name (case-insensitive).
 * @param word - one word
 */
export function isKnownFirstName(word: string): boolean {
  return sets().first.has(word.toLowerCase());
}

/**
 * Whether a word is a common US given name or surname (case-insensitive; apostrophes ignored, so O'Brien matches obrien).
 * @param word - one word
 */
export function isKnownName(word: string): boolean {
  const w = word.toLowerCase().replace(/['.]/g, '');
  const s = sets();
  return s.first.has(w) || s.last.has(w);
}

/** Sizes of the shipped lists (for documentation and tests). */
export function nameDictionarySize(): { first: number; last: number } {
  const s = sets();
  return { first: s.first.size, last: s.last.size };
}
