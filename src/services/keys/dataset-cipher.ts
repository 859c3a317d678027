import { HavenError } from '../../errors/haven-error.js';
import { decodeFieldCiphertext, decryptFieldFromString, encryptFieldToString } from '../../libs/crypto/field-cipher.js';
import type { CellRef, FieldKey } from '../../libs/crypto/field-cipher.js';

/**
 * Field encryption for one dataset, with its keys in memory: the current DEK version (for new values, within a
 * number of invocations reserved in the database beforehand) and every live version (for reading). Synchronous, so
 * it can run inside a caller's transaction and in hot loops; obtain it from KeyService.datasetCipher.
 */
export class DatasetCipher {
  private remaining: number;

  /**
   * @param workspace - the workspace
   * @param dataset - the dataset
   * @param current - the DEK version new values use (undefined: read-only)
   * @param reserved - invocations reserved for `current`
   * @param versions - every live version, by version number
   */
  constructor(
    readonly workspace: string,
    readonly dataset: string,
    private readonly current: FieldKey | undefined,
    reserved: number,
    private readonly versions: ReadonlyMap<number, FieldKey>,
  ) {
    this.remaining = reserved;
  }

  /** Invocations left before the reservation runs out. */
  get remainingInvocations(): number {
    return this.remaining;
  }

  /** Version new values are encrypted under (undefined when read-only). */
  get currentVersion(): number | undefined {
    return this.current?.version;
  }

  /** Whether a version's key is loaded. */
  hasVersion(version: number): boolean {
    return this.versions.has(version);
  }

  private cell(column: string, recordId: string): CellRef {
    return { workspace: this.workspace, dataset: this.dataset, column, recordId };
  }

  /**
   * Encrypt one cell under the current version. Throws HAVEN_CRYPTO_KEY_EXHAUSTED when the reservation is used up.
   * @param column - column name
   * @param recordId - record id
   * @param value - the value (bytes, or a string as UTF-8)
   */
  encrypt(column: string, recordId: string, value: Uint8Array | string): string {
    if (this.current === undefined || this.remaining <= 0) {
      throw new HavenError('HAVEN_CRYPTO_KEY_EXHAUSTED', undefined, { detail: { reason: 'reservation' } });
    }
    this.remaining--;
    return encryptFieldToString(this.current, this.cell(column, recordId), value);
  }

  /**
   * Decrypt one cell (any live version). Anything wrong throws HAVEN_CRYPTO_DECRYPT_FAILED.
   * @param column - column name
   * @param recordId - record id
   * @param text - the stored ciphertext
   */
  decrypt(column: string, recordId: string, text: string): Buffer {
    return decryptFieldFromString((_id, version) => this.versions.get(version), this.cell(column, recordId), text);
  }
}

/**
 * The key version a stored field ciphertext names (undefined when it is not a field ciphertext).
 * @param text - base64url field ciphertext
 */
export function fieldKeyVersion(text: string): number | undefined {
  try {
    return decodeFieldCiphertext(Buffer.from(text, 'base64url')).keyVersion;
  } catch {
    return undefined;
  }
}
