import { GLOBAL_ROLES, PERMISSIONS, ROLES, STEP_UP_PERMISSIONS, isGlobalRole, isWorkspaceRole, type PermissionSpec } from '../../access/policy.js';
import type { UserRecord, WorkspaceRecord } from '../../identity/identity-ports.js';
import { USERNAME_PATTERN } from '../../identity/user-admin-service.js';
import type { Repositories } from '../../ports.js';
import type { AccountFacts, PolicyFacts, TokenFacts, WorkspaceFacts } from './evidence-facts.js';
import { meetsArgon2Floor } from './identity-checks.js';

const DAY_MS = 86_400_000;
/** The stored hash of accounts created by SSO: not a hash, so password login can never succeed (oidc-service.ts). */
const SSO_ONLY_HASH = '!sso-only';
const ARGON2ID_PHC = /^\$argon2id\$v=\d+\$m=(\d+),t=(\d+),p=\d+\$/;
/** Permission prefixes that reach data; any such permission must be workspace-scoped. */
const DATA_PERMISSION_PREFIXES = ['dataset:', 'encounter:', 'model:', 'training:', 'prediction:'];

function hashStrength(user: UserRecord): 'strong' | 'weak' | 'ssoOnly' | 'unrecognised' {
  if (user.passwordHash === SSO_ONLY_HASH) {
    return 'ssoOnly';
  }
  const m = ARGON2ID_PHC.exec(user.passwordHash);
  if (!m) {
    return 'unrecognised';
  }
  return meetsArgon2Floor(Number(m[1]), Number(m[2])) ? 'strong' : 'weak';
}

/**
 * Count accounts by MFA state, naming hygiene, roles and stored hash strength.
 * @param read - repositories
 * @param users - every account
 */
export async function accountFacts(read: Repositories, users: readonly UserRecord[]): Promise<AccountFacts> {
  const active = users.filter((u) => u.disabledAt === null);
  const withoutMfa = active.filter((u) => u.mfaEnrolledAt === null);
  const nameRule = new RegExp(USERNAME_PATTERN);
  const byFolded = new Map<string, number>();
  for (const u of users) {
    const folded = u.username.toLowerCase();
    byFolded.set(folded, (byFolded.get(folded) ?? 0) + 1);
  }
  const admins = active.filter((u) => u.globalRoles.includes('site_admin'));
  let ready = 0;
  for (const admin of admins) {
    if (admin.mfaEnrolledAt !== null && (await read.users.unusedRecoveryCodes(admin.id)).length > 0) {
      ready++;
    }
  }
  const strengths = active.map(hashStrength);
  const countOf = (s: ReturnType<typeof hashStrength>): number => strengths.filter((x) => x === s).length;
  return {
    total: users.length,
    active: active.length,
    disabled: users.length - active.length,
    activeWithMfa: active.length - withoutMfa.length,
    activeAwaitingFirstSignIn: withoutMfa.filter((u) => u.mustChangePassword).length,
    activeWithoutMfaOther: withoutMfa.filter((u) => !u.mustChangePassword).length,
    namesBreakingRule: users.filter((u) => !nameRule.test(u.username)).length,
    caseInsensitiveDuplicates: users.filter((u) => (byFolded.get(u.username.toLowerCase()) ?? 0) > 1).length,
    unknownGlobalRoleGrants: users.reduce((n, u) => n + u.globalRoles.filter((r) => !isGlobalRole(r)).length, 0),
    activeSiteAdmins: admins.length,
    readySiteAdmins: ready,
    activeAuditors: active.filter((u) => u.globalRoles.includes('auditor')).length,
    activeAdminsAlsoAuditors: admins.filter((u) => u.globalRoles.includes('auditor')).length,
    passwordHashes: { strong: countOf('strong'), weak: countOf('weak'), ssoOnly: countOf('ssoOnly'), unrecognised: countOf('unrecognised') },
  };
}

/**
 * Count live API tokens (unrevoked, unexpired) of every account.
 * @param read - repositories
 * @param users - every account
 * @param now - the time of measurement
 * @param maxDays - identity.tokenMaxDays
 */
export async function tokenFacts(read: Repositories, users: readonly UserRecord[], now: Date, maxDays: number): Promise<TokenFacts> {
  let active = 0;
  let withoutMfa = 0;
  let beyondMax = 0;
  let ofDisabled = 0;
  let longest = 0;
  for (const user of users) {
    for (const t of await read.tokens.listFor(user.id)) {
      const expires = Date.parse(t.expiresAt);
      if (t.revokedAt !== null || expires <= now.getTime()) {
        continue;
      }
      active++;
      withoutMfa += t.mfaAt === null ? 1 : 0;
      beyondMax += expires - Date.parse(t.createdAt) > maxDays * DAY_MS ? 1 : 0;
      ofDisabled += user.disabledAt !== null ? 1 : 0;
      longest = Math.max(longest, Math.floor((expires - now.getTime()) / DAY_MS));
    }
  }
  return { active, activeWithoutMfa: withoutMfa, activeBeyondMaxLifetime: beyondMax, activeOfDisabledAccounts: ofDisabled, longestRemainingDays: longest };
}

/**
 * Count workspaces and memberships.
 * @param read - repositories
 * @param workspaces - every workspace
 * @param users - every account
 */
export async function workspaceFacts(read: Repositories, workspaces: readonly WorkspaceRecord[], users: readonly UserRecord[]): Promise<WorkspaceFacts> {
  const disabled = new Set(users.filter((u) => u.disabledAt !== null).map((u) => u.id));
  let memberships = 0;
  let unknownRole = 0;
  let ofDisabled = 0;
  for (const ws of workspaces) {
    for (const m of await read.workspaces.members(ws.id)) {
      memberships++;
      unknownRole += isWorkspaceRole(m.role) ? 0 : 1;
      ofDisabled += disabled.has(m.userId) ? 1 : 0;
    }
  }
  const deleted = workspaces.filter((w) => w.deletedAt !== null).length;
  return { active: workspaces.length - deleted, deleted, memberships, unknownRoleMemberships: unknownRole, membershipsOfDisabledAccounts: ofDisabled };
}

/** Facts about the live policy table (src/services/access/policy.ts). */
export function policyFacts(): PolicyFacts {
  const entries = Object.entries(PERMISSIONS) as [string, PermissionSpec][];
  const workspaceScoped = entries.filter(([, spec]) => spec.scope === 'workspace');
  const globalInWorkspace = new Set<string>();
  for (const [, spec] of workspaceScoped) {
    for (const role of spec.roles) {
      if ((GLOBAL_ROLES as readonly string[]).includes(role)) {
        globalInWorkspace.add(role);
      }
    }
  }
  return {
    roles: ROLES.length,
    permissions: entries.length,
    workspacePermissions: workspaceScoped.length,
    globalRolesInWorkspacePermissions: [...globalInWorkspace].sort(),
    dataPermissionsOutsideWorkspaces: entries
      .filter(([name, spec]) => DATA_PERMISSION_PREFIXES.some((p) => name.startsWith(p)) && spec.scope !== 'workspace')
      .map(([name]) => name)
      .sort(),
    stepUpPermissions: STEP_UP_PERMISSIONS.length,
  };
}
