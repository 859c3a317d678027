import type { KeyLabel, ManagedKey } from '../../libs/crypto/key-wrap.js';

/**
 * The root of the key hierarchy, behind one interface. The root key never sits in the database: it is sealed in
 * a local keystore file (passphrase, scrypt) or lives inside an HSM (PKCS#11) and never leaves it. The root only
 * wraps and unwraps workspace KEKs (and backup keys, which sit at the same level), so a provider needs exactly
 * two operations.
 *
 * Other KMS providers (AWS KMS, Google Cloud KMS, Azure Key Vault, HashiCorp Vault Transit) fit the same
 * interface: `wrap` = the service's Encrypt call with the label as encryption context / AAD, `unwrap` = Decrypt.
 * They are not implemented (no fake implementations); see docs/decisions/0011-root-key-providers.md.
 */
export interface RootKeyProvider {
  /** Which provider this is (recorded in the keystore file and the ledger). */
  readonly kind: 'local' | 'pkcs11';
  /** Version of the root key in use (bound into every wrap). */
  readonly rootVersion: number;
  /**
   * Wrap a key one level below the root (purpose workspace-kek), binding its label.
   * @param child - the key to wrap
   */
  wrap(child: ManagedKey): Promise<Buffer>;
  /**
   * Unwrap a key wrapped by `wrap`; a wrong label, another root key or tampering throws HAVEN_CRYPTO_DECRYPT_FAILED.
   * @param wrapped - the wrapped bytes
   * @param label - id, purpose and version given at wrap time
   */
  unwrap(wrapped: Uint8Array, label: KeyLabel): Promise<ManagedKey>;
  /** Release the provider (zero in-memory keys, log out of the token). */
  close(): Promise<void>;
}
