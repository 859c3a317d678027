import { OWASP_ARGON2_MEMORY_KIB } from '../posture-checks.js';
import { fact, judge, type Check } from './check-outcome.js';

/** NIST SP 800-63B (AAL2) re-authentication: after 30 minutes of inactivity, and at least every 12 hours. */
export const MAX_SESSION_IDLE_MINUTES = 30;
export const MAX_SESSION_ABSOLUTE_HOURS = 12;

/** The argon2id floor `haven doctor` applies (OWASP: m = 19 MiB, t = 2, p = 1). */
export const MIN_ARGON2_ITERATIONS = 2;

/**
 * Whether argon2id parameters meet the floor.
 * @param memoryKiB - memory cost
 * @param iterations - time cost
 */
export function meetsArgon2Floor(memoryKiB: number, iterations: number): boolean {
  return memoryKiB >= OWASP_ARGON2_MEMORY_KIB && iterations >= MIN_ARGON2_ITERATIONS;
}

/** Every account has its own identifier and a name no other account can be confused with. */
export const uniqueIdentity: Check = (f) => {
  const a = f.accounts;
  const problems: string[] = [];
  if (a.caseInsensitiveDuplicates > 0) {
    problems.push(`${a.caseInsensitiveDuplicates} account name(s) differ from another only by case`);
  }
  if (a.namesBreakingRule > 0) {
    problems.push(`${a.namesBreakingRule} account name(s) break the naming rule (written outside Haven)`);
  }
  return judge(problems, `${a.total} account(s), each with its own id and a distinct name; the ledger records actions by account id`, [
    fact('accounts.total', 'accounts', a.total),
    fact('accounts.active', 'active accounts', a.active),
    fact('accounts.disabled', 'disabled accounts (kept for the record, cannot sign in)', a.disabled),
    fact('accounts.case_duplicates', 'account names equal to another when case is ignored', a.caseInsensitiveDuplicates),
    fact('accounts.names_breaking_rule', 'account names breaking the naming rule', a.namesBreakingRule),
    fact('tokens.of_disabled_accounts', 'unexpired, unrevoked API tokens of disabled accounts (refused at use)', f.tokens.activeOfDisabledAccounts),
  ]);
};

/** Someone can still grant or restore access when an administrator loses their authenticator. */
export const emergencyAccess: Check = (f) => {
  const a = f.accounts;
  return judge(
    a.readySiteAdmins > 0 ? [] : ['no active site admin has MFA enrolled with unused recovery codes'],
    `${a.readySiteAdmins} active site admin(s) with MFA and unused recovery codes can reset other users' MFA and access (step-up MFA within ${f.config.identity.stepUpMinutes} min)`,
    [
      fact('accounts.site_admins_active', 'active site admins', a.activeSiteAdmins),
      fact('accounts.site_admins_ready', 'active site admins with MFA enrolled and unused recovery codes', a.readySiteAdmins),
      fact('config.identity.stepUpMinutes', 'step-up MFA window for user and workspace administration (minutes)', f.config.identity.stepUpMinutes),
    ],
  );
};

/** Sessions end after inactivity and after a fixed time; tokens cannot outlive the configured maximum. */
export const automaticLogoff: Check = (f) => {
  const id = f.config.identity;
  const t = f.tokens;
  const problems: string[] = [];
  if (id.sessionIdleMinutes > MAX_SESSION_IDLE_MINUTES) {
    problems.push(`sessions end after ${id.sessionIdleMinutes} idle minutes (at most ${MAX_SESSION_IDLE_MINUTES})`);
  }
  if (id.sessionAbsoluteHours > MAX_SESSION_ABSOLUTE_HOURS) {
    problems.push(`sessions last up to ${id.sessionAbsoluteHours} hours (at most ${MAX_SESSION_ABSOLUTE_HOURS})`);
  }
  if (t.activeBeyondMaxLifetime > 0) {
    problems.push(`${t.activeBeyondMaxLifetime} active API token(s) live longer than identity.tokenMaxDays`);
  }
  return judge(
    problems,
    `sessions end after ${id.sessionIdleMinutes} idle minutes and ${id.sessionAbsoluteHours} hours at most; tokens expire within ${id.tokenMaxDays} days`,
    [
      fact('config.identity.sessionIdleMinutes', 'session idle timeout (minutes)', id.sessionIdleMinutes),
      fact('config.identity.sessionAbsoluteHours', 'session absolute lifetime (hours)', id.sessionAbsoluteHours),
      fact('config.identity.tokenDefaultDays', 'default API token lifetime (days)', id.tokenDefaultDays),
      fact('config.identity.tokenMaxDays', 'maximum API token lifetime (days)', id.tokenMaxDays),
      fact('tokens.active', 'active API tokens', t.active),
      fact('tokens.longest_remaining_days', 'longest remaining lifetime of an active token (days)', t.longestRemainingDays),
      fact('tokens.beyond_max_lifetime', 'active tokens living longer than the maximum', t.activeBeyondMaxLifetime),
    ],
  );
};

