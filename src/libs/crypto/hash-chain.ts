import { createHmac } from 'node:crypto';
import { canonicalJson, type CanonicalValue } from './canonical-json.js';
import { constantTimeEqual } from './constant-time.js';

/** The hash of the (virtual) entry before the first one. */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields of a ledger entry that the chain protects. */
export interface ChainedFields {
  readonly seq: number;
  readonly prevHash: string;
  readonly body: { readonly [key: string]: CanonicalValue };
}

/**
 * The MAC of one entry: HMAC-SHA256 under the ledger key over the canonical encoding of its
 * sequence number, the previous entry's hash and its body. Keyed, so someone who can write the
 * database but cannot read the data directory cannot forge a consistent chain.
 * @param key - the ledger MAC key (32 bytes)
 * @param fields - the entry's sequence number, previous hash and body
 */
export function chainHash(key: Uint8Array, fields: ChainedFields): string {
  const material = canonicalJson({ seq: fields.seq, prev: fields.prevHash, body: fields.body });
  return createHmac('sha256', key).update(material).digest('hex');
}

/** An entry as stored: the chained fields plus its recorded hash. */
export interface StoredChainEntry extends ChainedFields {
  readonly hash: string;
}

/** Why verification stopped at an entry. */
export type ChainFault = 'sequence_gap' | 'prev_hash_mismatch' | 'hash_mismatch';

/** Incremental verifier state; feed entries in sequence order. */
export interface ChainVerifier {
  /** Check the next entry; returns a fault or null. */
  next(entry: StoredChainEntry): ChainFault | null;
  /** The last verified sequence number and hash. */
  head(): { seq: number; hash: string };
}

/**
 * Create a verifier that checks entries one at a time (bounded memory for long ledgers).
 * @param key - the ledger MAC key
 */
export function createChainVerifier(key: Uint8Array): ChainVerifier {
  let seq = 0;
  let hash = GENESIS_HASH;
  return {
    next(entry) {
      if (entry.seq !== seq + 1) {
        return 'sequence_gap';
      }
      if (!constantTimeEqual(entry.prevHash, hash)) {
        return 'prev_hash_mismatch';
      }
      const expected = chainHash(key, entry);
      if (!constantTimeEqual(expected, entry.hash)) {
        return 'hash_mismatch';
      }
      seq = entry.seq;
      hash = entry.hash;
      return null;
    },
    head() {
      return { seq, hash };
    },
  };
}
