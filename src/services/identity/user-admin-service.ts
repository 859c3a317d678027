import { randomBytes, randomUUID } from 'node:crypto';
import { HavenError } from '../../errors/haven-error.js';
import { isGlobalRole, type GlobalRole, type Principal } from '../access/policy.js';
import type { AuditService } from '../audit/audit-service.js';
import type { Clock, Repositories, Storage } from '../ports.js';
import type { UserRecord } from './identity-ports.js';
import type { PasswordHasher } from './password-hasher.js';

/** User names: lower-case letters, digits, dot, dash, underscore; 3–64 characters. */
export const USERNAME_PATTERN = '^[a-z0-9][a-z0-9._-]{2,63}$';

/** A user as shown to administrators (no hashes, no secrets). */
export interface UserView {
  readonly id: string;
  readonly username: string;
  readonly globalRoles: readonly string[];
  readonly mfaEnrolled: boolean;
  readonly disabled: boolean;
  readonly mustChangePassword: boolean;
  readonly createdAt: string;
}

/** A generated first password: 24 random characters (about 140 bits), shown once. */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

const view = (u: UserRecord): UserView => ({
  id: u.id,
  username: u.username,
  globalRoles: u.globalRoles,
  mfaEnrolled: u.mfaEnrolledAt !== null,
  disabled: u.disabledAt !== null,
  mustChangePassword: u.mustChangePassword,
  createdAt: u.createdAt,
});

/** User administration for site admins: create (generated password, change forced), list, disable, reset MFA. */
export class UserAdminService {
  constructor(
    private readonly storage: Storage,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly hasher: PasswordHasher,
  ) {}

  /**
   * Create a user inside a transaction (also used by `haven init` for the first admin). Returns the generated
   * password once; the user must change it and enrol MFA at first login.
   */
  async createIn(repos: Repositories, username: string, globalRoles: readonly GlobalRole[]): Promise<{ user: UserView; password: string }> {
    if (await repos.users.byUsername(username)) {
      throw new HavenError('HAVEN_USER_EXISTS');
    }
    const password = generatePassword();
    const now = this.clock.now().toISOString();
    const record: UserRecord = {
      id: randomUUID(),
      username,
      passwordHash: await this.hasher.hash(password),
      passwordChangedAt: now,
      mustChangePassword: true,
      globalRoles,
      totpSecret: null,
      totpLastStep: null,
      mfaEnrolledAt: null,
      disabledAt: null,
      createdAt: now,
    };
    await repos.users.insert(record);
    return { user: view(record), password };
  }

  /** Create a user (site admin). */
  create(actor: Principal, requestId: string, username: string, globalRoles: readonly string[]): Promise<{ user: UserView; password: string }> {
    const roles = globalRoles.filter(isGlobalRole);
    if (roles.length !== globalRoles.length) {
      throw new HavenError('HAVEN_HTTP_VALIDATION', 'unknown global role');
    }
    return this.audit.withAudit(this.storage, { actor: actor.subject, action: 'user.create', resource: `user:${username}`, requestId }, (repos) => this.createIn(repos, username, roles));
  }

  /** Every user, for administrators. */
  async list(): Promise<UserView[]> {
    return (await this.storage.read.users.list()).map(view);
  }

  /** Disable a user: their sessions end and their tokens stop working. */
  disable(actor: Principal, requestId: string, username: string): Promise<void> {
    return this.audit.withAudit(this.storage, { actor: actor.subject, action: 'user.disable', resource: `user:${username}`, requestId }, async (repos) => {
      const user = await repos.users.byUsername(username);
      if (!user) {
        throw new HavenError('HAVEN_USER_NOT_FOUND');
      }
      const now = this.clock.now().toISOString();
      await repos.users.update(user.id, { disabledAt: now });
      await repos.sessions.revokeAllFor(user.id, now);
    });
  }

  /** Remove a user's authenticator and recovery codes; they must enrol again at next login. */
  resetMfa(actor: Principal, requestId: string, username: string): Promise<void> {
    return this.audit.withAudit(this.storage, { actor: actor.subject, action: 'user.reset_mfa', resource: `user:${username}`, requestId }, async (repos) => {
      const user = await repos.users.byUsername(username);
      if (!user) {
        throw new HavenError('HAVEN_USER_NOT_FOUND');
      }
      await repos.users.update(user.id, { totpSecret: null, totpLastStep: null, mfaEnrolledAt: null });
      await repos.users.replaceRecoveryCodes(user.id, []);
      await repos.sessions.revokeAllFor(user.id, this.clock.now().toISOString());
    });
  }
}
