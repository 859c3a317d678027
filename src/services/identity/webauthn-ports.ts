/** Storage records and repository of WebAuthn security keys. */

/** A registered credential: its id and public key (COSE, base64url), signature counter and transports. */
export interface WebauthnCredentialRecord {
  readonly id: string;
  readonly userId: string;
  readonly publicKey: string;
  readonly counter: number;
  readonly transports: readonly string[];
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
}

/** An outstanding challenge of one session for one purpose. */
export interface WebauthnChallengeRecord {
  readonly sessionHash: string;
  readonly purpose: 'register' | 'authenticate';
  readonly challenge: string;
  readonly expiresAt: string;
}

/** Credentials and challenges. */
export interface WebauthnRepository {
  insertCredential(c: WebauthnCredentialRecord): Promise<void>;
  credential(id: string): Promise<WebauthnCredentialRecord | undefined>;
  credentialsOf(userId: string): Promise<WebauthnCredentialRecord[]>;
  /**
   * Compare-and-set the counter: succeeds only while the stored counter is still `expected`, so two concurrent
   * uses of one assertion cannot both pass. Returns whether it was updated.
   */
  advanceCounter(id: string, expected: number, next: number, at: string): Promise<boolean>;
  putChallenge(c: WebauthnChallengeRecord): Promise<void>;
  /** Remove and return a challenge (single use). */
  takeChallenge(sessionHash: string, purpose: 'register' | 'authenticate'): Promise<WebauthnChallengeRecord | undefined>;
}
