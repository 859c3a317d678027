import { describe, expect, it } from 'vitest';
import type { ColumnAction } from './handling-policy.js';
import { moveColumn, type CellCrypto, type RowDocument } from './label-override-rows.js';

/** Reversible stand-ins for the cipher and the keyed pseudonym, so every transition can be checked by value. */
const crypto: CellCrypto = {
  encrypt: (v) => `enc(${v})`,
  decrypt: (t) => {
    const m = /^enc\((.*)\)$/.exec(t);
    if (!m) {
      throw new Error('not a ciphertext');
    }
    return m[1]!;
  },
  pseudonym: (v) => `ps(${v})`,
};

const stored = (action: ColumnAction, value: string): RowDocument => {
  const doc: RowDocument = { v: { other: 'x' }, p: {}, e: {} };
  if (action === 'plain') {
    doc.v.col = value;
  } else if (value !== '') {
    doc.e.col = crypto.encrypt(value);
    if (action === 'pseudonymise') {
      doc.p.col = crypto.pseudonym(value);
    }
  }
  return doc;
};

const ACTIONS: ColumnAction[] = ['plain', 'encrypt', 'pseudonymise'];

describe('moveColumn', () => {
  for (const from of ACTIONS) {
    for (const to of ACTIONS) {
      for (const value of ['Ann', '']) {
        it(`${from} → ${to} (${value === '' ? 'empty' : 'value'}) gives exactly the import's stored form, once`, () => {
          const doc = stored(from, value);
          const changed = moveColumn(doc, 'col', to, crypto);
          expect(doc).toEqual(stored(to, value));
          expect(changed).toBe(JSON.stringify(stored(from, value)) !== JSON.stringify(stored(to, value)));
          // Idempotent: a re-run after a crash changes nothing more.
          expect(moveColumn(doc, 'col', to, crypto)).toBe(false);
          expect(doc.v.other).toBe('x');
        });
      }
    }
  }

  it('tolerates a document missing its p and e maps', () => {
    const doc = { v: { col: 'Ann' } } as unknown as RowDocument;
    expect(moveColumn(doc, 'col', 'encrypt', crypto)).toBe(true);
    expect(doc).toEqual({ v: {}, p: {}, e: { col: 'enc(Ann)' } });
  });
});
