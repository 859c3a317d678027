import { HavenError } from '../../errors/haven-error.js';
import type { AuditService } from '../audit/audit-service.js';
import type { AlertSink, Clock, Storage } from '../ports.js';

/** Limits of the throttle. */
export interface ThrottleLimits {
  readonly accountThreshold: number;
  readonly ipThreshold: number;
  readonly windowMinutes: number;
}

/** The throttle keys of one attempt: the account name as typed (so unknown accounts behave like real ones) and the client address. */
export function throttleKeys(username: string, ip: string): { account: string; ip: string } {
  return { account: `account:${username.trim().toLowerCase()}`, ip: `ip:${ip}` };
}

/**
 * Per-account and per-address failure counting with temporary lockout. Counters live in the database, so every
 * server replica enforces one limit. A lockout raises a security alert in the ledger and, when configured, sends it
 * to the alert sink (a webhook) after the change commits.
 */
export class LoginThrottle {
  constructor(
    private readonly storage: Storage,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly limits: ThrottleLimits,
    private readonly alerts: AlertSink | undefined = undefined,
  ) {}

  /** Throw HAVEN_AUTH_LOCKED when either key is locked now. */
  async assertOpen(keys: { account: string; ip: string }): Promise<void> {
    const now = this.clock.now();
    for (const key of [keys.account, keys.ip]) {
      const r = await this.storage.read.throttle.get(key);
      if (r?.lockedUntil && new Date(r.lockedUntil) > now) {
        throw new HavenError('HAVEN_AUTH_LOCKED');
      }
    }
  }

  /** Count a failure on both keys; lock a key that reaches its threshold and raise an alert. */
  async recordFailure(keys: { account: string; ip: string }, requestId: string): Promise<void> {
    const now = this.clock.now();
    const windowMs = this.limits.windowMinutes * 60_000;
    for (const [key, threshold] of [
      [keys.account, this.limits.accountThreshold],
      [keys.ip, this.limits.ipThreshold],
    ] as const) {
      await this.storage.transaction(async (repos) => {
        const prev = await repos.throttle.get(key);
        const fresh = !prev || now.getTime() - new Date(prev.firstFailureAt).getTime() > windowMs;
        const failures = fresh ? 1 : prev.failures + 1;
        const lock = failures >= threshold;
        await repos.throttle.put({
          key,
          failures: lock ? 0 : failures,
          firstFailureAt: fresh || lock ? now.toISOString() : prev.firstFailureAt,
          lockedUntil: lock ? new Date(now.getTime() + windowMs).toISOString() : (prev?.lockedUntil ?? null),
        });
        if (lock) {
          const reason = key.startsWith('ip:') ? 'address_locked_out' : 'account_locked_out';
          const alerts = this.alerts;
          if (alerts) {
            repos.afterCommit(() =>
              alerts.send({ reason, subjectKind: key.startsWith('ip:') ? 'client-address' : 'account', at: now.toISOString(), detail: { failures, minutes: this.limits.windowMinutes } }),
            );
          }
          await this.audit.append(repos, {
            actor: 'haven',
            action: 'security.alert',
            resource: key.startsWith('ip:') ? 'client-address' : key,
            outcome: 'denied',
            requestId,
            detail: { reason: key.startsWith('ip:') ? 'address_locked_out' : 'account_locked_out', failures, minutes: this.limits.windowMinutes },
          });
        }
      });
    }
  }

  /** Forget the account's failures after a successful login. */
  async clear(keys: { account: string }): Promise<void> {
    await this.storage.transaction((repos) => repos.throttle.clear(keys.account));
  }
}
