/**
 * Policy as data: every permission Haven knows and which role holds it. Nothing is granted that is not listed
 * here; a route or command that needs a permission not in this table cannot be reached by anyone.
 */
export const ROLES = ['site_admin', 'data_steward', 'data_scientist', 'clinician', 'cmio', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = {
  'session:read': 'See who you are signed in as.',
  'metrics:read': 'Read Prometheus metrics (counts and latencies, no user data).',
  'config:read': 'Read the (redacted) configuration and posture report.',
  'audit:read': 'Read ledger entries.',
  'audit:verify': 'Verify the ledger chain and checkpoints.',
  'audit:export': 'Export the ledger as JSON lines.',
} as const;
export type Permission = keyof typeof PERMISSIONS;

export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  site_admin: ['session:read', 'metrics:read', 'config:read'],
  data_steward: ['session:read'],
  data_scientist: ['session:read'],
  clinician: ['session:read'],
  cmio: ['session:read'],
  auditor: ['session:read', 'metrics:read', 'config:read', 'audit:read', 'audit:verify', 'audit:export'],
};

/** Who is asking: resolved by authentication, passed to every service call. */
export interface Principal {
  readonly subject: string;
  readonly roles: readonly Role[];
  readonly workspace: string | null;
  readonly via: 'token';
}

/** Whether a string names a known role. */
export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/**
 * The one authorisation check: does any of the principal's roles hold the permission?
 * @param principal - who is asking
 * @param permission - what they need
 */
export function can(principal: Principal, permission: Permission): boolean {
  return principal.roles.some((role) => ROLE_PERMISSIONS[role].includes(permission));
}
