import { createHash, randomBytes, randomUUID } from 'node:crypto';
import * as oidc from 'openid-client';
import { constantTimeEqual } from '../../libs/crypto/constant-time.js';
import { HavenError } from '../../errors/haven-error.js';
import { isGlobalRole, isWorkspaceRole } from '../access/policy.js';
import type { AuditService } from '../audit/audit-service.js';
import type { Clock, Repositories, Storage } from '../ports.js';
import type { UserRecord } from './identity-ports.js';
import { groupsOf, mfaSatisfied, mfaTime } from './oidc-claims.js';
import { planRoleSync, type WorkspaceGrant } from './oidc-role-mapping.js';
import type { OidcSettings } from './oidc-settings.js';
import { USERNAME_PATTERN } from './user-admin-service.js';

const sha256 = (v: string): string => createHash('sha256').update(v).digest('hex');

/** How long a started login may take at the provider. */
export const OIDC_LOGIN_TTL_MS = 10 * 60_000;
/** Account names an auto-created user may get (the same shape as names a site admin may choose). */
const USERNAME = new RegExp(USERNAME_PATTERN);

/** A started login: where to send the browser, and the binding value the browser must keep (a cookie). */
export interface OidcStart {
  readonly url: string;
  readonly binding: string;
}

/** A finished login: the Haven user, and when the provider did MFA (null: Haven's own second factor is needed). */
export interface OidcResult {
  readonly user: UserRecord;
  readonly mfaAt: string | null;
}

/**
 * OpenID Connect login (authorization code flow with PKCE, state and nonce) against one configured provider.
 * The provider's `sub` is mapped to a Haven user through a link a site admin made (or one made at first login when
 * `oidc.autoCreate` is on); mapped groups become roles; MFA at the provider counts only when the ID token says so.
 */
export class OidcService {
  private discovered: Promise<oidc.Configuration> | undefined;

  constructor(
    private readonly storage: Storage,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    readonly settings: OidcSettings,
  ) {}

  private configuration(): Promise<oidc.Configuration> {
    const s = this.settings;
    this.discovered ??= oidc
      .discovery(s.issuer, s.clientId, s.clientSecret, undefined, s.allowInsecure ? { execute: [oidc.allowInsecureRequests] } : undefined)
      .catch((cause: unknown) => {
        // Try again next time: the provider may come back.
        this.discovered = undefined;
        throw new HavenError('HAVEN_SSO_IDP_UNAVAILABLE', undefined, { cause });
      });
    return this.discovered;
  }

  /**
   * Start a login: store state, nonce and PKCE verifier under the hash of a fresh binding value and build the
   * provider's authorization URL.
   * @param requestId - for the ledger
   */
  async begin(requestId: string): Promise<OidcStart> {
    const config = await this.configuration();
    const binding = randomBytes(32).toString('base64url');
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const now = this.clock.now();
    await this.storage.transaction(async (repos) => {
      await repos.sso.purgeLogins(now.toISOString());
      await repos.sso.putLogin({ bindingHash: sha256(binding), state, nonce, codeVerifier, expiresAt: new Date(now.getTime() + OIDC_LOGIN_TTL_MS).toISOString() });
    });
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.settings.redirectUri.href,
      scope: this.settings.scope,
      response_type: 'code',
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    await this.audit.record(this.storage, { actor: 'anonymous', action: 'auth.sso_start', resource: 'sso', outcome: 'success', requestId });
    return { url: url.href, binding };
  }

  /**
   * Finish a login at the callback. The pending login is taken (single use) by the browser's binding value; the
   * returned `state` must match it; the code is exchanged with the PKCE verifier and the ID token checked
   * (signature, issuer, audience, expiry, nonce) by openid-client.
   * @param binding - the binding cookie, if the browser sent one
   * @param query - the callback's query string (without `?`)
   * @param requestId - for the ledger
   */
  async complete(binding: string | undefined, query: string, requestId: string): Promise<OidcResult> {
    const config = await this.configuration();
    const params = new URLSearchParams(query);
    const pending = binding === undefined ? undefined : await this.storage.transaction((repos) => repos.sso.takeLogin(sha256(binding)));
    const now = this.clock.now();
    const got = params.get('state');
    if (!pending || new Date(pending.expiresAt) <= now || got === null || !constantTimeEqual(got, pending.state)) {
      await this.deny(requestId, 'HAVEN_SSO_STATE_INVALID');
      throw new HavenError('HAVEN_SSO_STATE_INVALID');
    }
    // The redirect URI comes from configuration, never from the request's Host header.
    const current = new URL(this.settings.redirectUri.href);
    current.search = params.toString();
    let claims: Record<string, unknown>;
    try {
      const tokens = await oidc.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      claims = { ...tokens.claims() };
    } catch (cause) {
      await this.deny(requestId, 'HAVEN_SSO_REJECTED');
      throw new HavenError('HAVEN_SSO_REJECTED', undefined, { cause });
    }
    const issuer = String(claims.iss);
    const subject = String(claims.sub);
    const mfa = mfaSatisfied(claims, this.settings.mfaAcrValues);
    const user = await this.audit.withAudit(
      this.storage,
      { actor: 'anonymous', action: 'auth.sso_login', resource: 'sso', requestId, detail: { mfa } },
      async (repos) => {
        const u = await this.resolveUser(repos, issuer, subject, claims, now);
        await this.syncRoles(repos, u, groupsOf(claims, this.settings.groupsClaim));
        await repos.sso.touchIdentity(issuer, subject, now.toISOString());
        return (await repos.users.byId(u.id))!;
      },
    );
    await this.audit.record(this.storage, { actor: user.id, action: 'auth.sso_ok', resource: `user:${user.id}`, outcome: 'success', requestId, detail: { mfa } });
    return { user, mfaAt: mfa ? mfaTime(claims, now) : null };
  }

