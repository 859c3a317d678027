import { HavenError } from '../../errors/haven-error.js';
import { isGlobalRole, isWorkspaceRole, type GlobalRole, type WorkspaceRole } from '../access/policy.js';

/** One mapping entry: members of `group` hold `role`, globally or in `workspace`. */
export type GroupMappingEntry =
  | { readonly group: string; readonly role: GlobalRole; readonly workspace?: undefined }
  | { readonly group: string; readonly role: WorkspaceRole; readonly workspace: string };

/** A workspace role held or to be held (workspace by name). */
export interface WorkspaceGrant {
  readonly workspace: string;
  readonly role: WorkspaceRole;
}

/** What one SSO login changes: the new global roles, and workspace roles to add and remove. */
export interface RoleSyncPlan {
  readonly globalRoles: GlobalRole[];
  readonly grant: WorkspaceGrant[];
  readonly revoke: WorkspaceGrant[];
}

/**
 * Parse the configured mapping (a JSON array). Global roles must not name a workspace, workspace roles must.
 * @param json - the `oidc.groupMapping` value, or undefined for no mapping
 */
export function parseGroupMapping(json: string | undefined): GroupMappingEntry[] {
  if (json === undefined) {
    return [];
  }
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new HavenError('HAVEN_SSO_CONFIG_INVALID', 'oidc.groupMapping is not valid JSON');
  }
  if (!Array.isArray(raw)) {
    throw new HavenError('HAVEN_SSO_CONFIG_INVALID', 'oidc.groupMapping must be a JSON array');
  }
  return raw.map((e: unknown, i): GroupMappingEntry => {
    const bad = (): never => {
      throw new HavenError('HAVEN_SSO_CONFIG_INVALID', 'oidc.groupMapping has an invalid entry', { detail: { entry: i } });
    };
    if (e === null || typeof e !== 'object' || Array.isArray(e)) {
      return bad();
    }
    const { group, role, workspace, ...rest } = e as Record<string, unknown>;
    if (Object.keys(rest).length > 0 || typeof group !== 'string' || group === '' || typeof role !== 'string') {
      return bad();
    }
    if (workspace === undefined && isGlobalRole(role)) {
      return { group, role };
    }
    if (typeof workspace === 'string' && workspace !== '' && isWorkspaceRole(role)) {
      return { group, role, workspace };
    }
    return bad();
  });
}

const key = (g: WorkspaceGrant): string => `${g.workspace}\u0000${g.role}`;

/**
 * Plan the role changes of one login. The provider is the source of truth for the roles the mapping mentions:
 * such a role is held exactly when one of its groups is in the token. Roles no entry mentions are left alone, so
 * roles granted inside Haven survive.
 * @param mapping - the parsed mapping
 * @param groups - the user's groups from the ID token
 * @param currentGlobal - the user's global roles now
 * @param currentWorkspace - the user's workspace roles now (workspace by name)
 */
export function planRoleSync(
  mapping: readonly GroupMappingEntry[],
  groups: readonly string[],
  currentGlobal: readonly GlobalRole[],
  currentWorkspace: readonly WorkspaceGrant[],
): RoleSyncPlan {
  const inGroups = new Set(groups);
  const mappedGlobal = new Set<GlobalRole>();
  const wantGlobal = new Set<GlobalRole>();
  const mappedWs = new Map<string, WorkspaceGrant>();
  const wantWs = new Set<string>();
  for (const e of mapping) {
    if (e.workspace === undefined) {
      mappedGlobal.add(e.role);
      if (inGroups.has(e.group)) {
        wantGlobal.add(e.role);
      }
    } else {
      const g = { workspace: e.workspace, role: e.role };
      mappedWs.set(key(g), g);
      if (inGroups.has(e.group)) {
        wantWs.add(key(g));
      }
    }
  }
  const globalRoles = [...currentGlobal.filter((r) => !mappedGlobal.has(r)), ...wantGlobal].filter((r, i, all) => all.indexOf(r) === i);
  const held = new Set(currentWorkspace.map(key));
  const grant = [...wantWs].filter((k) => !held.has(k)).map((k) => mappedWs.get(k)!);
  const revoke = currentWorkspace.filter((g) => mappedWs.has(key(g)) && !wantWs.has(key(g)));
  return { globalRoles, grant, revoke };
}
