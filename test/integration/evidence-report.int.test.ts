import { chmodSync, existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import { evidenceReportOf } from '../../src/composition/evidence-report.js';
import { runCli } from '../../src/faces/cli/main.js';
import type { EvidenceDocument, ReportControl } from '../../src/libs/report/evidence-document.js';
import { renderEvidenceHtml } from '../../src/libs/report/evidence-html.js';
import { principalOf } from '../../src/services/identity/principal-factory.js';
import { createPersona } from '../helpers/personas.js';
import { rawSql } from '../helpers/raw-sql.js';
import { testStores, type TestStore } from '../helpers/stores.js';
import { buildTestApp, createTestInstance, type TestInstance, type TestInstanceOptions } from '../helpers/test-instance.js';

/** Production password-hashing cost, so the report judges real settings (the test default is cheap). */
const OWASP_HASHING = { passwordHashMemoryKiB: 19_456, passwordHashIterations: 2 };
const HOSTILE = '<script>alert(1)</script>';
const HOSTILE_FILE = '<img src=x onerror="alert(1)">';
const MFA_CONTROLS = ['hipaa.164.312.d', 'satre.1.5.5', 'satre.3.2.4'];

const byId = (doc: EvidenceDocument, id: string): ReportControl => doc.controls.find((c) => c.id === id)!;
const failing = (doc: EvidenceDocument): string[] =>
  doc.controls
    .filter((c) => c.status === 'fail')
    .map((c) => c.id)
    .sort();
const evidence = (doc: EvidenceDocument, control: string, item: string) => byId(doc, control).evidence.find((e) => e.id === item)?.value;

/** A fresh instance with keys and production hashing, as `haven init` makes it. */
async function freshInstance(store: TestStore, extra: TestInstanceOptions['config'] = {}): Promise<TestInstance> {
  return createTestInstance(store, { withKeys: true, config: { ...extra, identity: { ...OWASP_HASHING, ...extra['identity'] } } });
}

/** The operator retires the first admin after creating named accounts (it never signed in, so it has no MFA). */
async function disableFirstAdmin(t: TestInstance): Promise<void> {
  const read = t.instance.storage.read;
  const ops = (await read.users.byUsername('ops'))!;
  const actor = await principalOf(read, ops, { via: 'token', tokenScopes: null, tokenWorkspace: null, mfaAt: t.instance.clock.now().toISOString() });
  await t.instance.users.disable(actor, 'test', 'admin');
}

function cliIo() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), env: {} }, out, err };
}

beforeAll(() => {
  // The haven CLI and server run with umask 077 (main.ts); so does this process, or SQLite's WAL files would be 0644.
  process.umask(0o077);
});

