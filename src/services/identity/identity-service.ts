import { randomUUID } from 'node:crypto';
import { generateOtpSecret, base32Encode, otpauthUri, verifyTotp } from '../../libs/crypto/totp.js';
import { generateRecoveryCodes, hashRecoveryCode, verifyRecoveryCode } from '../../libs/crypto/recovery-codes.js';
import { HavenError } from '../../errors/haven-error.js';
import type { AuditService } from '../audit/audit-service.js';
import type { Clock, Storage } from '../ports.js';
import type { UserRecord } from './identity-ports.js';
import type { LoginThrottle } from './login-throttle.js';
import { throttleKeys } from './login-throttle.js';
import type { PasswordHasher } from './password-hasher.js';
import { checkPasswordPolicy } from './password-policy.js';
import type { SecretSealer } from './secret-sealer.js';

/** How many earlier passwords may not be reused. */
export const PASSWORD_HISTORY = 5;
const TOTP_PURPOSE = 'totp_secret';

/** Context of an authentication attempt (for throttling and the ledger). */
export interface AttemptContext {
  readonly ip: string;
  readonly requestId: string;
}

/**
 * Accounts and their factors: password login (throttled, uniform failures), TOTP enrolment and verification with
 * replay protection, recovery codes, password changes with policy and history. Every outcome is in the ledger.
 */
export class IdentityService {
  constructor(
    private readonly storage: Storage,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly sealer: SecretSealer,
  ) {}

  /**
   * Check a user name and password. Unknown users, wrong passwords and disabled accounts all give the same error
   * after similar work; failures count towards lockout per account and per address.
   */
  async checkPassword(username: string, password: string, ctx: AttemptContext): Promise<UserRecord> {
    const keys = throttleKeys(username, ctx.ip);
    await this.throttle.assertOpen(keys).catch(async (err: unknown) => {
      await this.audit.record(this.storage, { actor: 'anonymous', action: 'auth.login', resource: 'account', outcome: 'denied', requestId: ctx.requestId, detail: { code: 'HAVEN_AUTH_LOCKED' } });
      throw err;
    });
    const user = await this.storage.read.users.byUsername(username);
    const ok = await this.hasher.verify(user?.passwordHash, password);
    if (!ok || !user || user.disabledAt !== null) {
      await this.throttle.recordFailure(keys, ctx.requestId);
      await this.audit.record(this.storage, {
        actor: user?.id ?? 'anonymous',
        action: 'auth.login',
        resource: 'account',
        outcome: 'denied',
        requestId: ctx.requestId,
        detail: { code: 'HAVEN_AUTH_INVALID_CREDENTIALS' },
      });
      throw new HavenError('HAVEN_AUTH_INVALID_CREDENTIALS');
    }
    await this.throttle.clear(keys);
    await this.audit.record(this.storage, { actor: user.id, action: 'auth.password_ok', resource: `user:${user.id}`, outcome: 'success', requestId: ctx.requestId });
    return user;
  }

  /**
   * Verify a TOTP code (±1 step) for an enrolled user; a code of an already-used step is refused (no replay).
   * Failures count towards the account lockout.
   */
  async verifyTotpCode(user: UserRecord, code: string, ctx: AttemptContext): Promise<void> {
    const keys = throttleKeys(user.username, ctx.ip);
    await this.throttle.assertOpen(keys);
    const fresh = await this.storage.read.users.byId(user.id);
    if (!fresh?.totpSecret || !fresh.mfaEnrolledAt) {
      throw new HavenError('HAVEN_AUTH_MFA_NOT_ENROLLED');
    }
    const secret = this.sealer.open(user.id, TOTP_PURPOSE, fresh.totpSecret);
    const step = verifyTotp(secret, code, this.clock.now().getTime(), { window: 1, ...(fresh.totpLastStep !== null ? { lastUsedStep: fresh.totpLastStep } : {}) });
    await this.recordFactor(user, step !== null, 'totp', ctx, async () => {
      // Compare-and-set on the last step: two concurrent uses of one code cannot both pass.
      await this.storage.transaction(async (repos) => {
        const current = await repos.users.byId(user.id);
        if (current?.totpLastStep !== null && current?.totpLastStep !== undefined && current.totpLastStep >= step!) {
          throw new HavenError('HAVEN_AUTH_MFA_INVALID');
        }
        await repos.users.update(user.id, { totpLastStep: step! });
      });
    });
  }

  /** Use a one-time recovery code instead of TOTP. */
  async useRecoveryCode(user: UserRecord, code: string, ctx: AttemptContext): Promise<void> {
    await this.throttle.assertOpen(throttleKeys(user.username, ctx.ip));
    const hashes = await this.storage.read.users.unusedRecoveryCodes(user.id);
    const index = verifyRecoveryCode(code, hashes);
    await this.recordFactor(user, index !== null, 'recovery_code', ctx, async () => {
      const used = await this.storage.transaction((repos) => repos.users.useRecoveryCode(user.id, hashes[index!]!, this.clock.now().toISOString()));
      if (!used) {
        throw new HavenError('HAVEN_AUTH_MFA_INVALID');
      }
    });
  }

