import { generateKeyPairSync, createHash } from 'node:crypto';
import { describe, it, expect } from 'vitest';
import { HavenError } from '../../errors/haven-error.js';
import {
  exportPrivatePem, exportPrivateSeed, exportPublicPem, exportPublicRaw, generateSigningKeyPair, publicKeyFromPem, publicKeyFromRaw,
  signMessage, signingKeyId, signingKeyPairFromPem, signingKeyPairFromSeed, verifySignature,
} from './signing.js';

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

// RFC 8032 §7.1, TEST 1 and TEST 2.
const VECTORS = [
  {
    name: 'TEST 1',
    secret: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    public: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    message: '',
    signature: 'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  },
  {
    name: 'TEST 2',
    secret: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
    public: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    message: '72',
    signature: '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  },
];

describe('RFC 8032 known answers', () => {
  for (const v of VECTORS) {
    it(`${v.name}: public key, signature and verification`, () => {
      const pair = signingKeyPairFromSeed(hex(v.secret));
      expect(exportPublicRaw(pair.publicKey).toString('hex')).toBe(v.public);
      expect(signMessage(pair.privateKey, hex(v.message)).toString('hex')).toBe(v.signature);
      expect(verifySignature(publicKeyFromRaw(hex(v.public)), hex(v.message), hex(v.signature))).toBe(true);
      expect(pair.keyId).toBe(createHash('sha256').update(hex(v.public)).digest('hex').slice(0, 16));
      expect(signingKeyId(hex(v.public))).toBe(pair.keyId);
      expect(exportPrivateSeed(pair.privateKey).toString('hex')).toBe(v.secret);
    });
  }
});

describe('negative tests', () => {
  const pair = signingKeyPairFromSeed(hex(VECTORS[1]!.secret));
  const msg = Buffer.from('manifest v1: sha256=abc');
  const sig = signMessage(pair.privateKey, msg);

  it('a flipped bit in the message or anywhere in the signature fails', () => {
    expect(verifySignature(pair.publicKey, msg, sig)).toBe(true);
    const badMsg = Buffer.from(msg);
    badMsg[3]! ^= 1;
    expect(verifySignature(pair.publicKey, badMsg, sig)).toBe(false);
    for (let i = 0; i < 64; i += 7) {
      const badSig = Buffer.from(sig);
      badSig[i]! ^= 0x10;
      expect(verifySignature(pair.publicKey, msg, badSig)).toBe(false);
    }
  });

  it('a wrong key, a truncated or over-long signature fails', () => {
    const other = generateSigningKeyPair();
    expect(verifySignature(other.publicKey, msg, sig)).toBe(false);
    expect(verifySignature(pair.publicKey, msg, sig.subarray(0, 63))).toBe(false);
    expect(verifySignature(pair.publicKey, msg, Buffer.concat([sig, Buffer.alloc(1)]))).toBe(false);
    expect(verifySignature(pair.publicKey, msg, 'x' as unknown as Uint8Array)).toBe(false);
  });

  it('refuses keys of the wrong kind or size', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const x25519 = generateKeyPairSync('x25519');
    expect(caught(() => signMessage(pair.publicKey, msg)).code).toBe('HAVEN_CRYPTO_KEY_INVALID');
    expect(caught(() => verifySignature(pair.privateKey, msg, sig)).code).toBe('HAVEN_CRYPTO_KEY_INVALID');
    expect(caught(() => signMessage(rsa.privateKey, msg)).code).toBe('HAVEN_CRYPTO_KEY_INVALID');
    expect(caught(() => exportPublicRaw(x25519.publicKey)).code).toBe('HAVEN_CRYPTO_KEY_INVALID');
    expect(caught(() => signingKeyPairFromSeed(Buffer.alloc(31))).code).toBe('HAVEN_CRYPTO_KEY_INVALID');
    expect(caught(() => publicKeyFromRaw(Buffer.alloc(33))).code).toBe('HAVEN_CRYPTO_KEY_INVALID');
    expect(caught(() => publicKeyFromPem(rsa.publicKey.export({ format: 'pem', type: 'spki' }).toString())).code).toBe('HAVEN_CRYPTO_KEY_INVALID');
    expect(caught(() => publicKeyFromPem('not a pem')).code).toBe('HAVEN_CRYPTO_KEY_INVALID');
    expect(caught(() => signingKeyPairFromPem('not a pem')).code).toBe('HAVEN_CRYPTO_KEY_INVALID');
    expect(caught(() => signingKeyPairFromPem(x25519.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString())).code).toBe('HAVEN_CRYPTO_KEY_INVALID');
    expect(caught(() => exportPrivatePem(pair.publicKey)).code).toBe('HAVEN_CRYPTO_KEY_INVALID');
    expect(caught(() => exportPublicPem(pair.privateKey)).code).toBe('HAVEN_CRYPTO_KEY_INVALID');
    expect(caught(() => exportPrivateSeed(pair.publicKey)).code).toBe('HAVEN_CRYPTO_KEY_INVALID');
  });
});

describe('PEM and raw round trips', () => {
  it('exports and re-imports PEM and raw forms with the same key id', () => {
    const pair = generateSigningKeyPair();
    const pubPem = exportPublicPem(pair.publicKey);
    const privPem = exportPrivatePem(pair.privateKey);
    expect(pubPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(privPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    const again = signingKeyPairFromPem(privPem);
    expect(again.keyId).toBe(pair.keyId);
    expect(signingKeyId(publicKeyFromPem(pubPem))).toBe(pair.keyId);
    expect(signingKeyId(exportPublicRaw(pair.publicKey))).toBe(pair.keyId);
    const msg = Buffer.from('x');
    expect(verifySignature(publicKeyFromPem(pubPem), msg, signMessage(again.privateKey, msg))).toBe(true);
    expect(pair.keyId).toMatch(/^[0-9a-f]{16}$/);
  });

  it('generates from an injected seed deterministically', () => {
    const a = generateSigningKeyPair((n) => Buffer.alloc(n, 9));
    const b = signingKeyPairFromSeed(Buffer.alloc(32, 9));
    expect(a.keyId).toBe(b.keyId);
    expect(generateSigningKeyPair().keyId).not.toBe(generateSigningKeyPair().keyId);
  });
});
