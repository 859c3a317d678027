import { describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../services/access/policy.js';
import { DASHBOARD_PAGES, mayOpen, pagesFor, workspacesFor } from './dashboard-pages.js';

const slugs = (session: Parameters<typeof pagesFor>[0]): string[] => pagesFor(session).map((p) => p.slug);

describe('dashboard pages', () => {
  it('every page needs a known permission and has a unique URL-safe slug', () => {
    expect(new Set(DASHBOARD_PAGES.map((p) => p.slug)).size).toBe(DASHBOARD_PAGES.length);
    for (const p of DASHBOARD_PAGES) {
      expect(Object.keys(PERMISSIONS)).toContain(p.permission);
      expect(p.slug).toMatch(/^[a-z][a-z-]*$/);
    }
  });

  it('shows each persona the pages its roles grant, from the policy table', () => {
    expect(slugs({ globalRoles: [], workspaces: [{ name: 'alpha', role: 'cmio' }] })).toEqual(['predicted-stay', 'actual-stay']);
    expect(slugs({ globalRoles: [], workspaces: [{ name: 'alpha', role: 'clinician' }] })).toEqual(['predicted-stay']);
    expect(slugs({ globalRoles: [], workspaces: [{ name: 'alpha', role: 'data_steward' }] })).toEqual([]);
    expect(slugs({ globalRoles: ['site_admin', 'auditor'], workspaces: [] })).toEqual([]);
  });

  it('lists the workspaces where a page applies, and global roles never open workspace pages', () => {
    const predicted = DASHBOARD_PAGES.find((p) => p.slug === 'predicted-stay')!;
    const session = {
      globalRoles: ['site_admin'],
      workspaces: [
        { name: 'beta', role: 'cmio' },
        { name: 'alpha', role: 'clinician' },
        { name: 'gamma', role: 'data_scientist' },
      ],
    };
    expect(workspacesFor(predicted, session)).toEqual(['alpha', 'beta']);
    expect(mayOpen(predicted, { globalRoles: ['site_admin', 'auditor'], workspaces: [] })).toBe(false);
  });
});
