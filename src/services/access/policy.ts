/**
 * Policy as data: every permission Haven knows, whether it applies globally or inside one workspace, and which
 * role holds it. Nothing is granted that is not listed here. Site admin and auditor are global roles without data
 * access; the other four are held per workspace.
 */
export const GLOBAL_ROLES = ['site_admin', 'auditor'] as const;
export const WORKSPACE_ROLES = ['data_steward', 'data_scientist', 'clinician', 'cmio'] as const;
export const ROLES = [...GLOBAL_ROLES, ...WORKSPACE_ROLES] as const;
export type GlobalRole = (typeof GLOBAL_ROLES)[number];
export type WorkspaceRole = (typeof WORKSPACE_ROLES)[number];
export type Role = (typeof ROLES)[number];

/** A permission: where it applies, who holds it and what it allows. */
export interface PermissionSpec {
  /** global: held through global roles; workspace: through a role in the request's workspace; self: every signed-in user, about themselves. */
  readonly scope: 'global' | 'workspace' | 'self';
  readonly roles: readonly Role[];
  readonly doc: string;
}

const ALL_ROLES: readonly Role[] = ROLES;

export const PERMISSIONS = {
  'session:read': { scope: 'self', roles: ALL_ROLES, doc: 'See who you are signed in as, and your workspaces.' },
  'account:self': { scope: 'self', roles: ALL_ROLES, doc: 'Change your own password, enrol and use MFA, sign out.' },
  'tokens:own': { scope: 'self', roles: ALL_ROLES, doc: 'Create, list and revoke your own API tokens.' },
  'metrics:read': { scope: 'global', roles: ['site_admin', 'auditor'], doc: 'Read Prometheus metrics (counts and latencies, no user data).' },
  'config:read': { scope: 'global', roles: ['site_admin', 'auditor'], doc: 'Read the (redacted) configuration and posture report.' },
  'users:manage': { scope: 'global', roles: ['site_admin'], doc: 'Create, list, disable users and reset their MFA (step-up MFA).' },
  'workspaces:manage': { scope: 'global', roles: ['site_admin'], doc: 'Create workspaces and manage their members (step-up MFA).' },
  'audit:read': { scope: 'global', roles: ['auditor'], doc: 'Read ledger entries.' },
  'audit:verify': { scope: 'global', roles: ['auditor'], doc: 'Verify the ledger chain and checkpoints.' },
  'audit:export': { scope: 'global', roles: ['auditor'], doc: 'Export the ledger as JSON lines.' },
  'workspace:read': { scope: 'workspace', roles: WORKSPACE_ROLES, doc: 'See a workspace you belong to and your roles in it.' },
  'dataset:import': { scope: 'workspace', roles: ['data_steward'], doc: 'Import files into datasets; see the quarantine.' },
  'dataset:read': { scope: 'workspace', roles: ['data_steward', 'data_scientist'], doc: 'See datasets, versions, lineage, schema and classification.' },
  'dataset:publish': { scope: 'workspace', roles: ['data_steward'], doc: 'Publish a dataset version for use.' },
  'dataset:export': { scope: 'workspace', roles: ['data_steward'], doc: 'Export a version de-identified (Safe Harbor transforms; never a direct identifier in clear).' },
  'dataset:rows': { scope: 'workspace', roles: ['data_steward', 'data_scientist'], doc: 'Read rows of a version in the pseudonymised view (no direct identifiers).' },
  'encounter:admit': { scope: 'workspace', roles: ['clinician'], doc: 'Admit a patient from a FHIR admission message (names stored encrypted).' },
  'encounter:discharge': { scope: 'workspace', roles: ['clinician'], doc: 'Discharge an admitted encounter from a FHIR discharge message.' },
  'encounter:read': { scope: 'workspace', roles: ['clinician'], doc: "Read an encounter; names only for the clinician who admitted it." },
  'model:train': { scope: 'workspace', roles: ['data_scientist'], doc: 'Start and cancel training runs on published dataset versions.' },
  'model:read': { scope: 'workspace', roles: ['data_scientist', 'data_steward'], doc: 'See training runs (experiments), registered models and their model cards.' },
  'model:approve': { scope: 'workspace', roles: ['data_steward'], doc: 'Approve a model for serving (never one you trained; the privacy gate applies) or retire it.' },
  'model:predict': { scope: 'workspace', roles: ['clinician'], doc: 'Score records with an approved model, within a query budget.' },
  'report:actual': { scope: 'workspace', roles: ['cmio'], doc: 'See actual length-of-stay aggregates of discharged encounters, under disclosure control.' },
  'report:predicted': { scope: 'workspace', roles: ['cmio', 'clinician'], doc: 'See predicted length-of-stay aggregates (in hospital; predicted versus actual), under disclosure control for roles without row-level access.' },
  'report:patients': { scope: 'workspace', roles: ['clinician'], doc: "See the workspace's patients with their predicted stay, row by row (names only for the admitting clinician)." },
} as const satisfies Record<string, PermissionSpec>;
export type Permission = keyof typeof PERMISSIONS;

