import type { CodeEntry } from '../code-entry.js';

/**
 * Codes of key management and encryption at rest. Messages are fixed; details carry only key ids,
 * versions, counts and provider kinds — never key material, passphrases or values.
 */
export const KEYS_CODES = {
  HAVEN_KEYS_NOT_INITIALISED: { status: 500, category: 'config', message: 'the key store is not initialised (run haven init)' },
  HAVEN_KEYS_ALREADY_INITIALISED: { status: 409, category: 'conflict', message: 'the key store is already initialised' },
  HAVEN_KEYS_KEYSTORE_INVALID: { status: 500, category: 'config', message: 'the root keystore file is malformed or insecure' },
  HAVEN_KEYS_PASSPHRASE_MISSING: {
    status: 500,
    category: 'config',
    message: 'no root passphrase given (set HAVEN_ROOT_PASSPHRASE or HAVEN_ROOT_PASSPHRASE_FILE, or run on a terminal)',
  },
  HAVEN_KEYS_PASSPHRASE_WEAK: { status: 400, category: 'usage', message: 'the root passphrase is too short (at least 16 characters)' },
  HAVEN_KEYS_PROVIDER_UNAVAILABLE: { status: 503, category: 'unavailable', message: 'the root key provider is unavailable' },
  HAVEN_KEYS_PROVIDER_KEY_MISSING: { status: 500, category: 'config', message: 'the root key was not found in the key provider' },
  HAVEN_KEYS_KEY_NOT_FOUND: { status: 404, category: 'notFound', message: 'no such key' },
  HAVEN_KEYS_KEY_DESTROYED: { status: 410, category: 'notFound', message: 'the key was destroyed (crypto-shredded)' },
  HAVEN_KEYS_KEY_IN_USE: { status: 409, category: 'conflict', message: 'the key version is still in use and cannot be destroyed' },
  HAVEN_KEYS_INVALID_ID: { status: 400, category: 'usage', message: 'invalid workspace, dataset or blob identifier' },
  HAVEN_KEYS_BLOB_NOT_FOUND: { status: 404, category: 'notFound', message: 'no such blob' },
  HAVEN_KEYS_BLOB_CORRUPT: { status: 422, category: 'integrity', message: 'the blob failed verification' },
  HAVEN_KEYS_BACKUP_INVALID: { status: 422, category: 'integrity', message: 'the backup is malformed, damaged or was made by another root key' },
  HAVEN_KEYS_RESTORE_TARGET_NOT_EMPTY: { status: 409, category: 'conflict', message: 'the restore target directory must be empty or absent' },
  HAVEN_KEYS_SIGNING_KEY_MISSING: { status: 500, category: 'config', message: 'no active signing key of that purpose' },
  HAVEN_KEYS_REENCRYPT_UNREADABLE: {
    status: 422,
    category: 'integrity',
    message: 'a stored value could not be decrypted during re-encryption; it was left as it was and the job stopped',
  },
  HAVEN_KEYS_NEW_PASSPHRASE_MISSING: {
    status: 400,
    category: 'usage',
    message: 'no new root passphrase given (set HAVEN_NEW_ROOT_PASSPHRASE or HAVEN_NEW_ROOT_PASSPHRASE_FILE, or run on a terminal)',
  },
  HAVEN_KEYS_PASSPHRASE_UNCHANGED: { status: 400, category: 'usage', message: 'the new root passphrase must differ from the current one' },
  HAVEN_KEYS_PASSPHRASE_MISMATCH: { status: 400, category: 'usage', message: 'the new root passphrase and its confirmation differ' },
  HAVEN_KEYS_PASSPHRASE_NOT_APPLICABLE: { status: 400, category: 'usage', message: 'the root key is held by an HSM: there is no passphrase to change' },
  HAVEN_KEYS_KEYSTORE_CHANGED: {
    status: 409,
    category: 'conflict',
    message: 'the keystore changed while the passphrase was being changed; nothing was written',
  },
} as const satisfies Record<string, CodeEntry>;
