import { createHash } from 'node:crypto';
import { describe, it, expect } from 'vitest';
import { HavenError } from '../../errors/haven-error.js';
import { generateApiToken, hashApiToken, isWellFormedApiToken, verifyApiToken } from './tokens.js';

describe('API tokens', () => {
  it('have the hvn_ prefix, 256 random bits, a checksum, and a SHA-256 storage hash', () => {
    const { token, hash } = generateApiToken();
    expect(token).toMatch(/^hvn_[A-Za-z0-9_-]{49}$/);
    expect(Buffer.from(token.slice(4, 47), 'base64url').length).toBe(32);
    expect(hash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(hashApiToken(token)).toBe(hash);
    expect(generateApiToken().token).not.toBe(token);
  });

  it('known answer with an injected source', () => {
    const { token } = generateApiToken((n) => Buffer.alloc(n, 0));
    const head = `hvn_${'A'.repeat(43)}`;
    expect(token).toBe(head + createHash('sha256').update(head).digest().subarray(0, 4).toString('base64url'));
  });

  it('verify accepts the issued token and refuses any change, other hashes and malformed input', () => {
    const { token, hash } = generateApiToken();
    expect(verifyApiToken(token, hash)).toBe(true);
    const flipped = token.slice(0, 10) + (token[10] === 'a' ? 'b' : 'a') + token.slice(11);
    expect(verifyApiToken(flipped, hash)).toBe(false);
    expect(verifyApiToken(token, generateApiToken().hash)).toBe(false);
    expect(verifyApiToken(token, hash.toUpperCase())).toBe(false);
    expect(verifyApiToken(token, 'short')).toBe(false);
    expect(verifyApiToken(5 as unknown as string, hash)).toBe(false);
    // A hash of a string that is not a well-formed token never verifies, even when it matches.
    expect(verifyApiToken('hvn_bad', hashApiToken('hvn_bad'))).toBe(false);
  });

  it('isWellFormedApiToken checks prefix, length and checksum', () => {
    const { token } = generateApiToken();
    expect(isWellFormedApiToken(token)).toBe(true);
    expect(isWellFormedApiToken(`xyz_${token.slice(4)}`)).toBe(false);
    expect(isWellFormedApiToken(token.slice(0, -1))).toBe(false);
    expect(isWellFormedApiToken(`${token.slice(0, -1)}${token.at(-1) === 'A' ? 'B' : 'A'}`)).toBe(false);
    expect(isWellFormedApiToken(`${token.slice(0, 20)}!${token.slice(21)}`)).toBe(false);
    expect(isWellFormedApiToken(null as unknown as string)).toBe(false);
  });

  it('refuses a short random source', () => {
    expect(() => generateApiToken(() => Buffer.alloc(16))).toThrow(HavenError);
  });
});