/** Every active account has a second factor enrolled, and no live token was issued without one. */
export const mfaEnrolment: Check = (f) => {
  const a = f.accounts;
  const t = f.tokens;
  const evidence = [
    fact('accounts.active', 'active accounts', a.active),
    fact('accounts.active_with_mfa', 'active accounts with MFA enrolled', a.activeWithMfa),
    fact('accounts.awaiting_first_sign_in', 'active accounts without MFA, awaiting first sign-in', a.activeAwaitingFirstSignIn),
    fact('accounts.without_mfa_other', 'other active accounts without MFA (reset, removed, or SSO not yet enrolled)', a.activeWithoutMfaOther),
    fact('tokens.active_without_mfa', 'active API tokens issued without MFA', t.activeWithoutMfa),
  ];
  if (a.active === 0) {
    return { status: 'not-applicable', summary: 'no active accounts', evidence };
  }
  const problems: string[] = [];
  const without = a.activeAwaitingFirstSignIn + a.activeWithoutMfaOther;
  if (without > 0) {
    problems.push(`${without} active account(s) without MFA enrolled (they can do nothing but enrol; finish enrolment or disable them)`);
  }
  if (t.activeWithoutMfa > 0) {
    problems.push(`${t.activeWithoutMfa} active API token(s) were issued without MFA`);
  }
  return judge(problems, `all ${a.active} active accounts have MFA enrolled; every active token was issued after MFA`, evidence);
};

/** Passwords are stored as costly argon2id hashes and guessing is throttled. */
export const passwordStorage: Check = (f) => {
  const id = f.config.identity;
  const h = f.accounts.passwordHashes;
  const problems: string[] = [];
  if (!meetsArgon2Floor(id.passwordHashMemoryKiB, id.passwordHashIterations)) {
    problems.push(
      `argon2id cost m=${id.passwordHashMemoryKiB} KiB, t=${id.passwordHashIterations} is below the OWASP floor (m=${OWASP_ARGON2_MEMORY_KIB}, t=${MIN_ARGON2_ITERATIONS})`,
    );
  }
  if (h.weak > 0) {
    problems.push(`${h.weak} active account(s) have a stored hash below the floor (changed at their next password change)`);
  }
  if (h.unrecognised > 0) {
    problems.push(`${h.unrecognised} active account(s) have a stored password hash that is not argon2id`);
  }
  return judge(problems, `argon2id m=${id.passwordHashMemoryKiB} KiB, t=${id.passwordHashIterations}; lockout after ${id.lockoutThreshold} failures`, [
    fact('config.identity.passwordHashMemoryKiB', 'argon2id memory cost (KiB)', id.passwordHashMemoryKiB),
    fact('config.identity.passwordHashIterations', 'argon2id time cost', id.passwordHashIterations),
    fact('accounts.hashes_strong', 'active accounts with a stored argon2id hash at or above the floor', h.strong),
    fact('accounts.hashes_weak', 'active accounts with a stored argon2id hash below the floor', h.weak),
    fact('accounts.hashes_unrecognised', 'active accounts with an unrecognised stored hash', h.unrecognised),
    fact('accounts.sso_only', 'active SSO-only accounts (no password)', h.ssoOnly),
    fact('config.identity.lockoutThreshold', 'failed logins before an account locks', id.lockoutThreshold),
    fact('config.identity.ipLockoutThreshold', 'failed logins before a client address locks', id.ipLockoutThreshold),
    fact('config.identity.lockoutMinutes', 'lockout duration and counting window (minutes)', id.lockoutMinutes),
  ]);
};

