import { createHash } from 'node:crypto';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransportFuture,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type { HavenConfig } from '../../config/schema.js';
import { HavenError } from '../../errors/haven-error.js';
import type { AuditService } from '../audit/audit-service.js';
import type { Clock, Storage } from '../ports.js';
import type { AttemptContext } from './identity-service.js';
import type { UserRecord } from './identity-ports.js';
import { throttleKeys, type LoginThrottle } from './login-throttle.js';

const sha256 = (v: string): string => createHash('sha256').update(v).digest('hex');

/** How long a ceremony may take between options and verification. */
export const WEBAUTHN_CHALLENGE_TTL_MS = 5 * 60_000;
const TRANSPORTS: readonly string[] = ['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb'];

/** The relying party: its id (host name), display name and the origin ceremonies must come from. */
export interface WebauthnSettings {
  readonly rpId: string;
  readonly rpName: string;
  readonly origin: string;
}

/**
 * WebAuthn settings from configuration, or null when `webauthn.rpId` or `webauthn.origin` is empty (keys off).
 * @param config - the configuration
 */
export function webauthnSettings(config: HavenConfig): WebauthnSettings | null {
  const w = config.webauthn;
  return w.rpId === undefined || w.origin === undefined ? null : { rpId: w.rpId, rpName: w.rpName, origin: w.origin };
}

/**
 * Security keys (WebAuthn) as a second factor beside TOTP. Registration happens in a fully authenticated session;
 * authentication replaces the TOTP code at login. Challenges are single use, bound to the session and short-lived;
 * signature counters must grow (a cloned key or a replayed assertion is refused) and advance by compare-and-set.
 */
export class WebauthnService {
  constructor(
    private readonly storage: Storage,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly throttle: LoginThrottle,
    readonly settings: WebauthnSettings,
  ) {}

  private async putChallenge(sessionId: string, purpose: 'register' | 'authenticate', challenge: string): Promise<void> {
    const expiresAt = new Date(this.clock.now().getTime() + WEBAUTHN_CHALLENGE_TTL_MS).toISOString();
    await this.storage.transaction((repos) => repos.webauthn.putChallenge({ sessionHash: sha256(sessionId), purpose, challenge, expiresAt }));
  }

  private async takeChallenge(sessionId: string, purpose: 'register' | 'authenticate'): Promise<string> {
    const c = await this.storage.transaction((repos) => repos.webauthn.takeChallenge(sha256(sessionId), purpose));
    if (!c || new Date(c.expiresAt) <= this.clock.now()) {
      throw new HavenError('HAVEN_WEBAUTHN_NO_CHALLENGE');
    }
    return c.challenge;
  }

