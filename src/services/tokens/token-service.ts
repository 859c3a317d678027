import { randomUUID } from 'node:crypto';
import { generateApiToken, hashApiToken, isWellFormedApiToken } from '../../libs/crypto/tokens.js';
import { HavenError } from '../../errors/haven-error.js';
import { heldPermissions, isPermission, type Permission, type Principal } from '../access/policy.js';
import { principalOf } from '../identity/principal-factory.js';
import type { ApiTokenRecord, Clock, Repositories, Storage } from '../ports.js';

/** How stale a token's last-used time may get before a request updates it. */
const TOUCH_INTERVAL_MS = 60_000;
/** What a new token may do and for how long. */
export interface TokenSpec {
  readonly name: string;
  readonly scopes: readonly Permission[] | null;
  readonly workspace: string | null;
  readonly ttlDays: number;
  readonly mfaAt: string | null;
}

/** Token lifetime limits from configuration. */
export interface TokenLimits {
  readonly defaultDays: number;
  readonly maxDays: number;
}

/** API tokens for curl, the CLI and notebooks: shown once, stored hashed, scoped, expiring, revocable. */
export class TokenService {
  constructor(
    private readonly clock: Clock,
    private readonly limits: TokenLimits,
  ) {}

  /**
   * Create a token for a user and store its hash. Returns the token itself; it is never stored or shown again.
   * @param repos - transaction repositories
   * @param subject - the user id the token acts for
   * @param spec - scopes (a subset of the user's permissions), workspace, lifetime
   */
  async issue(repos: Repositories, subject: string, spec: TokenSpec): Promise<{ id: string; token: string; expiresAt: string }> {
    if (!(spec.ttlDays > 0 && spec.ttlDays <= this.limits.maxDays)) {
      throw new HavenError('HAVEN_HTTP_VALIDATION', `token lifetime must be between 1 and ${this.limits.maxDays} days`);
    }
    const { token, hash } = generateApiToken();
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + spec.ttlDays * 86_400_000).toISOString();
    const id = randomUUID();
    await repos.tokens.insert({
      id,
      tokenHash: hash,
      name: spec.name,
      subject,
      roles: [],
      workspace: spec.workspace,
      createdAt: now.toISOString(),
      expiresAt,
      revokedAt: null,
      lastUsedAt: null,
      scopes: spec.scopes,
      mfaAt: spec.mfaAt,
    });
    return { id, token, expiresAt };
  }

  /**
   * Create a token for the calling principal. Scopes must be ones the caller holds; a token made from a token cannot
   * outlive or exceed it.
   */
  async issueFor(
    repos: Repositories,
    principal: Principal,
    req: { name: string; scopes?: readonly string[]; workspace?: string | null; ttlDays?: number },
  ): Promise<{ id: string; token: string; expiresAt: string }> {
    const held = heldPermissions(principal);
    const wanted = req.scopes ?? held;
    if (!wanted.every((s) => isPermission(s) && held.includes(s))) {
      throw new HavenError('HAVEN_AUTH_TOKEN_SCOPE');
    }
    return this.issue(repos, principal.subject, {
      name: req.name,
      scopes: wanted as Permission[],
      workspace: req.workspace ?? principal.tokenWorkspace,
      ttlDays: req.ttlDays ?? this.limits.defaultDays,
      mfaAt: principal.mfaAt,
    });
  }

  /**
   * Resolve a bearer token to a principal. Every failure is the same error with the same message.
   * @param storage - the database
   * @param token - the presented token
   */
  async authenticate(storage: Storage, token: string): Promise<Principal> {
    if (!isWellFormedApiToken(token)) {
      throw new HavenError('HAVEN_AUTH_INVALID_TOKEN');
    }
    // Lookup by hash: the index compares hashes, so timing reveals nothing about the token itself.
    const record = await storage.read.tokens.findByHash(hashApiToken(token));
    const now = this.clock.now();
    if (!record || record.revokedAt !== null || new Date(record.expiresAt) <= now) {
      throw new HavenError('HAVEN_AUTH_INVALID_TOKEN');
    }
    const user = await storage.read.users.byId(record.subject);
    if (!user || user.disabledAt !== null) {
      throw new HavenError('HAVEN_AUTH_INVALID_TOKEN');
    }
    // Last use is kept to the minute: one write per token per minute, not one per request.
    if (record.lastUsedAt === null || now.getTime() - new Date(record.lastUsedAt).getTime() >= TOUCH_INTERVAL_MS) {
      await storage.read.tokens.touch(record.id, now.toISOString());
    }
    return principalOf(storage.read, user, { via: 'token', tokenScopes: record.scopes, tokenWorkspace: record.workspace, mfaAt: record.mfaAt });
  }

  /** The caller's tokens (never their hashes). */
  async list(storage: Storage, principal: Principal): Promise<Omit<ApiTokenRecord, 'tokenHash'>[]> {
    return (await storage.read.tokens.listFor(principal.subject)).map(({ tokenHash: _omit, ...rest }) => rest);
  }

  /** Revoke one of the caller's tokens; another user's token is "not found". */
  async revoke(repos: Repositories, principal: Principal, id: string): Promise<void> {
    if ((await repos.tokens.revoke(id, principal.subject, this.clock.now().toISOString())) === 0) {
      throw new HavenError('HAVEN_HTTP_NOT_FOUND');
    }
  }
}
