import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../config/validate.js';
import type { HavenConfig } from '../../../config/schema.js';
import { CONTROLS, OUT_OF_SCOPE } from './control-catalogue.js';
import { buildEvidenceDocument } from './evaluate-controls.js';
import type { EvidenceFacts } from './evidence-facts.js';
import { databaseLinkOf } from './gather-evidence.js';
import { policyFacts } from './gather-identity-facts.js';

function config(values: Record<string, unknown> = {}): HavenConfig {
  const r = resolveConfig(values, {});
  if (!r.config) {
    throw new Error(JSON.stringify(r.problems));
  }
  return r.config;
}

/** A healthy instance, as facts. Each test changes one thing. */
function healthy(over: Partial<EvidenceFacts> = {}): EvidenceFacts {
  return {
    generatedAt: '2026-01-01T00:00:00.000Z',
    instanceId: 'i-1',
    havenVersion: '0.1.0',
    store: 'sqlite',
    config: config(),
    posture: [{ id: 'tls.enabled', ok: true, message: 'HTTPS only' }],
    certificate: { present: true, keyPresent: true, notAfter: '2026-03-02T00:00:00.000Z' },
    databaseLink: 'embedded',
    accounts: {
      total: 4,
      active: 3,
      disabled: 1,
      activeWithMfa: 3,
      activeAwaitingFirstSignIn: 0,
      activeWithoutMfaOther: 0,
      namesBreakingRule: 0,
      caseInsensitiveDuplicates: 0,
      unknownGlobalRoleGrants: 0,
      activeSiteAdmins: 1,
      readySiteAdmins: 1,
      activeAuditors: 1,
      activeAdminsAlsoAuditors: 0,
      passwordHashes: { strong: 3, weak: 0, ssoOnly: 0, unrecognised: 0 },
    },
    tokens: { active: 2, activeWithoutMfa: 0, activeBeyondMaxLifetime: 0, activeOfDisabledAccounts: 0, longestRemainingDays: 89 },
    workspaces: { active: 2, deleted: 0, memberships: 3, unknownRoleMemberships: 0, membershipsOfDisabledAccounts: 0 },
    datasets: {
      datasets: 1,
      versions: 2,
      byStatus: { importing: 0, ready: 1, published: 1, failed: 0 },
      withoutContentHash: 0,
      unreconciled: 0,
      workspacesWithData: 1,
      workspacesWithDataWithoutKek: 0,
    },
    keys: {
      keystore: { state: 'present', provider: 'local', rootVersion: 1, problem: null },
      versions: { active: 5, retired: 1, destroyed: 0 },
      activeWorkspaceKeks: 1,
      systemKekActive: true,
      activeDataKeys: 3,
    },
    ledger: {
      verified: true,
      entries: 120,
      headSeq: 120,
      checkpoints: 2,
      firstBad: null,
      error: null,
      lastCheckpoint: { seq: 100, ts: '2025-12-31T00:00:00.000Z', keyId: 'abcd' },
      mirroredCheckpointSeq: 100,
      checkpointInterval: 100,
      outcomes: { success: 110, failure: 5, denied: 5 },
      dataAccessEvents: 12,
    },
    policy: policyFacts(),
    ...over,
  };
}

const statusOf = (f: EvidenceFacts): Record<string, string> => Object.fromEntries(buildEvidenceDocument(f).controls.map((c) => [c.id, c.status]));
const failing = (f: EvidenceFacts): string[] =>
  buildEvidenceDocument(f)
    .controls.filter((c) => c.status === 'fail')
    .map((c) => c.id)
    .sort();