  /**
   * Options for registering a new key (the browser passes them to navigator.credentials.create).
   * @param user - the signed-in user
   * @param sessionId - the session the challenge is bound to
   */
  async registrationOptions(user: UserRecord, sessionId: string): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const existing = await this.storage.read.webauthn.credentialsOf(user.id);
    const options = await generateRegistrationOptions({
      rpName: this.settings.rpName,
      rpID: this.settings.rpId,
      userName: user.username,
      userID: new TextEncoder().encode(user.id),
      attestationType: 'none',
      excludeCredentials: existing.map((c) => ({ id: c.id, transports: c.transports as AuthenticatorTransportFuture[] })),
      authenticatorSelection: { residentKey: 'discouraged', userVerification: 'preferred' },
      timeout: WEBAUTHN_CHALLENGE_TTL_MS,
    });
    await this.putChallenge(sessionId, 'register', options.challenge);
    return options;
  }

  /**
   * Verify a registration and store the key's public key and counter.
   * @param user - the signed-in user
   * @param sessionId - the session that asked for the options
   * @param response - the browser's registration response
   * @param requestId - for the ledger
   */
  async verifyRegistration(user: UserRecord, sessionId: string, response: RegistrationResponseJSON, requestId: string): Promise<{ id: string }> {
    const challenge = await this.takeChallenge(sessionId, 'register');
    let info;
    try {
      const r = await verifyRegistrationResponse({ response, expectedChallenge: challenge, expectedOrigin: this.settings.origin, expectedRPID: this.settings.rpId, requireUserVerification: false });
      info = r.verified ? r.registrationInfo : undefined;
    } catch {
      info = undefined;
    }
    if (!info) {
      await this.audit.record(this.storage, { actor: user.id, action: 'mfa.webauthn_register', resource: `user:${user.id}`, outcome: 'denied', requestId });
      throw new HavenError('HAVEN_WEBAUTHN_INVALID');
    }
    const c = info.credential;
    const now = this.clock.now().toISOString();
    await this.audit.withAudit(this.storage, { actor: user.id, action: 'mfa.webauthn_register', resource: `user:${user.id}`, requestId, detail: { credential: c.id } }, async (repos) => {
      if (await repos.webauthn.credential(c.id)) {
        throw new HavenError('HAVEN_WEBAUTHN_INVALID');
      }
      await repos.webauthn.insertCredential({
        id: c.id,
        userId: user.id,
        publicKey: Buffer.from(c.publicKey).toString('base64url'),
        counter: c.counter,
        transports: (c.transports ?? []).filter((t) => TRANSPORTS.includes(t)),
        createdAt: now,
        lastUsedAt: null,
      });
    });
    return { id: c.id };
  }

  /**
   * Options for signing in with a registered key (navigator.credentials.get).
   * @param user - the user of the (not yet fully authenticated) session
   * @param sessionId - the session the challenge is bound to
   */
  async authenticationOptions(user: UserRecord, sessionId: string): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const creds = await this.storage.read.webauthn.credentialsOf(user.id);
    if (creds.length === 0) {
      throw new HavenError('HAVEN_WEBAUTHN_NO_CREDENTIAL');
    }
    const options = await generateAuthenticationOptions({
      rpID: this.settings.rpId,
      allowCredentials: creds.map((c) => ({ id: c.id, transports: c.transports as AuthenticatorTransportFuture[] })),
      userVerification: 'preferred',
      timeout: WEBAUTHN_CHALLENGE_TTL_MS,
    });
    await this.putChallenge(sessionId, 'authenticate', options.challenge);
    return options;
  }

  /**
   * Verify an assertion as the second factor. The key must be the user's, the challenge this session's latest,
   * the signature valid and the counter higher than stored. Failures count towards the account lockout.
   * @param user - the user of the session
   * @param sessionId - the session that asked for the options
   * @param response - the browser's authentication response
   * @param ctx - address and request id
   */
  async verifyAuthentication(user: UserRecord, sessionId: string, response: AuthenticationResponseJSON, ctx: AttemptContext): Promise<void> {
    const keys = throttleKeys(user.username, ctx.ip);
    await this.throttle.assertOpen(keys);
    const challenge = await this.takeChallenge(sessionId, 'authenticate');
    const stored = await this.storage.read.webauthn.credential(response.id);
    let ok = false;
    if (stored && stored.userId === user.id) {
      try {
        const r = await verifyAuthenticationResponse({
          response,
          expectedChallenge: challenge,
          expectedOrigin: this.settings.origin,
          expectedRPID: this.settings.rpId,
          credential: { id: stored.id, publicKey: Buffer.from(stored.publicKey, 'base64url'), counter: stored.counter, transports: stored.transports as AuthenticatorTransportFuture[] },
          requireUserVerification: false,
        });
        // The library refuses a counter that did not grow; the compare-and-set refuses a concurrent second use.
        ok = r.verified && (await this.storage.transaction((repos) => repos.webauthn.advanceCounter(stored.id, stored.counter, r.authenticationInfo.newCounter, this.clock.now().toISOString())));
      } catch {
        ok = false;
      }
    }
    if (!ok) {
      await this.throttle.recordFailure(keys, ctx.requestId);
      await this.audit.record(this.storage, { actor: user.id, action: 'auth.mfa', resource: `user:${user.id}`, outcome: 'denied', requestId: ctx.requestId, detail: { factor: 'webauthn' } });
      throw new HavenError('HAVEN_WEBAUTHN_INVALID');
    }
    await this.audit.record(this.storage, { actor: user.id, action: 'auth.mfa', resource: `user:${user.id}`, outcome: 'success', requestId: ctx.requestId, detail: { factor: 'webauthn', credential: stored!.id } });
  }
}