/** Permissions that change who may do what: they need MFA within the step-up window. */
export const STEP_UP_PERMISSIONS: readonly Permission[] = ['users:manage', 'workspaces:manage'];

/** A membership: a role held in one workspace. */
export interface Membership {
  readonly workspaceId: string;
  readonly role: WorkspaceRole;
}

/** Who is asking: resolved by authentication, passed to every service call. */
export interface Principal {
  readonly subject: string;
  readonly username: string;
  readonly globalRoles: readonly GlobalRole[];
  readonly memberships: readonly Membership[];
  readonly via: 'token' | 'session';
  /** Tokens may be limited to some permissions and one workspace; null means not limited. */
  readonly tokenScopes: readonly Permission[] | null;
  readonly tokenWorkspace: string | null;
  /** When the principal last passed MFA (ISO time), or null. */
  readonly mfaAt: string | null;
  /** Whether MFA has been passed for this session or token, and no password change is pending. */
  readonly fullyAuthenticated: boolean;
}

/** Whether a string names a known role / global role / workspace role / permission. */
export const isRole = (v: string): v is Role => (ROLES as readonly string[]).includes(v);
export const isGlobalRole = (v: string): v is GlobalRole => (GLOBAL_ROLES as readonly string[]).includes(v);
export const isWorkspaceRole = (v: string): v is WorkspaceRole => (WORKSPACE_ROLES as readonly string[]).includes(v);
export const isPermission = (v: string): v is Permission => Object.hasOwn(PERMISSIONS, v);

/**
 * The roles a principal holds where a permission would apply: its global roles for global permissions, its roles in
 * the given workspace for workspace permissions.
 */
function rolesFor(principal: Principal, spec: PermissionSpec, workspaceId: string | null): readonly Role[] {
  if (spec.scope === 'self') {
    return spec.roles;
  }
  if (spec.scope === 'global') {
    return principal.globalRoles;
  }
  if (workspaceId === null || (principal.tokenWorkspace !== null && principal.tokenWorkspace !== workspaceId)) {
    return [];
  }
  return principal.memberships.filter((m) => m.workspaceId === workspaceId).map((m) => m.role);
}

/**
 * The one authorisation check. Deny unless a role the principal holds *where the permission applies* grants it,
 * and the token (if any) is scoped to it.
 * @param principal - who is asking
 * @param permission - what they need
 * @param workspaceId - the workspace the request is about (workspace permissions only)
 */
export function can(principal: Principal, permission: Permission, workspaceId: string | null = null): boolean {
  const spec: PermissionSpec = PERMISSIONS[permission];
  if (principal.tokenScopes !== null && !principal.tokenScopes.includes(permission)) {
    return false;
  }
  return rolesFor(principal, spec, workspaceId).some((r) => spec.roles.includes(r));
}

/** Whether the principal belongs to a workspace at all (else the workspace "does not exist" for them). */
export function isMemberOf(principal: Principal, workspaceId: string): boolean {
  if (principal.tokenWorkspace !== null && principal.tokenWorkspace !== workspaceId) {
    return false;
  }
  return principal.memberships.some((m) => m.workspaceId === workspaceId);
}

/**
 * Every permission a principal holds somewhere (used to cap the scopes of tokens it creates).
 * @param principal - the principal
 */
export function heldPermissions(principal: Principal): Permission[] {
  return (Object.keys(PERMISSIONS) as Permission[]).filter((p) => {
    const spec: PermissionSpec = PERMISSIONS[p];
    if (spec.scope !== 'workspace') {
      return can(principal, p);
    }
    return principal.memberships.some((m) => can(principal, p, m.workspaceId));
  });
}
