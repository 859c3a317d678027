import { createHash, timingSafeEqual } from 'node:crypto';
import { systemRandom } from './aead-core.js';
import type { RandomBytes } from './aead-core.js';
import { HavenError } from '../../errors/haven-error.js';

/**
 * API tokens: `hvn_` + 43 base64url chars (256 random bits) + 6 base64url chars of checksum.
 * The prefix makes leaked tokens recognisable to secret scanners; the checksum (first 4 bytes of
 * SHA-256 over prefix and body) lets a server reject typos and garbage without a database lookup.
 * Only the SHA-256 of the whole token is stored: the token has 256 bits of entropy, so a fast hash
 * cannot be inverted and the stored hash is safe to index for lookup.
 */

/** Prefix of every Haven API token. */
export const TOKEN_PREFIX = 'hvn_';
/** Random bytes per token (256 bits). */
export const TOKEN_RANDOM_BYTES = 32;
const BODY_CHARS = 43;
const CHECK_BYTES = 4;
const CHECK_CHARS = 6;
const TOKEN_RE = new RegExp(`^${TOKEN_PREFIX}[A-Za-z0-9_-]{${BODY_CHARS + CHECK_CHARS}}$`);
const HASH_RE = /^[0-9a-f]{64}$/;

/** A new token: show `token` once to the user, store only `hash`. */
export interface IssuedToken {
  readonly token: string;
  readonly hash: string;
}

function checksum(prefixAndBody: string): string {
  return createHash('sha256').update(prefixAndBody, 'utf8').digest().subarray(0, CHECK_BYTES).toString('base64url');
}

/**
 * Generate a token and its storage hash.
 * @param random - random source (default node:crypto)
 */
export function generateApiToken(random: RandomBytes = systemRandom): IssuedToken {
  const bytes = random(TOKEN_RANDOM_BYTES);
  if (bytes.length !== TOKEN_RANDOM_BYTES) {
    throw new HavenError('HAVEN_CRYPTO_INVALID_ARGUMENT', undefined, { detail: { argument: 'random' } });
  }
  const head = TOKEN_PREFIX + Buffer.from(bytes).toString('base64url');
  const token = head + checksum(head);
  return { token, hash: hashApiToken(token) };
}

/**
 * Whether a string has the shape and checksum of a Haven token (cheap pre-check; not authentication).
 * @param token - candidate token
 */
export function isWellFormedApiToken(token: string): boolean {
  if (typeof token !== 'string' || !TOKEN_RE.test(token)) {
    return false;
  }
  const head = token.slice(0, TOKEN_PREFIX.length + BODY_CHARS);
  return token.slice(head.length) === checksum(head);
}

/**
 * Storage hash of a token: hex SHA-256.
 * @param token - the token
 */
export function hashApiToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * Check a presented token against a stored hash in constant time. Malformed tokens are refused
 * (after hashing anyway, so timing does not separate the cases).
 * @param token - the token presented by a client
 * @param storedHash - the hex hash kept in the database
 */
export function verifyApiToken(token: string, storedHash: string): boolean {
  const presented = createHash('sha256').update(typeof token === 'string' ? token : '', 'utf8').digest();
  const expected = HASH_RE.test(storedHash) ? Buffer.from(storedHash, 'hex') : Buffer.alloc(32);
  const equal = timingSafeEqual(presented, expected);
  return equal && HASH_RE.test(storedHash) && isWellFormedApiToken(token);
}
