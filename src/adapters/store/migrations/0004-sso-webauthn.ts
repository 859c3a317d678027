import type { Kysely, Migration } from 'kysely';

/** Links from an identity provider subject (issuer + `sub`) to a Haven user. */
export interface SsoIdentityTable {
  issuer: string;
  subject: string;
  user_id: string;
  created_at: string;
  last_login_at: string | null;
}

/**
 * Pending OIDC logins: state, nonce and PKCE verifier, keyed by the hash of a random binding value that only the
 * browser that started the login holds (a cookie). Single use, short-lived.
 */
export interface SsoLoginTable {
  binding_hash: string;
  state: string;
  nonce: string;
  code_verifier: string;
  expires_at: string;
}

/** Registered WebAuthn credentials (public keys only). */
export interface WebauthnCredentialTable {
  id: string;
  user_id: string;
  public_key: string;
  counter: number | string;
  transports: string;
  created_at: string;
  last_used_at: string | null;
}

/** Outstanding WebAuthn challenges, one per session and purpose, single use. */
export interface WebauthnChallengeTable {
  session_hash: string;
  purpose: string;
  challenge: string;
  expires_at: string;
}

/** Single sign-on links and pending logins; WebAuthn credentials and challenges. */
export const migration0004: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('sso_identity')
      .addColumn('issuer', 'text', (c) => c.notNull())
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('last_login_at', 'text')
      .addPrimaryKeyConstraint('sso_identity_pk', ['issuer', 'subject'])
      .execute();
    await db.schema.createIndex('sso_identity_user_idx').on('sso_identity').column('user_id').execute();
    await db.schema
      .createTable('sso_login')
      .addColumn('binding_hash', 'text', (c) => c.primaryKey())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('nonce', 'text', (c) => c.notNull())
      .addColumn('code_verifier', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('webauthn_credential')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('public_key', 'text', (c) => c.notNull())
      .addColumn('counter', 'bigint', (c) => c.notNull())
      .addColumn('transports', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('last_used_at', 'text')
      .execute();
    await db.schema.createIndex('webauthn_credential_user_idx').on('webauthn_credential').column('user_id').execute();
    await db.schema
      .createTable('webauthn_challenge')
      .addColumn('session_hash', 'text', (c) => c.notNull())
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('challenge', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('webauthn_challenge_pk', ['session_hash', 'purpose'])
      .execute();
  },
};
