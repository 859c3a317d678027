/**
 * The dashboard's pages and who sees them: each page needs one permission of the policy table, so the navigation (in
 * the browser) and the shell route (on the server, which answers 404 for a page the signed-in user may not see) decide
 * from the same data. Shared by the server and the browser bundle: no imports but the policy table.
 */
import { PERMISSIONS, type Permission, type PermissionSpec } from '../services/access/policy.js';

/** A dashboard page. */
export interface DashboardPage {
  /** The URL path under /app/. */
  readonly slug: string;
  readonly title: string;
  /** The permission the page's data needs (in some workspace for workspace permissions). */
  readonly permission: Permission;
}

/** Every page, in navigation order. */
export const DASHBOARD_PAGES: readonly DashboardPage[] = [
  { slug: 'predicted-stay', title: 'Predicted length of stay', permission: 'report:predicted' },
  { slug: 'actual-stay', title: 'Actual length of stay', permission: 'report:actual' },
];

/** The pages that need no permission beyond being signed in (or not): the sign-in page and the start page. */
export const OPEN_PAGES: readonly string[] = ['', 'login'];

/** What the server says about the signed-in user (GET /api/session), as far as pages are concerned. */
export interface SessionRoles {
  readonly globalRoles: readonly string[];
  readonly workspaces: readonly { readonly name: string; readonly role: string }[];
}

/**
 * The workspaces in which a user may use a page (empty for global permissions: use `mayOpen`).
 * @param page - the page
 * @param session - the user's roles
 */
export function workspacesFor(page: DashboardPage, session: SessionRoles): string[] {
  const spec: PermissionSpec = PERMISSIONS[page.permission];
  if (spec.scope !== 'workspace') {
    return [];
  }
  const names = session.workspaces.filter((w) => (spec.roles as readonly string[]).includes(w.role)).map((w) => w.name);
  return [...new Set(names)].sort();
}

/**
 * Whether a user may open a page: a role granting its permission where the permission applies.
 * @param page - the page
 * @param session - the user's roles
 */
export function mayOpen(page: DashboardPage, session: SessionRoles): boolean {
  const spec: PermissionSpec = PERMISSIONS[page.permission];
  if (spec.scope === 'self') {
    return true;
  }
  if (spec.scope === 'global') {
    return session.globalRoles.some((r) => (spec.roles as readonly string[]).includes(r));
  }
  return workspacesFor(page, session).length > 0;
}

/**
 * The pages a user sees in the navigation.
 * @param session - the user's roles
 */
export function pagesFor(session: SessionRoles): DashboardPage[] {
  return DASHBOARD_PAGES.filter((p) => mayOpen(p, session));
}
