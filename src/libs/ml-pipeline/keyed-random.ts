/**
 * The noise source of differentially private training: uniform floats from the AES-256-CTR keystream of a 32-byte key.
 * Deterministic for a key (so a run can be reproduced in a test), unpredictable without it. The service draws a fresh
 * key from the CSPRNG for every run and never stores or logs it: whoever knows the key can replay the noise and
 * subtract it, which would void the privacy guarantee. A 32-bit PRNG seed (mulberry32) is not enough for that role:
 * 2^32 candidate seeds can be tried one by one.
 */
import { createCipheriv, createHash } from 'node:crypto';
import { HavenError } from '../../errors/haven-error.js';
import type { RandomSource } from '../privacy/dp/seeded-random.js';

const BLOCK_BYTES = 64 * 1024;
const TWO_POW_53 = 2 ** 53;

/**
 * A uniform source on [0, 1) with 53 random bits per draw, from the keystream of `key`.
 * @param key - 32 secret bytes (from `crypto.randomBytes(32)` in production; fixed bytes only in tests)
 */
export function keyedRandom(key: Uint8Array): RandomSource {
  if (key.length !== 32) {
    throw new HavenError('HAVEN_PRIVACY_INVALID_PARAMETER', undefined, { detail: { parameter: 'noiseKey' } });
  }
  const cipher = createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
  const zeros = Buffer.alloc(BLOCK_BYTES);
  let block = cipher.update(zeros);
  let offset = 0;
  return (): number => {
    if (offset + 8 > block.length) {
      block = cipher.update(zeros);
      offset = 0;
    }
    // 21 high bits of the first word and 32 of the second: an integer in [0, 2^53).
    const hi = block.readUInt32LE(offset) >>> 11;
    const lo = block.readUInt32LE(offset + 4);
    offset += 8;
    return (hi * 4294967296 + lo) / TWO_POW_53;
  };
}

/**
 * A sub-key for one purpose (e.g. one shadow model of the audit), so no two noise streams of a run coincide.
 * @param key - the run's 32-byte noise key
 * @param label - what the sub-key is for
 */
export function deriveNoiseKey(key: Uint8Array, label: string): Uint8Array {
  return new Uint8Array(createHash('sha256').update(key).update(`\0${label}`).digest());
}
