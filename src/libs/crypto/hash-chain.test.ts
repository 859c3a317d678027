import { describe, expect, it } from 'vitest';
import { chainHash, createChainVerifier, GENESIS_HASH, type StoredChainEntry } from './hash-chain.js';

const key = Buffer.alloc(32, 7);

function build(n: number): StoredChainEntry[] {
  const out: StoredChainEntry[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const body = { action: `a${seq}`, outcome: 'success' };
    const hash = chainHash(key, { seq, prevHash: prev, body });
    out.push({ seq, prevHash: prev, body, hash });
    prev = hash;
  }
  return out;
}

function firstFault(entries: StoredChainEntry[]): { index: number; fault: string } | null {
  const v = createChainVerifier(key);
  for (const [index, e] of entries.entries()) {
    const fault = v.next(e);
    if (fault) {
      return { index, fault };
    }
  }
  return null;
}

describe('hash chain', () => {
  it('verifies an intact chain', () => {
    expect(firstFault(build(5))).toBeNull();
  });

  it('is a known answer for a fixed key and body', () => {
    // printf '%s' '{"body":{"a":"x","b":1},"prev":"p","seq":1}' | openssl dgst -sha256 -hmac k
    const h = chainHash(Buffer.from('k'), { seq: 1, prevHash: 'p', body: { b: 1, a: 'x' } });
    expect(h).toBe('d5258d65940c4eaff0af6c8ea9fd8ea6be7d5200c7bdd85b219f173d207b01a9');
    const again = chainHash(Buffer.from('k'), { seq: 1, prevHash: 'p', body: { a: 'x', b: 1 } });
    expect(again).toBe(h);
  });

  it('names a modified entry', () => {
    const e = build(5);
    e[2] = { ...e[2]!, body: { action: 'changed', outcome: 'success' } };
    expect(firstFault(e)).toEqual({ index: 2, fault: 'hash_mismatch' });
  });

  it('names a deleted entry', () => {
    const e = build(5);
    e.splice(1, 1);
    expect(firstFault(e)).toEqual({ index: 1, fault: 'sequence_gap' });
  });

  it('names reordered entries', () => {
    const e = build(5);
    const a = e[1]!;
    const b = e[2]!;
    e[1] = { ...b, seq: 2 };
    e[2] = { ...a, seq: 3 };
    expect(firstFault(e)).toEqual({ index: 1, fault: 'prev_hash_mismatch' });
  });

  it('rejects an entry forged with another key', () => {
    const e = build(3);
    const body = { action: 'forged', outcome: 'success' };
    const hash = chainHash(Buffer.alloc(32, 9), { seq: 4, prevHash: e[2]!.hash, body });
    e.push({ seq: 4, prevHash: e[2]!.hash, body, hash });
    expect(firstFault(e)).toEqual({ index: 3, fault: 'hash_mismatch' });
  });
});