for (const store of testStores()) {
  describe(`evidence report from a live instance [${store.name}]`, () => {
    let t: TestInstance;
    afterEach(async () => {
      await t.cleanup();
    });
    afterAll(() => store.cleanup());

    it('a fresh instance passes every control except MFA, which fails until the first admin enrols', async () => {
      t = await freshInstance(store);
      const fresh = await evidenceReportOf(t.instance, {});
      expect(failing(fresh)).toEqual(MFA_CONTROLS);
      expect(evidence(fresh, 'satre.3.2.4', 'accounts.awaiting_first_sign_in')).toBe(1);
      expect(byId(fresh, 'satre.3.2.4').summary).toContain('1 active account(s) without MFA');

      await disableFirstAdmin(t);
      const doc = await evidenceReportOf(t.instance, {});
      expect(failing(doc)).toEqual([]);
      expect(byId(doc, 'satre.2.5.14').status).toBe(store.name === 'sqlite' ? 'not-applicable' : 'pass');
      expect(doc.summary.fail).toBe(0);
      expect(doc.store).toBe(store.name);
      expect(doc.instanceId).toMatch(/^[0-9a-f-]{36}$/);

      // The evidence is what the instance holds now.
      const head = await t.instance.storage.read.audit.head();
      const checkpoints = await t.instance.storage.read.audit.checkpoints();
      expect(evidence(doc, 'hipaa.164.312.b', 'ledger.verified')).toBe(true);
      expect(evidence(doc, 'hipaa.164.312.b', 'ledger.head_seq')).toBe(head.seq);
      expect(evidence(doc, 'hipaa.164.312.b', 'ledger.last_checkpoint_seq')).toBe(checkpoints.at(-1)!.seq);
      expect(evidence(doc, 'hipaa.164.312.b', 'ledger.mirrored_checkpoint_seq')).toBe(checkpoints.at(-1)!.seq);
      expect(evidence(doc, 'satre.2.5.16', 'keys.root_provider')).toBe('local');
      expect(evidence(doc, 'hipaa.164.312.a.2.iv', 'keys.system_kek_active')).toBe(true);
      expect(evidence(doc, 'hipaa.164.312.a.2.iii', 'config.identity.sessionIdleMinutes')).toBe(30);
      expect(evidence(doc, 'hipaa.164.312.a.2.iii', 'config.identity.tokenMaxDays')).toBe(365);
      expect(evidence(doc, 'hipaa.164.312.a.2.iii', 'tokens.active')).toBe(1);
      expect(evidence(doc, 'hipaa.164.312.d', 'config.identity.passwordHashMemoryKiB')).toBe(19_456);
      expect(evidence(doc, 'hipaa.164.312.d', 'accounts.hashes_strong')).toBe(1);
      expect(evidence(doc, 'hipaa.164.312.a.2.ii', 'accounts.site_admins_ready')).toBe(1);
      expect(evidence(doc, 'satre.3.2.4', 'accounts.active_with_mfa')).toBe(1);
      expect(evidence(doc, 'hipaa.164.312.e', 'config.server.tls')).toBe(true);
      expect(evidence(doc, 'hipaa.164.312.e', 'tls.days_left') as number).toBeGreaterThan(300);
      expect(evidence(doc, 'satre.2.4.3', 'posture.problems')).toBe(0);
    });

    describe('breaking something turns the matching control to fail', () => {
      beforeEach(async () => {
        t = await freshInstance(store);
        await disableFirstAdmin(t);
      });

      it('a user who has not enrolled MFA, and a user whose MFA was reset', async () => {
        await createPersona(t.instance, 'newcomer', { incomplete: true });
        const doc = await evidenceReportOf(t.instance, {});
        expect(failing(doc)).toEqual(MFA_CONTROLS);
        expect(evidence(doc, 'satre.3.2.4', 'accounts.awaiting_first_sign_in')).toBe(1);

        await createPersona(t.instance, 'reset-me');
        await rawSql(t, ["update app_user set totp_secret = null, mfa_enrolled_at = null, must_change_password = 0 where username = 'newcomer'"]);
        const after = await evidenceReportOf(t.instance, {});
        expect(evidence(after, 'satre.3.2.4', 'accounts.without_mfa_other')).toBe(1);
        expect(evidence(after, 'satre.3.2.4', 'accounts.awaiting_first_sign_in')).toBe(0);
        expect(failing(after)).toEqual(MFA_CONTROLS);
      });

      it('a tampered ledger row, named by sequence number', async () => {
        await rawSql(t, ["update audit_log set actor = 'mallory' where seq = 3"]);
        const doc = await evidenceReportOf(t.instance, {});
        expect(failing(doc)).toEqual(['hipaa.164.312.b', 'hipaa.164.312.c', 'satre.2.2.14', 'satre.2.2.15']);
        expect(evidence(doc, 'hipaa.164.312.b', 'ledger.verified')).toBe(false);
        expect(evidence(doc, 'hipaa.164.312.b', 'ledger.first_bad_seq')).toBe(3);
        expect(byId(doc, 'hipaa.164.312.b').summary).toContain('entry 3 (hash_mismatch)');
      });

      it('a deleted checkpoint mirror', async () => {
        rmSync(join(t.dataDir, 'audit/checkpoint.json'));
        const doc = await evidenceReportOf(t.instance, {});
        expect(failing(doc)).toEqual(['hipaa.164.312.b', 'satre.2.2.14', 'satre.2.2.15']);
        expect(byId(doc, 'hipaa.164.312.b').summary).toContain('checkpoint mirror');
      });

      it('a role the policy does not know, granted by writing the database', async () => {
        await createPersona(t.instance, 'member', { memberships: [{ workspace: 'alpha', role: 'data_scientist' }] });
        await rawSql(t, ["update membership set role = 'superuser' where workspace_id = 'ws-alpha'"]);
        const doc = await evidenceReportOf(t.instance, {});
        expect(failing(doc)).toEqual(['hipaa.164.312.a.1', 'satre.1.5.3']);
        expect(evidence(doc, 'satre.1.5.3', 'workspaces.unknown_role_memberships')).toBe(1);
      });

      it('an imported dataset whose counts were altered, and a workspace whose key was destroyed', async () => {
        const steward = await createPersona(t.instance, 'steward', { memberships: [{ workspace: 'alpha', role: 'data_steward' }] });
        const app = await buildTestApp(t);
        try {
          const res = await app.inject({
            method: 'POST',
            url: '/api/workspaces/alpha/datasets/stays/imports',
            headers: { authorization: `Bearer ${steward.token}`, 'content-type': 'text/csv' },
            payload: 'eid,First,Last,pulse\n1001,Ann,Lee,72\n1002,Bob,Ray,80\n',
          });
          expect(res.statusCode, res.body).toBe(201);
        } finally {
          await app.close();
        }
        const clean = await evidenceReportOf(t.instance, {});
        expect(failing(clean)).toEqual([]);
        expect(evidence(clean, 'hipaa.164.312.c', 'datasets.ready')).toBe(1);
        expect(evidence(clean, 'satre.2.2.15', 'ledger.data_access_events') as number).toBeGreaterThanOrEqual(2);
        expect(evidence(clean, 'hipaa.164.312.a.2.iv', 'keys.workspace_keks_active')).toBe(1);

        await rawSql(t, ['update dataset_version set rows_stored = rows_stored + 1']);
        expect(failing(await evidenceReportOf(t.instance, {}))).toEqual(['hipaa.164.312.c']);

        await rawSql(t, ["update key_version set state = 'destroyed', wrapped = null where workspace = 'ws-alpha' and purpose = 'workspace-kek'"]);
        expect(failing(await evidenceReportOf(t.instance, {}))).toEqual([
          'hipaa.164.312.a.1',
          'hipaa.164.312.a.2.iv',
          'hipaa.164.312.c',
          'satre.2.1.8',
          'satre.2.5.12',
          'satre.3.2.3',
        ]);
      });

      it('a hostile workspace name never reaches the report; a hostile file name is escaped in the HTML', async () => {
        await rawSql(t, [`insert into workspace (id, name, created_at) values ('ws-evil', '${HOSTILE}', '2026-01-01T00:00:00.000Z')`]);
        const file = join(t.dataDir, `${HOSTILE_FILE}.txt`);
        writeFileSync(file, 'x');
        chmodSync(file, 0o644);
        const doc = await evidenceReportOf(t.instance, {});
        expect(failing(doc)).toEqual(['satre.2.4.3']);
        expect(evidence(doc, 'satre.3.2.3', 'workspaces.active')).toBe(1);
        const json = JSON.stringify(doc);
        const html = renderEvidenceHtml(doc);
        // Names are never evidence: the workspace name appears nowhere; account names neither.
        expect(json).not.toContain(HOSTILE);
        expect(html).not.toContain('<script');
        expect(html).not.toContain('&lt;script');
        for (const name of ['ops', 'admin']) {
          expect(json).not.toMatch(new RegExp(`"${name}"`));
        }
        // The file name is a posture finding; in the page it is text, not markup.
        expect(evidence(doc, 'satre.2.4.3', 'posture.files.permissions')).toContain(HOSTILE_FILE);
        expect(html).not.toContain('<img');
        expect(html).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;.txt');
      });
    });

    it('an instance without a key hierarchy, serving plain HTTP with long sessions', async () => {
      t = await createTestInstance(store, {
        config: { server: { tls: false, allowPlainHttp: true }, identity: { ...OWASP_HASHING, sessionIdleMinutes: 240 } },
      });
      await disableFirstAdmin(t);
      const doc = await evidenceReportOf(t.instance, {});
      expect(failing(doc)).toEqual([
        'hipaa.164.312.a.2.iii',
        'hipaa.164.312.a.2.iv',
        'hipaa.164.312.e',
        'satre.2.4.3',
        'satre.2.5.12',
        'satre.2.5.13',
        'satre.2.5.16',
      ]);
      expect(evidence(doc, 'satre.2.5.12', 'keys.keystore')).toBe('absent');
      expect(evidence(doc, 'hipaa.164.312.e', 'config.server.tls')).toBe(false);
      expect(evidence(doc, 'hipaa.164.312.a.2.iii', 'config.identity.sessionIdleMinutes')).toBe(240);
    });
  });

  describe(`haven doctor --report and GET /api/posture/report [${store.name}]`, () => {
    let t: TestInstance;
    beforeAll(async () => {
      t = await freshInstance(store);
      await disableFirstAdmin(t);
    });
    afterAll(async () => {
      await t.cleanup();
      await store.cleanup();
    });

    it('writes report.json and report.html (0600) into <data-dir>/reports, prints the paths, exits 0; doctor stays clean', async () => {
      const { io, out } = cliIo();
      expect(await runCli(['doctor', '--data-dir', t.dataDir, '--report'], io)).toBe(0);
      const dir = join(t.dataDir, 'reports');
      expect(out).toContain(`wrote ${join(dir, 'report.json')}`);
      expect(out).toContain(`wrote ${join(dir, 'report.html')}`);
      expect(out[0]).toMatch(/^evidence report: \d+ passed, 0 failed, \d not applicable \(of \d+ controls\)$/);
      expect(readdirSync(dir).sort()).toEqual(['report.html', 'report.json']);
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      for (const f of ['report.json', 'report.html']) {
        expect(statSync(join(dir, f)).mode & 0o777).toBe(0o600);
      }
      const doc = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as EvidenceDocument;
      expect(doc.summary.fail).toBe(0);
      const html = readFileSync(join(dir, 'report.html'), 'utf8');
      for (const c of doc.controls) {
        expect(html).toContain(`id="c-${c.id}"`);
      }
      const doctor = cliIo();
      expect(await runCli(['doctor', '--data-dir', t.dataDir], doctor.io), doctor.out.join('\n')).toBe(0);
    });

    it('exits 3 with HAVEN_REPORT_CONTROLS_FAILED when a control fails, after writing the report into the given directory', async () => {
      await createPersona(t.instance, 'pending', { incomplete: true });
      const dir = join(t.dataDir, '..', 'elsewhere');
      const { io, out, err } = cliIo();
      expect(await runCli(['doctor', '--data-dir', t.dataDir, '--report', dir, '--json'], io)).toBe(3);
      expect(err.join('\n')).toContain('HAVEN_REPORT_CONTROLS_FAILED');
      const printed = JSON.parse(out.join('\n')) as { json: string; html: string; failed: string[]; summary: { fail: number } };
      expect(printed.failed.sort()).toEqual(MFA_CONTROLS);
      expect(printed.json).toBe(join(dir, 'report.json'));
      expect(existsSync(printed.html)).toBe(true);
      expect((JSON.parse(readFileSync(printed.json, 'utf8')) as EvidenceDocument).summary.fail).toBe(3);
    });

    it('a report directory that is a file, or lies under one, is a usage error, and nothing is written', async () => {
      const file = join(t.dataDir, '..', 'not-a-dir');
      writeFileSync(file, 'x');
      for (const target of [file, join(file, 'sub')]) {
        const { io, err } = cliIo();
        expect(await runCli(['doctor', '--data-dir', t.dataDir, '--report', target], io)).toBe(2);
        expect(err.join('\n')).toContain('HAVEN_REPORT_DIR_UNUSABLE');
      }
      expect(readFileSync(file, 'utf8')).toBe('x');
      expect(readdirSync(join(t.dataDir, '..')).filter((n) => n.includes('report'))).toEqual([]);
    });

    it('a missing data directory is a config error and creates no report', async () => {
      const missing = join(t.dataDir, '..', 'missing');
      const { io, err } = cliIo();
      expect(await runCli(['doctor', '--data-dir', missing, '--report'], io)).toBe(3);
      expect(err.join('\n')).toContain('HAVEN_DATADIR_MISSING');
      expect(existsSync(missing)).toBe(false);
    });

    it('the auditor reads the same report over the API; a data scientist may not', async () => {
      const auditor = await createPersona(t.instance, 'auditor1', { globalRoles: ['auditor'] });
      const scientist = await createPersona(t.instance, 'scientist1', { memberships: [{ workspace: 'alpha', role: 'data_scientist' }] });
      const app = await buildTestApp(t);
      try {
        const res = await app.inject({ method: 'GET', url: '/api/posture/report', headers: { authorization: `Bearer ${auditor.token}` } });
        expect(res.statusCode, res.body).toBe(200);
        const doc = res.json() as EvidenceDocument;
        const direct = await evidenceReportOf(t.instance, {});
        expect(doc.controls.map((c) => [c.id, c.status])).toEqual(direct.controls.map((c) => [c.id, c.status]));
        expect(doc.outOfScope.length).toBeGreaterThan(5);
        // Evidence values keep their types through the response schema.
        expect(evidence(doc, 'hipaa.164.312.b', 'ledger.verified')).toBe(true);
        expect(typeof evidence(doc, 'hipaa.164.312.b', 'ledger.head_seq')).toBe('number');
        expect(evidence(doc, 'satre.2.5.16', 'keys.root_provider')).toBe('local');
        const denied = await app.inject({ method: 'GET', url: '/api/posture/report', headers: { authorization: `Bearer ${scientist.token}` } });
        expect(denied.statusCode).toBe(403);
      } finally {
        await app.close();
      }
    });
  });
}
