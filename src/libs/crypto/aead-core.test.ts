import { describe, it, expect } from 'vitest';
import { HavenError } from '../../errors/haven-error.js';
import {
  assertKey32, assertKeyId, assertU32, canonicalEncode, drawNonce, gcmOpen, gcmSeal, systemRandom,
} from './aead-core.js';

const hex = (s: string): Buffer => Buffer.from(s, 'hex');

function caught(fn: () => unknown): HavenError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(HavenError);
    return err as HavenError;
  }
  throw new Error('expected a HavenError');
}

// McGrew & Viega, "The Galois/Counter Mode of Operation (GCM)", test cases 13–16 (256-bit keys).
const K15 = 'feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308';
const IV15 = 'cafebabefacedbaddecaf888';
const P15 =
  'd9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255';
const C15 =
  '522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad';
const GCM_VECTORS = [
  { name: 'TC13', key: '00'.repeat(32), iv: '00'.repeat(12), p: '', aad: '', c: '', tag: '530f8afbc74536b9a963b4f1c4cb738b' },
  { name: 'TC14', key: '00'.repeat(32), iv: '00'.repeat(12), p: '00'.repeat(16), aad: '', c: 'cea7403d4d606b6e074ec5d3baf39d18', tag: 'd0d1c8a799996bf0265b98b5d48ab919' },
  { name: 'TC15', key: K15, iv: IV15, p: P15, aad: '', c: C15, tag: 'b094dac5d93471bdec1a502270e3cc6c' },
  {
    name: 'TC16', key: K15, iv: IV15, p: P15.slice(0, 120), aad: 'feedfacedeadbeeffeedfacedeadbeefabaddad2',
    c: C15.slice(0, 120), tag: '76fc6ece0f4e1768cddf8853bb2d551b',
  },
];

describe('gcmSeal / gcmOpen: NIST GCM known answers (256-bit key)', () => {
  for (const v of GCM_VECTORS) {
    it(`${v.name} encrypts and decrypts to the published values`, () => {
      const sealed = gcmSeal(hex(v.key), hex(v.iv), hex(v.p), hex(v.aad));
      expect(sealed.ciphertext.toString('hex')).toBe(v.c);
      expect(sealed.tag.toString('hex')).toBe(v.tag);
      expect(gcmOpen(hex(v.key), hex(v.iv), hex(v.c), hex(v.tag), hex(v.aad)).toString('hex')).toBe(v.p);
    });
  }

  it('refuses a flipped tag, flipped ciphertext, other AAD, truncated tag or short nonce with the fixed error', () => {
    const v = GCM_VECTORS[3]!;
    const tag = hex(v.tag);
    const c = hex(v.c);
    const cases: (() => unknown)[] = [
      () => gcmOpen(hex(v.key), hex(v.iv), c, Buffer.from(tag.map((b, i) => (i === 0 ? b ^ 1 : b))), hex(v.aad)),
      () => gcmOpen(hex(v.key), hex(v.iv), Buffer.from(c.map((b, i) => (i === 5 ? b ^ 0x80 : b))), tag, hex(v.aad)),
      () => gcmOpen(hex(v.key), hex(v.iv), c, tag, Buffer.alloc(0)),
      () => gcmOpen(hex(v.key), hex(v.iv), c, tag.subarray(0, 12), hex(v.aad)),
      () => gcmOpen(hex(v.key), hex(v.iv).subarray(0, 8), c, tag, hex(v.aad)),
    ];
    for (const fn of cases) {
      const err = caught(fn);
      expect(err.code).toBe('HAVEN_CRYPTO_DECRYPT_FAILED');
      expect(err.message).toBe('decryption failed');
      expect(err.detail).toBeUndefined();
      expect(err.cause).toBeUndefined();
    }
  });

  it('refuses wrong key lengths and nonce lengths on sealing', () => {
    expect(caught(() => gcmSeal(Buffer.alloc(16), Buffer.alloc(12), Buffer.alloc(1), Buffer.alloc(0))).code).toBe('HAVEN_CRYPTO_KEY_INVALID');
    expect(caught(() => gcmOpen(Buffer.alloc(31), Buffer.alloc(12), Buffer.alloc(1), Buffer.alloc(16), Buffer.alloc(0))).code).toBe('HAVEN_CRYPTO_KEY_INVALID');
    expect(caught(() => gcmSeal(Buffer.alloc(32), Buffer.alloc(16), Buffer.alloc(1), Buffer.alloc(0))).code).toBe('HAVEN_CRYPTO_INVALID_ARGUMENT');
  });
});