/** Access follows roles from one policy table; administrators and auditors hold no data permissions. */
export const roleBasedAccess: Check = (f) => {
  const p = f.policy;
  const a = f.accounts;
  const problems: string[] = [];
  if (p.globalRolesInWorkspacePermissions.length > 0) {
    problems.push(`global role(s) ${p.globalRolesInWorkspacePermissions.join(', ')} hold workspace (data) permissions`);
  }
  if (a.unknownGlobalRoleGrants > 0) {
    problems.push(`${a.unknownGlobalRoleGrants} global role grant(s) name a role the policy does not know`);
  }
  if (f.workspaces.unknownRoleMemberships > 0) {
    problems.push(`${f.workspaces.unknownRoleMemberships} membership(s) name a role the policy does not know`);
  }
  return judge(
    problems,
    `${p.roles} roles and ${p.permissions} permissions in one policy table, deny by default; administrators and auditors hold no data permissions`,
    [
      fact('policy.roles', 'roles in the policy', p.roles),
      fact('policy.permissions', 'permissions in the policy', p.permissions),
      fact('policy.global_roles_with_data', 'global roles holding workspace (data) permissions', p.globalRolesInWorkspacePermissions.length),
      fact('policy.step_up_permissions', 'permissions needing recent MFA (step-up)', p.stepUpPermissions),
      fact('accounts.unknown_role_grants', 'global role grants naming an unknown role', a.unknownGlobalRoleGrants),
      fact('workspaces.unknown_role_memberships', 'memberships naming an unknown role', f.workspaces.unknownRoleMemberships),
      fact('accounts.site_admins_active', 'active site admins', a.activeSiteAdmins),
      fact('accounts.auditors_active', 'active auditors', a.activeAuditors),
      fact('accounts.admins_also_auditors', 'active accounts holding both site admin and auditor', a.activeAdminsAlsoAuditors),
    ],
  );
};

/** Data lives in workspaces: only members reach it, and each workspace's data is under its own key. */
export const workspaceIsolation: Check = (f) => {
  const p = f.policy;
  const w = f.workspaces;
  const problems: string[] = [];
  if (p.dataPermissionsOutsideWorkspaces.length > 0) {
    problems.push(`data permission(s) ${p.dataPermissionsOutsideWorkspaces.join(', ')} are not workspace-scoped`);
  }
  if (p.globalRolesInWorkspacePermissions.length > 0) {
    problems.push('global roles hold workspace permissions');
  }
  if (f.datasets.workspacesWithDataWithoutKek > 0) {
    problems.push(`${f.datasets.workspacesWithDataWithoutKek} workspace(s) hold data without an active key of their own`);
  }
  return judge(
    problems,
    `${w.active} workspaces; ${p.workspacePermissions} data permissions apply only inside a workspace the caller belongs to; each workspace holding data has its own key`,
    [
      fact('workspaces.active', 'workspaces', w.active),
      fact('workspaces.deleted', 'deleted workspaces', w.deleted),
      fact('workspaces.memberships', 'memberships', w.memberships),
      fact('workspaces.memberships_of_disabled', 'memberships of disabled accounts (inactive)', w.membershipsOfDisabledAccounts),
      fact('policy.workspace_permissions', 'workspace-scoped permissions', p.workspacePermissions),
      fact('policy.data_permissions_outside_workspaces', 'data permissions not scoped to a workspace', p.dataPermissionsOutsideWorkspaces.length),
      fact('datasets.workspaces_with_data', 'workspaces holding datasets', f.datasets.workspacesWithData),
      fact('datasets.workspaces_without_key', 'workspaces holding datasets without an active workspace key', f.datasets.workspacesWithDataWithoutKek),
    ],
  );
};
