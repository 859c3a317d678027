import { describe, expect, it } from 'vitest';
import { parseGroupMapping, planRoleSync } from './oidc-role-mapping.js';

describe('parseGroupMapping', () => {
  it('parses global and workspace entries', () => {
    expect(parseGroupMapping('[{"group":"g1","role":"site_admin"},{"group":"g2","workspace":"demo","role":"data_steward"}]')).toEqual([
      { group: 'g1', role: 'site_admin' },
      { group: 'g2', workspace: 'demo', role: 'data_steward' },
    ]);
    expect(parseGroupMapping(undefined)).toEqual([]);
  });
  it.each([
    ['not json', '{'],
    ['not an array', '{"group":"g","role":"auditor"}'],
    ['unknown role', '[{"group":"g","role":"root"}]'],
    ['workspace role without workspace', '[{"group":"g","role":"clinician"}]'],
    ['global role with a workspace', '[{"group":"g","role":"auditor","workspace":"demo"}]'],
    ['extra key', '[{"group":"g","role":"auditor","extra":1}]'],
    ['empty group', '[{"group":"","role":"auditor"}]'],
  ])('refuses %s with a coded error', (_name, json) => {
    expect(() => parseGroupMapping(json)).toThrow(expect.objectContaining({ code: 'HAVEN_SSO_CONFIG_INVALID' }));
  });
});

describe('planRoleSync', () => {
  const mapping = parseGroupMapping(
    JSON.stringify([
      { group: 'admins', role: 'site_admin' },
      { group: 'stewards', workspace: 'demo', role: 'data_steward' },
      { group: 'leads', workspace: 'demo', role: 'data_steward' },
    ]),
  );
  it('grants mapped roles for the groups held', () => {
    expect(planRoleSync(mapping, ['admins', 'stewards'], ['auditor'], [])).toEqual({
      globalRoles: ['auditor', 'site_admin'],
      grant: [{ workspace: 'demo', role: 'data_steward' }],
      revoke: [],
    });
  });
  it('revokes mapped roles whose groups are gone, and leaves unmapped roles alone', () => {
    const plan = planRoleSync(mapping, [], ['site_admin', 'auditor'], [
      { workspace: 'demo', role: 'data_steward' },
      { workspace: 'demo', role: 'clinician' },
      { workspace: 'other', role: 'data_steward' },
    ]);
    expect(plan).toEqual({ globalRoles: ['auditor'], grant: [], revoke: [{ workspace: 'demo', role: 'data_steward' }] });
  });
  it('keeps a role any one of its groups still grants, without granting it twice', () => {
    expect(planRoleSync(mapping, ['leads'], [], [{ workspace: 'demo', role: 'data_steward' }])).toEqual({ globalRoles: [], grant: [], revoke: [] });
  });
});
