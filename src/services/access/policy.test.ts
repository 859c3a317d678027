import { describe, expect, it } from 'vitest';
import { can, heldPermissions, isMemberOf, PERMISSIONS, type Principal } from './policy.js';

function principal(p: Partial<Principal>): Principal {
  return { subject: 'u', username: 'u', globalRoles: [], memberships: [], via: 'token', tokenScopes: null, tokenWorkspace: null, mfaAt: null, fullyAuthenticated: true, ...p };
}

describe('policy', () => {
  it('denies everything but self-service to a principal with no roles', () => {
    const p = principal({});
    for (const perm of Object.keys(PERMISSIONS) as (keyof typeof PERMISSIONS)[]) {
      expect(can(p, perm, 'ws1')).toBe(PERMISSIONS[perm].scope === 'self');
    }
  });

  it('grants workspace permissions only in the workspace where the role is held', () => {
    const p = principal({ memberships: [{ workspaceId: 'ws1', role: 'clinician' }] });
    expect(can(p, 'workspace:read', 'ws1')).toBe(true);
    expect(can(p, 'workspace:read', 'ws2')).toBe(false);
    expect(can(p, 'workspace:read')).toBe(false);
    expect(isMemberOf(p, 'ws1')).toBe(true);
    expect(isMemberOf(p, 'ws2')).toBe(false);
  });

  it('gives global roles no workspace access', () => {
    const admin = principal({ globalRoles: ['site_admin'] });
    expect(can(admin, 'users:manage')).toBe(true);
    expect(can(admin, 'workspace:read', 'ws1')).toBe(false);
    expect(can(admin, 'audit:read')).toBe(false);
    const auditor = principal({ globalRoles: ['auditor'] });
    expect(can(auditor, 'audit:read')).toBe(true);
    expect(can(auditor, 'users:manage')).toBe(false);
  });

  it('limits tokens to their scopes and workspace', () => {
    const p = principal({ memberships: [{ workspaceId: 'ws1', role: 'cmio' }, { workspaceId: 'ws2', role: 'cmio' }], tokenScopes: ['session:read'], tokenWorkspace: 'ws1' });
    expect(can(p, 'session:read')).toBe(true);
    expect(can(p, 'workspace:read', 'ws1')).toBe(false);
    const q = principal({ memberships: [{ workspaceId: 'ws1', role: 'cmio' }, { workspaceId: 'ws2', role: 'cmio' }], tokenWorkspace: 'ws1' });
    expect(can(q, 'workspace:read', 'ws1')).toBe(true);
    expect(can(q, 'workspace:read', 'ws2')).toBe(false);
    expect(isMemberOf(q, 'ws2')).toBe(false);
  });

  it('lists held permissions', () => {
    expect(heldPermissions(principal({ globalRoles: ['auditor'] })).sort()).toEqual(['account:self', 'audit:export', 'audit:read', 'audit:verify', 'config:read', 'metrics:read', 'session:read', 'tokens:own']);
  });
});