describe('canonicalEncode', () => {
  it('length-prefixes every field so different splits never collide', () => {
    expect(canonicalEncode(['ab', 'c']).equals(canonicalEncode(['a', 'bc']))).toBe(false);
    expect(canonicalEncode(['', 'x']).equals(canonicalEncode(['x', '']))).toBe(false);
    expect(canonicalEncode(['é']).toString('hex')).toBe('00000002c3a9');
    expect(canonicalEncode([7]).toString('hex')).toBe('0000000400000007');
    expect(canonicalEncode([Buffer.from([1, 2])]).toString('hex')).toBe('000000020102');
  });

  it('refuses numbers that are not u32', () => {
    expect(caught(() => canonicalEncode([-1])).code).toBe('HAVEN_CRYPTO_INVALID_ARGUMENT');
    expect(caught(() => canonicalEncode([1.5])).code).toBe('HAVEN_CRYPTO_INVALID_ARGUMENT');
    expect(caught(() => canonicalEncode([2 ** 32])).code).toBe('HAVEN_CRYPTO_INVALID_ARGUMENT');
  });
});

describe('floors', () => {
  it('assertKey32 accepts only 32-byte Uint8Arrays', () => {
    expect(() => assertKey32(new Uint8Array(32))).not.toThrow();
    for (const bad of [new Uint8Array(31), new Uint8Array(33), new Uint8Array(0), 'x'.repeat(32) as unknown as Uint8Array]) {
      expect(caught(() => assertKey32(bad)).code).toBe('HAVEN_CRYPTO_KEY_INVALID');
    }
  });

  it('assertKeyId accepts the id alphabet up to 64 chars', () => {
    expect(() => assertKeyId('ds.abc:v1_X-9')).not.toThrow();
    expect(() => assertKeyId('a'.repeat(64))).not.toThrow();
    for (const bad of ['', 'a'.repeat(65), 'a b', 'é', 'a/b', 5 as unknown as string]) {
      expect(caught(() => assertKeyId(bad)).code).toBe('HAVEN_CRYPTO_KEY_INVALID');
    }
  });

  it('assertU32 enforces integer range and minimum', () => {
    expect(() => assertU32(0, 'v')).not.toThrow();
    expect(() => assertU32(2 ** 32 - 1, 'v')).not.toThrow();
    const err = caught(() => assertU32(0, 'v', 1));
    expect(err.code).toBe('HAVEN_CRYPTO_INVALID_ARGUMENT');
    expect(err.detail).toEqual({ argument: 'v' });
  });

  it('drawNonce checks the source and systemRandom gives distinct nonces', () => {
    expect(drawNonce(() => new Uint8Array(12).fill(7)).toString('hex')).toBe('07'.repeat(12));
    expect(caught(() => drawNonce(() => new Uint8Array(8))).code).toBe('HAVEN_CRYPTO_INVALID_ARGUMENT');
    expect(drawNonce(systemRandom).equals(drawNonce(systemRandom))).toBe(false);
  });
});

describe('nonceRandom', () => {
  it('hands out distinct slices across pool refills, and large requests straight from the CSPRNG', async () => {
    const { nonceRandom } = await import('./aead-core.js');
    const seen = new Set<string>();
    for (let i = 0; i < 1100; i++) {
      const n = nonceRandom(12);
      expect(n.length).toBe(12);
      seen.add(Buffer.from(n).toString('hex'));
    }
    expect(seen.size).toBe(1100);
    const first = Buffer.from(nonceRandom(12));
    for (let i = 0; i < 600; i++) {
      nonceRandom(12);
    }
    expect(nonceRandom(100).length).toBe(100);
    expect(first.equals(Buffer.from(nonceRandom(12)))).toBe(false);
  });
});
