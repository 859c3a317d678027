import { hash, verify } from '@node-rs/argon2';
import { randomBytes } from 'node:crypto';
import { MAX_PASSWORD_LENGTH } from './password-policy.js';

/** argon2id cost parameters. */
export interface PasswordHashParams {
  readonly memoryKiB: number;
  readonly iterations: number;
}

/** Hashes and verifies passwords with argon2id. */
export class PasswordHasher {
  private dummy: Promise<string> | undefined;

  constructor(private readonly params: PasswordHashParams) {}

  /** Hash a password (argon2id, random salt). */
  hash(password: string): Promise<string> {
    return hash(password, { algorithm: 2, memoryCost: this.params.memoryKiB, timeCost: this.params.iterations, parallelism: 1 });
  }

  /**
   * Verify a password against a stored hash. Over-long input is refused before hashing (no hashing DoS).
   * @param stored - the stored hash, or undefined for an unknown user (a dummy hash is verified instead, so the
   *   time taken does not reveal whether the account exists)
   * @param password - the presented password
   */
  async verify(stored: string | undefined, password: string): Promise<boolean> {
    if (password.length > MAX_PASSWORD_LENGTH) {
      return false;
    }
    const target = stored ?? (await (this.dummy ??= this.hash(randomBytes(24).toString('base64'))));
    try {
      const ok = await verify(target, password);
      return stored !== undefined && ok;
    } catch {
      return false;
    }
  }
}
