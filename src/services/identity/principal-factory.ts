import { isGlobalRole, isPermission, isWorkspaceRole, type Membership, type Permission, type Principal } from '../access/policy.js';
import type { Repositories } from '../ports.js';
import type { UserRecord } from './identity-ports.js';

/**
 * Build the principal of a user from the database: global roles, memberships, and how they authenticated.
 * @param repos - repositories
 * @param user - the user
 * @param auth - how: session or token, token limits, when MFA was last passed, and whether the login is complete
 */
export async function principalOf(
  repos: Repositories,
  user: UserRecord,
  auth: { via: 'token' | 'session'; tokenScopes: readonly string[] | null; tokenWorkspace: string | null; mfaAt: string | null },
): Promise<Principal> {
  const memberships: Membership[] = (await repos.workspaces.membershipsOf(user.id)).flatMap((m) =>
    isWorkspaceRole(m.role) ? [{ workspaceId: m.workspaceId, role: m.role }] : [],
  );
  const scopes: Permission[] | null = auth.tokenScopes === null ? null : auth.tokenScopes.filter(isPermission);
  return {
    subject: user.id,
    username: user.username,
    globalRoles: user.globalRoles.filter(isGlobalRole),
    memberships,
    via: auth.via,
    tokenScopes: scopes,
    tokenWorkspace: auth.tokenWorkspace,
    mfaAt: auth.mfaAt,
    fullyAuthenticated: auth.mfaAt !== null && user.mfaEnrolledAt !== null && !user.mustChangePassword,
  };
}