describe('evidence controls', () => {
  it('a healthy instance passes every control; the database link is not applicable for embedded SQLite', () => {
    const doc = buildEvidenceDocument(healthy());
    expect(doc.controls.map((c) => c.id)).toEqual(CONTROLS.map((c) => c.id));
    expect(failing(healthy())).toEqual([]);
    expect(doc.controls.filter((c) => c.status === 'not-applicable').map((c) => c.id)).toEqual(['satre.2.5.14']);
    expect(doc.summary).toEqual({ total: CONTROLS.length, pass: CONTROLS.length - 1, fail: 0, notApplicable: 1 });
    expect(statusOf(healthy())['hipaa.164.312.e']).toBe('pass');
    expect(doc.outOfScope).toBe(OUT_OF_SCOPE);
  });

  it('every control has evidence, and the ids are unique', () => {
    const doc = buildEvidenceDocument(healthy());
    expect(new Set(doc.controls.map((c) => c.id)).size).toBe(doc.controls.length);
    for (const c of doc.controls) {
      expect(c.evidence.length, c.id).toBeGreaterThan(0);
      expect(new Set(c.evidence.map((e) => e.id)).size, c.id).toBe(c.evidence.length);
    }
  });

  it('an account without MFA fails the authentication and MFA controls only', () => {
    const f = healthy({ accounts: { ...healthy().accounts, activeWithMfa: 2, activeWithoutMfaOther: 1 } });
    expect(failing(f)).toEqual(['hipaa.164.312.d', 'satre.1.5.5', 'satre.3.2.4']);
    const d = buildEvidenceDocument(f).controls.find((c) => c.id === 'satre.3.2.4')!;
    expect(d.summary).toContain('1 active account(s) without MFA');
    expect(d.evidence.find((e) => e.id === 'accounts.without_mfa_other')?.value).toBe(1);
  });

  it('an account awaiting its first sign-in counts as without MFA too', () => {
    expect(failing(healthy({ accounts: { ...healthy().accounts, activeWithMfa: 2, activeAwaitingFirstSignIn: 1 } }))).toEqual([
      'hipaa.164.312.d',
      'satre.1.5.5',
      'satre.3.2.4',
    ]);
  });

  it('a token issued without MFA fails MFA', () => {
    expect(failing(healthy({ tokens: { ...healthy().tokens, activeWithoutMfa: 1 } }))).toContain('satre.3.2.4');
  });

  it('TLS off fails transmission security and SATRE 2.5.13; an expired certificate too', () => {
    expect(failing(healthy({ config: config({ server: { tls: false, allowPlainHttp: true } }), certificate: null }))).toEqual([
      'hipaa.164.312.e',
      'satre.2.5.13',
    ]);
    expect(failing(healthy({ certificate: { present: true, keyPresent: true, notAfter: '2025-12-01T00:00:00.000Z' } }))).toEqual([
      'hipaa.164.312.e',
      'satre.2.5.13',
    ]);
  });

  it('a remote database without TLS fails; with sslmode it passes', () => {
    expect(failing(healthy({ store: 'postgres', databaseLink: 'unencrypted' }))).toEqual(['hipaa.164.312.e', 'satre.2.5.14']);
    expect(statusOf(healthy({ store: 'postgres', databaseLink: 'tls' }))['satre.2.5.14']).toBe('pass');
  });

  it('a broken ledger fails audit, integrity, usage and data-access records', () => {
    const f = healthy({ ledger: { ...healthy().ledger, verified: false, firstBad: { seq: 7, fault: 'hash_mismatch' } } });
    expect(failing(f)).toEqual(['hipaa.164.312.b', 'hipaa.164.312.c', 'satre.2.2.14', 'satre.2.2.15']);
    expect(buildEvidenceDocument(f).controls.find((c) => c.id === 'hipaa.164.312.b')!.summary).toContain('entry 7 (hash_mismatch)');
  });

  it('a missing checkpoint mirror fails audit controls', () => {
    expect(failing(healthy({ ledger: { ...healthy().ledger, mirroredCheckpointSeq: null } }))).toContain('hipaa.164.312.b');
  });

  it('no key hierarchy fails encryption and key management', () => {
    const f = healthy({ keys: { ...healthy().keys, keystore: { state: 'absent', provider: null, rootVersion: null, problem: null }, systemKekActive: false } });
    expect(failing(f)).toEqual(['hipaa.164.312.a.2.iv', 'satre.2.5.12', 'satre.2.5.16']);
  });

  it('a workspace holding data without its own key fails encryption and isolation', () => {
    const f = healthy({ datasets: { ...healthy().datasets, workspacesWithDataWithoutKek: 1 } });
    expect(failing(f)).toEqual(['hipaa.164.312.a.1', 'hipaa.164.312.a.2.iv', 'satre.2.1.8', 'satre.2.5.12', 'satre.3.2.3']);
  });

  it('long sessions fail automatic logoff', () => {
    expect(failing(healthy({ config: config({ identity: { sessionIdleMinutes: 240 } }) }))).toEqual(['hipaa.164.312.a.2.iii']);
    expect(failing(healthy({ config: config({ identity: { sessionAbsoluteHours: 24 } }) }))).toEqual(['hipaa.164.312.a.2.iii']);
  });

  it('weak password hashing fails authentication', () => {
    expect(failing(healthy({ config: config({ identity: { passwordHashMemoryKiB: 1024, passwordHashIterations: 1 } }) }))).toEqual([
      'hipaa.164.312.d',
      'satre.1.5.5',
    ]);
    expect(failing(healthy({ accounts: { ...healthy().accounts, passwordHashes: { strong: 2, weak: 1, ssoOnly: 0, unrecognised: 0 } } }))).toEqual([
      'hipaa.164.312.d',
      'satre.1.5.5',
    ]);
  });

  it('no ready site admin fails emergency access', () => {
    expect(failing(healthy({ accounts: { ...healthy().accounts, readySiteAdmins: 0 } }))).toEqual(['hipaa.164.312.a.2.ii']);
  });

  it('confusable account names fail unique identification', () => {
    expect(failing(healthy({ accounts: { ...healthy().accounts, caseInsensitiveDuplicates: 2, namesBreakingRule: 1 } }))).toEqual([
      'hipaa.164.312.a.2.i',
      'satre.1.5.6',
    ]);
  });

  it('a policy giving a global role data access fails access control, isolation and egress', () => {
    const policy = { ...policyFacts(), globalRolesInWorkspacePermissions: ['auditor'] };
    expect(failing(healthy({ policy }))).toEqual(['hipaa.164.312.a.1', 'satre.1.5.3', 'satre.2.1.8', 'satre.3.1.12', 'satre.3.2.3']);
  });

  it('unknown role grants fail role-based access', () => {
    expect(failing(healthy({ workspaces: { ...healthy().workspaces, unknownRoleMemberships: 1 } }))).toEqual(['hipaa.164.312.a.1', 'satre.1.5.3']);
  });

  it('an unreconciled dataset version fails integrity', () => {
    expect(failing(healthy({ datasets: { ...healthy().datasets, unreconciled: 1 } }))).toEqual(['hipaa.164.312.c']);
  });

  it('a posture problem fails configuration verification and names it', () => {
    const f = healthy({ posture: [{ id: 'datadir.permissions', ok: false, message: 'data directory is accessible to others' }] });
    expect(failing(f)).toEqual(['satre.2.4.3']);
    expect(buildEvidenceDocument(f).controls.find((c) => c.id === 'satre.2.4.3')!.summary).toContain('datadir.permissions');
  });

  it('the live policy gives global roles no data permissions', () => {
    const p = policyFacts();
    expect(p.globalRolesInWorkspacePermissions).toEqual([]);
    expect(p.dataPermissionsOutsideWorkspaces).toEqual([]);
    expect(p.workspacePermissions).toBeGreaterThan(3);
  });
});

describe('database link', () => {
  const link = (url: string | undefined) => databaseLinkOf(config(url ? { database: { url } } : {}));
  it('classifies embedded, loopback, TLS and plain remote links', () => {
    expect(link(undefined)).toBe('embedded');
    expect(link('postgres://haven@127.0.0.1:5432/haven')).toBe('loopback');
    expect(link('postgres://haven@[::1]/haven')).toBe('loopback');
    expect(link('postgres://haven@localhost/haven')).toBe('loopback');
    expect(link('postgres://haven@db.example.org/haven?sslmode=verify-full')).toBe('tls');
    expect(link('postgres://haven@db.example.org/haven')).toBe('unencrypted');
    expect(link('postgres://haven@db.example.org/haven?sslmode=disable')).toBe('unencrypted');
  });
});