  private async recordFactor(user: UserRecord, ok: boolean, factor: string, ctx: AttemptContext, commit: () => Promise<void>): Promise<void> {
    if (ok) {
      try {
        await commit();
        await this.audit.record(this.storage, { actor: user.id, action: 'auth.mfa', resource: `user:${user.id}`, outcome: 'success', requestId: ctx.requestId, detail: { factor } });
        return;
      } catch {
        // fall through to failure
      }
    }
    await this.throttle.recordFailure(throttleKeys(user.username, ctx.ip), ctx.requestId);
    await this.audit.record(this.storage, { actor: user.id, action: 'auth.mfa', resource: `user:${user.id}`, outcome: 'denied', requestId: ctx.requestId, detail: { factor } });
    throw new HavenError('HAVEN_AUTH_MFA_INVALID');
  }

  /**
   * Start TOTP enrolment: a new secret is sealed and stored as pending; returns it once for the authenticator app.
   * Refused while a confirmed authenticator exists (a site admin resets MFA first).
   */
  async beginTotpEnrolment(user: UserRecord, issuer: string, requestId: string): Promise<{ secret: string; otpauthUri: string }> {
    if (user.mfaEnrolledAt !== null) {
      throw new HavenError('HAVEN_AUTH_MFA_ALREADY_ENROLLED');
    }
    const secret = generateOtpSecret();
    await this.audit.withAudit(this.storage, { actor: user.id, action: 'mfa.enrol_begin', resource: `user:${user.id}`, requestId }, (repos) =>
      repos.users.update(user.id, { totpSecret: this.sealer.seal(user.id, TOTP_PURPOSE, secret), totpLastStep: null }),
    );
    const b32 = base32Encode(secret);
    return { secret: b32, otpauthUri: otpauthUri({ issuer, account: user.username, secret }) };
  }

  /** Confirm enrolment with a code from the app; returns fresh recovery codes (shown once, stored hashed). */
  async confirmTotpEnrolment(user: UserRecord, code: string, ctx: AttemptContext): Promise<string[]> {
    const fresh = await this.storage.read.users.byId(user.id);
    if (!fresh?.totpSecret || fresh.mfaEnrolledAt !== null) {
      throw new HavenError(fresh?.mfaEnrolledAt ? 'HAVEN_AUTH_MFA_ALREADY_ENROLLED' : 'HAVEN_AUTH_MFA_NOT_ENROLLED');
    }
    const secret = this.sealer.open(user.id, TOTP_PURPOSE, fresh.totpSecret);
    const step = verifyTotp(secret, code, this.clock.now().getTime(), { window: 1 });
    if (step === null) {
      await this.throttle.recordFailure(throttleKeys(user.username, ctx.ip), ctx.requestId);
      await this.audit.record(this.storage, { actor: user.id, action: 'mfa.enrol_confirm', resource: `user:${user.id}`, outcome: 'denied', requestId: ctx.requestId });
      throw new HavenError('HAVEN_AUTH_MFA_INVALID');
    }
    const codes = generateRecoveryCodes();
    await this.audit.withAudit(this.storage, { actor: user.id, action: 'mfa.enrol_confirm', resource: `user:${user.id}`, requestId: ctx.requestId }, async (repos) => {
      await repos.users.update(user.id, { mfaEnrolledAt: this.clock.now().toISOString(), totpLastStep: step });
      await repos.users.replaceRecoveryCodes(user.id, codes.map(hashRecoveryCode));
    });
    return codes;
  }

  /**
   * Change a password: the current one must be right, the new one must meet the policy and not repeat the last
   * five. Other sessions of the user are revoked.
   */
  async changePassword(user: UserRecord, current: string, next: string, ctx: AttemptContext): Promise<void> {
    if (!(await this.hasher.verify(user.passwordHash, current))) {
      await this.throttle.recordFailure(throttleKeys(user.username, ctx.ip), ctx.requestId);
      await this.audit.record(this.storage, { actor: user.id, action: 'auth.password_change', resource: `user:${user.id}`, outcome: 'denied', requestId: ctx.requestId });
      throw new HavenError('HAVEN_AUTH_INVALID_CREDENTIALS');
    }
    checkPasswordPolicy(next, [user.username]);
    const history = [user.passwordHash, ...(await this.storage.read.users.recentPasswordHashes(user.id, PASSWORD_HISTORY))];
    for (const old of history) {
      if (await this.hasher.verify(old, next)) {
        throw new HavenError('HAVEN_AUTH_PASSWORD_REUSED');
      }
    }
    const hashed = await this.hasher.hash(next);
    const now = this.clock.now().toISOString();
    await this.audit.withAudit(this.storage, { actor: user.id, action: 'auth.password_change', resource: `user:${user.id}`, requestId: ctx.requestId }, async (repos) => {
      await repos.users.addPasswordHistory(user.id, user.passwordHash, now);
      await repos.users.update(user.id, { passwordHash: hashed, passwordChangedAt: now, mustChangePassword: false });
      await repos.sessions.revokeAllFor(user.id, now);
    });
  }

  /** A new id for records created here. */
  static newId(): string {
    return randomUUID();
  }
}
