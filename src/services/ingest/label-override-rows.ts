import type { ColumnAction } from './handling-policy.js';

/** A stored row document: plain values, pseudonyms of join keys, ciphertexts of identifiers (as IngestService writes it). */
export interface RowDocument {
  v: Record<string, string>;
  p: Record<string, string>;
  e: Record<string, string>;
}

/** Cell cryptography for one row and column (bound to the row's record id by the caller). */
export interface CellCrypto {
  encrypt(value: string): string;
  decrypt(text: string): string;
  pseudonym(value: string): string;
}

/** A copy of a cell map without one column. */
function omit(cells: Record<string, string>, column: string): Record<string, string> {
  return Object.fromEntries(Object.entries(cells).filter(([k]) => k !== column));
}

/**
 * Put one column of a row document in the stored form of an action, as an import with that action would have
 * written it: plain → the value in `v` (an empty value is ''); encrypt → the ciphertext in `e`, nothing in `v` or
 * `p`; pseudonymise → ciphertext in `e` and pseudonym in `p`. Empty values have no ciphertext or pseudonym.
 * Idempotent: a row already in that form is left as is and reported unchanged, so a rewrite can be re-run.
 * @param doc - the row document (changed in place)
 * @param column - the column
 * @param to - the action to store it under
 * @param crypto - encryption, decryption and pseudonym for this row's cell
 * @returns whether the document changed
 */
export function moveColumn(doc: RowDocument, column: string, to: ColumnAction, crypto: CellCrypto): boolean {
  doc.v ??= {};
  doc.p ??= {};
  doc.e ??= {};
  const inClear = Object.hasOwn(doc.v, column);
  const cipher = Object.hasOwn(doc.e, column) ? doc.e[column] : undefined;
  const pseudonym = Object.hasOwn(doc.p, column);
  if (to === 'plain') {
    if (inClear && cipher === undefined && !pseudonym) {
      return false;
    }
    doc.v[column] = inClear ? doc.v[column]! : cipher !== undefined ? crypto.decrypt(cipher) : '';
    doc.e = omit(doc.e, column);
    doc.p = omit(doc.p, column);
    return true;
  }
  if (inClear) {
    const value = doc.v[column]!;
    doc.v = omit(doc.v, column);
    doc.e = omit(doc.e, column);
    doc.p = omit(doc.p, column);
    if (value !== '') {
      doc.e[column] = crypto.encrypt(value);
      if (to === 'pseudonymise') {
        doc.p[column] = crypto.pseudonym(value);
      }
    }
    return true;
  }
  if (to === 'encrypt') {
    if (!pseudonym) {
      return false;
    }
    doc.p = omit(doc.p, column);
    return true;
  }
  // pseudonymise, values already encrypted: add the pseudonym where it is missing.
  if (cipher === undefined) {
    if (!pseudonym) {
      return false;
    }
    doc.p = omit(doc.p, column);
    return true;
  }
  if (pseudonym) {
    return false;
  }
  doc.p[column] = crypto.pseudonym(crypto.decrypt(cipher));
  return true;
}
