/** Storage records and repository of single sign-on (OpenID Connect). */

/** A link from an identity provider subject to a Haven user. */
export interface SsoIdentityRecord {
  readonly issuer: string;
  readonly subject: string;
  readonly userId: string;
  readonly createdAt: string;
  readonly lastLoginAt: string | null;
}

/** A pending login: the values the callback must match. */
export interface SsoLoginRecord {
  readonly bindingHash: string;
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
  readonly expiresAt: string;
}

/** Identity provider links and pending logins. */
export interface SsoRepository {
  link(r: SsoIdentityRecord): Promise<void>;
  identity(issuer: string, subject: string): Promise<SsoIdentityRecord | undefined>;
  identitiesOf(userId: string): Promise<SsoIdentityRecord[]>;
  touchIdentity(issuer: string, subject: string, at: string): Promise<void>;
  putLogin(r: SsoLoginRecord): Promise<void>;
  /** Remove and return a pending login (single use: a second take returns undefined). */
  takeLogin(bindingHash: string): Promise<SsoLoginRecord | undefined>;
  /** Remove pending logins that expired before `at`; returns how many. */
  purgeLogins(at: string): Promise<number>;
}
