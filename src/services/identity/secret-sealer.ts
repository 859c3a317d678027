import { decryptFieldFromString, encryptFieldToString, type FieldKey } from '../../libs/crypto/field-cipher.js';

/**
 * Seals per-user secrets (TOTP seeds) with the instance identity key, bound to the user and purpose, so a database
 * reader learns nothing and a sealed value copied to another user does not open.
 */
export class SecretSealer {
  constructor(private readonly key: FieldKey) {}

  /** Seal a secret for a user and purpose. */
  seal(userId: string, purpose: string, secret: Uint8Array): string {
    return encryptFieldToString(this.key, { workspace: '_instance', dataset: 'identity', column: purpose, recordId: userId }, secret);
  }

  /** Open a sealed secret; throws HAVEN_CRYPTO_DECRYPT_FAILED if it was moved or changed. */
  open(userId: string, purpose: string, sealed: string): Buffer {
    return decryptFieldFromString(this.key, { workspace: '_instance', dataset: 'identity', column: purpose, recordId: userId }, sealed);
  }
}
