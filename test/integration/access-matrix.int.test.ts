import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { PERMISSIONS, type PermissionSpec, type WorkspaceRole, type GlobalRole } from '../../src/services/access/policy.js';
import { createPersona, type Persona } from '../helpers/personas.js';
import { testStores } from '../helpers/stores.js';
import { buildTestApp, createTestInstance, type TestInstance } from '../helpers/test-instance.js';

/** The personas of the matrix: each global role, and each workspace role held in workspace "alpha" only. */
const CAST: readonly { name: string; global: readonly GlobalRole[]; role: WorkspaceRole | null }[] = [
  { name: 'm-admin', global: ['site_admin'], role: null },
  { name: 'm-auditor', global: ['auditor'], role: null },
  { name: 'm-steward', global: [], role: 'data_steward' },
  { name: 'm-scientist', global: [], role: 'data_scientist' },
  { name: 'm-clinician', global: [], role: 'clinician' },
  { name: 'm-cmio', global: [], role: 'cmio' },
];

/** What the policy table says a persona may do on a route, for its own workspace ("alpha") or another ("beta"). */
function expected(spec: PermissionSpec, who: (typeof CAST)[number], workspaceRoute: boolean, own: boolean): 'allow' | 'forbid' | 'hide' {
  if (workspaceRoute) {
    if (!own || who.role === null) {
      return 'hide';
    }
    return spec.roles.includes(who.role) ? 'allow' : 'forbid';
  }
  if (spec.scope === 'self') {
    return 'allow';
  }
  return who.global.some((g) => spec.roles.includes(g)) ? 'allow' : 'forbid';
}

function concrete(url: string, workspaceParam: string | undefined, workspace: string): string {
  return url.replace(/:([A-Za-z_]+)/g, (_m, name: string) => (name === workspaceParam ? workspace : name === 'id' ? '00000000-0000-4000-8000-000000000000' : 'nobody'));
}

for (const store of testStores()) {
  describe(`generated access matrix: every route × every role × own/other workspace × anonymous [${store.name}]`, () => {
    let t: TestInstance;
    let app: FastifyInstance;
    const people = new Map<string, Persona>();
    beforeAll(async () => {
      t = await createTestInstance(store);
      app = await buildTestApp(t);
      for (const c of CAST) {
        people.set(c.name, await createPersona(t.instance, c.name, { globalRoles: c.global, memberships: c.role ? [{ workspace: 'alpha', role: c.role }] : [] }));
      }
      await createPersona(t.instance, 'm-other', { memberships: [{ workspace: 'beta', role: 'data_steward' }] });
    });
    afterAll(async () => {
      await app.close();
      await t.cleanup();
      await store.cleanup();
    });

    it('answers every cell as the policy table says', async () => {
      const routes = app.havenRoutes.filter((r) => !r.access?.public && r.method !== 'HEAD');
      expect(routes.length).toBeGreaterThan(10);
      const cells: { key: string; requestId: string; expect: 'allow' | 'forbid' | 'hide'; status: number; code: string | undefined }[] = [];
      for (const r of routes) {
        const access = r.access!;
        if (access.public) {
          continue;
        }
        const spec: PermissionSpec = PERMISSIONS[access.permission];
        const wsParam = access.workspaceParam;
        for (const ws of wsParam ? ['alpha', 'beta'] : ['-']) {
          const url = concrete(r.url, wsParam, ws);
          const anon = await app.inject({ method: r.method as 'GET', url });
          expect(anon.statusCode, `anonymous ${r.method} ${url}`).toBe(401);
          for (const c of CAST) {
            const res = await app.inject({ method: r.method as 'GET', url, headers: { authorization: `Bearer ${people.get(c.name)!.token}` } });
            const body = String(res.headers['content-type']).startsWith('application/json') && res.body ? (JSON.parse(res.body) as { error?: { code: string } }) : {};
            cells.push({
              key: `${c.name} ${r.method} ${url}`,
              requestId: String(res.headers['x-request-id']),
              expect: expected(spec, c, wsParam !== undefined, ws === 'alpha'),
              status: res.statusCode,
              code: body.error?.code,
            });
          }
        }
      }
      const outcomes = new Map((await t.instance.storage.read.audit.page(0, 100_000)).filter((e) => e.action === 'http.request').map((e) => [e.requestId, e.outcome]));
      for (const cell of cells) {
        const outcome = outcomes.get(cell.requestId);
        if (cell.expect === 'allow') {
          expect(outcome, cell.key).not.toBe('denied');
          expect([401, 403], cell.key).not.toContain(cell.status);
        } else if (cell.expect === 'forbid') {
          expect([cell.status, cell.code, outcome], cell.key).toEqual([403, 'HAVEN_AUTH_FORBIDDEN', 'denied']);
        } else {
          expect([cell.status, cell.code, outcome], cell.key).toEqual([404, 'HAVEN_HTTP_NOT_FOUND', 'denied']);
        }
      }
      expect(cells.filter((c) => c.expect === 'allow').length).toBeGreaterThan(10);
      expect(cells.filter((c) => c.expect === 'forbid').length).toBeGreaterThan(10);
      expect(cells.filter((c) => c.expect === 'hide').length).toBeGreaterThan(0);
    });
  });
}
