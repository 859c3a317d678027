import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { HavenError } from '../../errors/haven-error.js';
import { isRole, type Principal, type Role } from '../access/policy.js';
import type { Clock, Repositories, Storage } from '../ports.js';

/** Prefix that makes Haven tokens recognisable to secret scanners. */
export const TOKEN_PREFIX = 'hvn_';
const TOKEN_PATTERN = /^hvn_[A-Za-z0-9_-]{43}$/;

/** SHA-256 of a token: tokens carry 256 random bits, so a fast hash is enough (no dictionary to attack). */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** API tokens: issue (shown once, stored hashed) and authenticate. */
export class TokenService {
  constructor(private readonly clock: Clock) {}

  /**
   * Create a token and store its hash. Returns the token itself; it is never stored or shown again.
   * @param repos - transaction repositories
   * @param spec - who the token acts for, its roles, workspace and lifetime
   */
  async issue(repos: Repositories, spec: { name: string; subject: string; roles: readonly Role[]; workspace: string | null; ttlDays: number }): Promise<{ id: string; token: string; expiresAt: string }> {
    const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + spec.ttlDays * 86_400_000).toISOString();
    const id = randomUUID();
    await repos.tokens.insert({
      id,
      tokenHash: hashToken(token),
      name: spec.name,
      subject: spec.subject,
      roles: spec.roles,
      workspace: spec.workspace,
      createdAt: now.toISOString(),
      expiresAt,
      revokedAt: null,
      lastUsedAt: null,
    });
    return { id, token, expiresAt };
  }

  /**
   * Resolve a bearer token to a principal. Every failure is the same error with the same message.
   * @param storage - the database
   * @param token - the presented token
   */
  async authenticate(storage: Storage, token: string): Promise<Principal> {
    if (!TOKEN_PATTERN.test(token)) {
      throw new HavenError('HAVEN_AUTH_INVALID_TOKEN');
    }
    // Lookup by hash: the index compares hashes, so timing reveals nothing about the token itself.
    const record = await storage.read.tokens.findByHash(hashToken(token));
    const now = this.clock.now();
    if (!record || record.revokedAt !== null || new Date(record.expiresAt) <= now) {
      throw new HavenError('HAVEN_AUTH_INVALID_TOKEN');
    }
    await storage.read.tokens.touch(record.id, now.toISOString());
    return { subject: record.subject, roles: record.roles.filter(isRole), workspace: record.workspace, via: 'token' };
  }
}
