import { describe, it, expect } from 'vitest';
import { isKnownFirstName, isKnownName, nameDictionarySize } from './name-dictionary.js';

describe('name dictionary', () => {
  it('ships a few thousand names', () => {
    const { first, last } = nameDictionarySize();
    expect(first).toBeGreaterThan(1500);
    expect(last).toBeGreaterThan(2000);
  });

  it('matches case-insensitively and ignores apostrophes', () => {
    expect(isKnownName('SMITH')).toBe(true);
    expect(isKnownName("O'Brien")).toBe(true);
    expect(isKnownFirstName('Maria')).toBe(true);
    expect(isKnownFirstName('Smith')).toBe(false);
  });

  it('leaves out ordinary words and the sample synthetic names', () => {
    for (const w of ['street', 'hospital', 'glucose', 'FirstA', 'LASTCEVUDKM']) {
      expect(isKnownName(w)).toBe(false);
    }
  });
});