  /**
   * Link a provider subject to an existing user (site admin). One subject maps to one user.
   * @param repos - repositories of the caller's transaction
   * @param userId - the Haven user
   * @param subject - the provider's `sub`
   * @param issuer - the provider (defaults to the configured issuer)
   */
  async link(repos: Repositories, userId: string, subject: string, issuer?: string): Promise<void> {
    const iss = issuer ?? (await this.configuration()).serverMetadata().issuer;
    if (await repos.sso.identity(iss, subject)) {
      throw new HavenError('HAVEN_SSO_LINK_EXISTS');
    }
    await repos.sso.link({ issuer: iss, subject, userId, createdAt: this.clock.now().toISOString(), lastLoginAt: null });
  }

  private async resolveUser(repos: Repositories, issuer: string, subject: string, claims: Record<string, unknown>, now: Date): Promise<UserRecord> {
    const link = await repos.sso.identity(issuer, subject);
    if (link) {
      const user = await repos.users.byId(link.userId);
      if (!user || user.disabledAt !== null) {
        throw new HavenError('HAVEN_AUTH_FORBIDDEN');
      }
      return user;
    }
    const name = claims[this.settings.usernameClaim];
    // Never link to an existing account by name: that would let whoever controls the name at the provider take
    // the Haven account over.
    if (!this.settings.autoCreate || typeof name !== 'string' || !USERNAME.test(name) || (await repos.users.byUsername(name))) {
      throw new HavenError('HAVEN_SSO_USER_NOT_LINKED');
    }
    const user: UserRecord = {
      id: randomUUID(),
      username: name,
      // Not an argon2 hash: password login can never succeed for an SSO-only account.
      passwordHash: '!sso-only',
      passwordChangedAt: now.toISOString(),
      mustChangePassword: false,
      globalRoles: [],
      totpSecret: null,
      totpLastStep: null,
      mfaEnrolledAt: null,
      disabledAt: null,
      createdAt: now.toISOString(),
    };
    await repos.users.insert(user);
    await repos.sso.link({ issuer, subject, userId: user.id, createdAt: now.toISOString(), lastLoginAt: null });
    return user;
  }

  private async syncRoles(repos: Repositories, user: UserRecord, groups: readonly string[]): Promise<void> {
    if (this.settings.mapping.length === 0) {
      return;
    }
    const memberships = await repos.workspaces.membershipsOf(user.id);
    const current: WorkspaceGrant[] = [];
    for (const m of memberships) {
      const ws = await repos.workspaces.byId(m.workspaceId);
      if (ws && isWorkspaceRole(m.role)) {
        current.push({ workspace: ws.name, role: m.role });
      }
    }
    const plan = planRoleSync(this.settings.mapping, groups, user.globalRoles.filter(isGlobalRole), current);
    await repos.users.update(user.id, { globalRoles: plan.globalRoles });
    for (const g of plan.revoke) {
      const ws = (await repos.workspaces.byName(g.workspace))!;
      // The repository removes all of a user's roles in a workspace; put back the ones that stay.
      const keep = memberships.filter((m) => m.workspaceId === ws.id && m.role !== g.role);
      await repos.workspaces.removeMember(ws.id, user.id);
      for (const m of keep) {
        await repos.workspaces.addMember(m);
      }
      memberships.splice(0, memberships.length, ...memberships.filter((m) => !(m.workspaceId === ws.id && m.role === g.role)));
    }
    for (const g of plan.grant) {
      const ws = await repos.workspaces.byName(g.workspace);
      // A mapping to a workspace that does not exist (yet) grants nothing.
      if (ws) {
        await repos.workspaces.addMember({ workspaceId: ws.id, userId: user.id, role: g.role });
      }
    }
  }

  private async deny(requestId: string, code: string): Promise<void> {
    await this.audit.record(this.storage, { actor: 'anonymous', action: 'auth.sso_login', resource: 'sso', outcome: 'denied', requestId, detail: { code } });
  }
}
