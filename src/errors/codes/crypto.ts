import type { CodeEntry } from '../code-entry.js';

/**
 * Codes of the crypto area. Messages are fixed and never carry key material, plaintext or detail
 * that would help an attacker (decryption failures are all one code with one message).
 */
export const CRYPTO_CODES = {
  HAVEN_CRYPTO_DECRYPT_FAILED: { status: 422, category: 'integrity', message: 'decryption failed' },
  HAVEN_CRYPTO_WRONG_PASSPHRASE: { status: 401, category: 'auth', message: 'wrong passphrase, or the sealed key is damaged' },
  HAVEN_CRYPTO_SEALED_KEY_INVALID: { status: 500, category: 'config', message: 'sealed key is malformed or of an unknown version' },
  HAVEN_CRYPTO_KDF_TOO_WEAK: { status: 500, category: 'config', message: 'key-derivation parameters are below the required floor' },
  HAVEN_CRYPTO_KEY_INVALID: { status: 500, category: 'config', message: 'key is invalid (wrong length, type or identifier)' },
  HAVEN_CRYPTO_KEY_HIERARCHY: { status: 500, category: 'internal', message: 'key hierarchy violation: this key may not wrap that key' },
  HAVEN_CRYPTO_KEY_EXHAUSTED: { status: 409, category: 'conflict', message: 'key version must be rotated before further use' },
  HAVEN_CRYPTO_INVALID_ARGUMENT: { status: 400, category: 'usage', message: 'invalid argument to a cryptographic operation' },
} as const satisfies Record<string, CodeEntry>;
