import { createHash, randomBytes } from 'node:crypto';
import { constantTimeEqual } from '../../libs/crypto/constant-time.js';
import { HavenError } from '../../errors/haven-error.js';
import type { Principal } from '../access/policy.js';
import type { Clock, Storage } from '../ports.js';
import { principalOf } from './principal-factory.js';

const sha256 = (v: string): string => createHash('sha256').update(v).digest('hex');

/** Session timeouts from configuration. */
export interface SessionLimits {
  readonly idleMinutes: number;
  readonly absoluteHours: number;
}

/** A new session's secrets, given to the browser once (the id as an HttpOnly cookie, the CSRF token in the body). */
export interface NewSession {
  readonly sessionId: string;
  readonly csrfToken: string;
  readonly expiresAt: string;
}

/**
 * Browser sessions: random 256-bit ids stored only as hashes, a CSRF token per session, idle and absolute timeouts,
 * a fresh id at login and at every privilege change (no fixation), server-side revocation at logout.
 */
export class SessionService {
  constructor(
    private readonly storage: Storage,
    private readonly clock: Clock,
    private readonly limits: SessionLimits,
  ) {}

  /**
   * Start a session for a user; `mfaAt` is set when MFA was passed. If `replaces` is given, that session is revoked
   * in the same transaction (rotation on privilege change).
   */
  async start(userId: string, mfaAt: string | null, replaces?: string): Promise<NewSession> {
    const sessionId = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + this.limits.absoluteHours * 3_600_000).toISOString();
    await this.storage.transaction(async (repos) => {
      if (replaces) {
        await repos.sessions.revoke(sha256(replaces), now.toISOString());
      }
      await repos.sessions.insert({
        idHash: sha256(sessionId),
        userId,
        csrfHash: sha256(csrfToken),
        createdAt: now.toISOString(),
        lastSeenAt: now.toISOString(),
        expiresAt,
        mfaAt,
        revokedAt: null,
      });
    });
    return { sessionId, csrfToken, expiresAt };
  }

  /**
   * Resolve a session cookie. Unknown, revoked, idle-expired and absolutely-expired sessions all fail the same way.
   * State-changing requests must present the session's CSRF token.
   */
  async authenticate(sessionId: string, csrfToken: string | undefined, stateChanging: boolean): Promise<Principal> {
    const session = await this.storage.read.sessions.byIdHash(sha256(sessionId));
    const now = this.clock.now();
    const idleLimit = now.getTime() - this.limits.idleMinutes * 60_000;
    if (!session || session.revokedAt !== null || new Date(session.expiresAt) <= now || new Date(session.lastSeenAt).getTime() < idleLimit) {
      throw new HavenError('HAVEN_AUTH_SESSION_EXPIRED');
    }
    if (stateChanging && (csrfToken === undefined || !constantTimeEqual(sha256(csrfToken), session.csrfHash))) {
      throw new HavenError('HAVEN_AUTH_CSRF');
    }
    const user = await this.storage.read.users.byId(session.userId);
    if (!user || user.disabledAt !== null) {
      throw new HavenError('HAVEN_AUTH_SESSION_EXPIRED');
    }
    await this.storage.read.sessions.touch(session.idHash, now.toISOString());
    return principalOf(this.storage.read, user, { via: 'session', tokenScopes: null, tokenWorkspace: null, mfaAt: session.mfaAt });
  }

  /** Revoke a session (logout). */
  async end(sessionId: string): Promise<void> {
    await this.storage.transaction((repos) => repos.sessions.revoke(sha256(sessionId), this.clock.now().toISOString()));
  }
}
