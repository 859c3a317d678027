import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { api, haven, startServer, stopServer, type DemoContext } from './demo-context.js';
import { onboard, saveCredentials, type DemoCredential } from './persona-onboarding.js';
import { generateFhirMessages, type SynthEncounterMessages } from '../../src/libs/synth/index.js';
import { APPROVE_STEP, SCORE_STEP, TRAIN_STEP } from './model-steps.js';

/** One step of the story: who does it, what they type (also in docs/guide.md), and the demo's run of it. */
export interface DemoStep {
  readonly persona: 'site admin' | 'data steward' | 'data scientist' | 'clinician' | 'CMIO' | 'auditor' | 'every persona';
  readonly title: string;
  /** The commands or curl calls a person types; docs/guide.md shows the same text (a test checks). */
  readonly shell: string;
  run(ctx: DemoContext): Promise<string>;
}

function expectStatus(actual: number, expected: number, what: string): void {
  if (actual !== expected) {
    throw new Error(`${what}: expected HTTP ${expected}, got ${actual}`);
  }
}

/** The demo workspace and who holds which role in it. */
export const DEMO_WORKSPACE = 'demo';
export const DEMO_PERSONAS = [
  { username: 'steward', globalRoles: [], role: 'data_steward' },
  { username: 'scientist', globalRoles: [], role: 'data_scientist' },
  { username: 'clinician', globalRoles: [], role: 'clinician' },
  { username: 'cmio', globalRoles: [], role: 'cmio' },
  { username: 'auditor', globalRoles: ['auditor'], role: null },
] as const;

const CURL = 'curl --cacert .haven-demo/tls/ca.pem';
const BASE = 'https://127.0.0.1:8443';

/** The demo's five synthetic patients (fixed seed, R4 Bundles); the clinician steps admit them and discharge three. */
const DEMO_ENCOUNTERS: readonly SynthEncounterMessages[] = [...generateFhirMessages({ rows: 5, seed: 2026, shape: 'bundle' })];

/** A password each demo persona "chooses" (random, so no demo password is ever reused). */
function choosePassword(): string {
  return `demo ${crypto.randomUUID()} Haven!`;
}

/** The story, in order. Each later issue adds its steps here and to docs/guide.md. */
export const DEMO_STEPS: readonly DemoStep[] = [
  {
    persona: 'site admin',
    title: 'Initialise a data directory (keys, TLS certificate, ledger, first admin)',
    shell: './haven init --data-dir .haven-demo',
    async run(ctx) {
      const out = await haven(['init', '--data-dir', ctx.dataDir, '--force']);
      const password = /password \(shown once[^)]*\): (\S+)/.exec(out)?.[1];
      if (!password) {
        throw new Error('init printed no first admin password');
      }
      ctx.adminPassword = password;
      return out.replace(password, `${password.slice(0, 4)}… (the demo keeps it in memory)`);
    },
  },
  {
    persona: 'site admin',
    title: 'Check the security posture',
    shell: './haven doctor --data-dir .haven-demo',
    run: (ctx) => haven(['doctor', '--data-dir', ctx.dataDir]),
  },
  {
    persona: 'site admin',
    title: 'Start the HTTPS server on loopback',
    shell: './haven serve --data-dir .haven-demo --port 8443',
    async run(ctx) {
      return `listening on ${await startServer(ctx)}`;
    },
  },
  {
    persona: 'site admin',
    title: 'Health check over HTTPS, trusting only the instance CA; everything else needs credentials',
    shell: `${CURL} ${BASE}/health\n${CURL} ${BASE}/api/session`,
    async run(ctx) {
      const health = await api(ctx, 'GET', '/health');
      expectStatus(health.status, 200, 'health');
      const anon = await api(ctx, 'GET', '/api/session');
      expectStatus(anon.status, 401, 'anonymous session');
      return `${JSON.stringify(health.body)}\nHTTP ${anon.status} ${JSON.stringify(anon.body)}`;
    },
  },
  {
    persona: 'site admin',
    title: 'First login: change the generated password, enrol TOTP, exchange password + TOTP for an API token',
    shell: [
      `${CURL} -c jar -H 'content-type: application/json' -d '{"username":"admin","password":"<generated>"}' ${BASE}/api/auth/login`,
      `${CURL} -b jar -c jar -H "x-csrf-token: $CSRF" -H 'content-type: application/json' -d '{"currentPassword":"<generated>","newPassword":"<yours>"}' ${BASE}/api/auth/password`,
      `${CURL} -b jar -H "x-csrf-token: $CSRF" -H 'content-type: application/json' -d '{}' ${BASE}/api/auth/mfa/totp/enrol`,
      `${CURL} -b jar -c jar -H "x-csrf-token: $CSRF" -H 'content-type: application/json' -d '{"code":"<6 digits>"}' ${BASE}/api/auth/mfa/totp/confirm`,
      `${CURL} -H 'content-type: application/json' -d '{"username":"admin","password":"<yours>","code":"<6 digits>"}' ${BASE}/api/auth/token`,
    ].join('\n'),
    async run(ctx) {
      const cred = await onboard(ctx, 'admin', ctx.adminPassword, choosePassword());
      return `admin: password changed, TOTP enrolled (10 recovery codes issued), token ${cred.token.slice(0, 8)}…`;
    },
  },
  {
    persona: 'site admin',
    title: 'Create the demo workspace and the five other personas, each with least privilege',
    shell: [
      `${CURL} -H "Authorization: Bearer $ADMIN_TOKEN" -H 'content-type: application/json' -d '{"name":"demo"}' ${BASE}/api/workspaces`,
      `${CURL} -H "Authorization: Bearer $ADMIN_TOKEN" -H 'content-type: application/json' -d '{"username":"steward"}' ${BASE}/api/users`,
      `${CURL} -H "Authorization: Bearer $ADMIN_TOKEN" -H 'content-type: application/json' -d '{"username":"steward","role":"data_steward"}' ${BASE}/api/workspaces/demo/members`,
    ].join('\n'),
    async run(ctx) {
      const token = ctx.tokens.get('admin')!;
      expectStatus((await api(ctx, 'POST', '/api/workspaces', { token, json: { name: DEMO_WORKSPACE } })).status, 201, 'create workspace');
      const lines: string[] = [`workspace ${DEMO_WORKSPACE} created`];
      ctx.generatedPasswords.clear();
      for (const p of DEMO_PERSONAS) {
        const created = await api(ctx, 'POST', '/api/users', { token, json: { username: p.username, globalRoles: [...p.globalRoles] } });
        expectStatus(created.status, 201, `create user ${p.username}`);
        ctx.generatedPasswords.set(p.username, (created.body as { password: string }).password);
        if (p.role) {
          expectStatus(
            (await api(ctx, 'POST', `/api/workspaces/${DEMO_WORKSPACE}/members`, { token, json: { username: p.username, role: p.role } })).status,
            204,
            `add ${p.username}`,
          );
        }
        lines.push(`${p.username}: ${p.role ? `${p.role} in ${DEMO_WORKSPACE}` : p.globalRoles.join(', ')}`);
      }
      return lines.join('\n');
    },
  },
  {
    persona: 'every persona',
    title: 'Each persona logs in for the first time: new password, TOTP, own API token',
    shell: `${CURL} -H 'content-type: application/json' -d '{"username":"clinician","password":"<yours>","code":"<6 digits>"}' ${BASE}/api/auth/token`,
    async run(ctx) {
      const creds: DemoCredential[] = [];
      for (const p of DEMO_PERSONAS) {
        creds.push(await onboard(ctx, p.username, ctx.generatedPasswords.get(p.username)!, choosePassword()));
      }
      const file = saveCredentials(ctx, creds);
      return `${creds.map((c) => c.username).join(', ')} enrolled; credentials for the demo in ${file} (0600)`;
    },
  },
  {
    persona: 'every persona',
    title: 'Least privilege: each persona sees only what its role allows',
    shell: `${CURL} -H "Authorization: Bearer $CLINICIAN_TOKEN" ${BASE}/api/session\n${CURL} -H "Authorization: Bearer $CLINICIAN_TOKEN" ${BASE}/api/audit/verify`,
    async run(ctx) {
      const lines: string[] = [];
      for (const name of ['admin', ...DEMO_PERSONAS.map((p) => p.username)]) {
        const token = ctx.tokens.get(name)!;
        const who = (await api(ctx, 'GET', '/api/session', { token })).body as { globalRoles: string[]; workspaces: { name: string; role: string }[] };
        const audit = await api(ctx, 'GET', '/api/audit/verify', { token });
        const users = await api(ctx, 'GET', '/api/users', { token });
        const roles = [...who.globalRoles, ...who.workspaces.map((w) => `${w.role}@${w.name}`)].join(', ');
        lines.push(`${name.padEnd(10)} roles: ${roles.padEnd(24)} audit/verify: HTTP ${audit.status}   users: HTTP ${users.status}`);
      }
      return lines.join('\n');
    },
  },
  {
    persona: 'data steward',
    title: 'Import a CSV of hospital stays: every column classified, identifiers encrypted, bad rows quarantined',
    shell: [
      './haven generate stays --rows 5000 --seed 7 --out stays.csv',
      `${CURL} -H "Authorization: Bearer $STEWARD_TOKEN" -H 'content-type: text/csv' --data-binary @stays.csv ${BASE}/api/workspaces/demo/datasets/stays/imports`,
    ].join('\n'),
    async run(ctx) {
      const file = join(ctx.dataDir, '..', '.haven-demo-stays.csv');
      rmSync(file, { force: true });
      await haven(['generate', 'stays', '--rows', '5000', '--seed', '7', '--out', file]);
      const r = await api(ctx, 'POST', `/api/workspaces/${DEMO_WORKSPACE}/datasets/stays/imports`, {
        token: ctx.tokens.get('steward')!,
        file: { path: file, contentType: 'text/csv' },
      });
      rmSync(file, { force: true });
      expectStatus(r.status, 201, 'import');
      const report = r.body as {
        version: number;
        rowsRead: number;
        rowsStored: number;
        rowsQuarantined: number;
        sha256: string;
        classification: { column: string; label: string; kind?: string; confidence: number }[];
        handling: { column: string; action: string }[];
      };
      const lines = [
        `version ${report.version}: ${report.rowsRead} rows read = ${report.rowsStored} stored + ${report.rowsQuarantined} quarantined; sha256 ${report.sha256.slice(0, 16)}…`,
      ];
      for (const c of report.classification) {
        const action = report.handling.find((h) => h.column === c.column)?.action ?? '?';
        lines.push(
          `  ${c.column.padEnd(28)} ${`${c.label}${c.kind ? `/${c.kind}` : ''}`.padEnd(36)} ${action.padEnd(12)} confidence ${c.confidence.toFixed(2)}`,
        );
      }
      return lines.join('\n');
    },
  },
  {
    persona: 'data steward',
    title: 'Review and publish the version for training',
    shell: `${CURL} -X POST -H "Authorization: Bearer $STEWARD_TOKEN" ${BASE}/api/workspaces/demo/datasets/stays/versions/1/publish`,
    async run(ctx) {
      const r = await api(ctx, 'POST', `/api/workspaces/${DEMO_WORKSPACE}/datasets/stays/versions/1/publish`, { token: ctx.tokens.get('steward')! });
      expectStatus(r.status, 200, 'publish');
      return JSON.stringify(r.body);
    },
  },
  {
    persona: 'data scientist',
    title: 'The data scientist sees the pseudonymised view: no names, no dates, join keys pseudonymised',
    shell: `${CURL} -H "Authorization: Bearer $SCIENTIST_TOKEN" '${BASE}/api/workspaces/demo/datasets/stays/versions/1/rows?limit=2'`,
    async run(ctx) {
      const r = await api(ctx, 'GET', `/api/workspaces/${DEMO_WORKSPACE}/datasets/stays/versions/1/rows?limit=2`, { token: ctx.tokens.get('scientist')! });
      expectStatus(r.status, 200, 'rows');
      const body = r.body as { columns: string[]; rows: { rowNo: number; values: Record<string, string> }[] };
      return [`columns: ${body.columns.join(', ')}`, ...body.rows.map((row) => `row ${row.rowNo}: ${JSON.stringify(row.values)}`)].join('\n');
    },
  },
  TRAIN_STEP,
  APPROVE_STEP,
  {
    persona: 'clinician',
    title: 'Admit five patients from FHIR R4 admission messages: names encrypted, each scored at once with the approved model',
    shell: [
      `${CURL} -H "Authorization: Bearer $CLINICIAN_TOKEN" -H 'content-type: application/json' --data-binary @admit.json ${BASE}/api/workspaces/demo/admissions`,
      `${CURL} -H "Authorization: Bearer $CLINICIAN_TOKEN" ${BASE}/api/workspaces/demo/encounters/1000001`,
    ].join('\n'),
    async run(ctx) {
      const token = ctx.tokens.get('clinician')!;
      const lines: string[] = [];
      for (const m of DEMO_ENCOUNTERS) {
        const r = await api(ctx, 'POST', `/api/workspaces/${DEMO_WORKSPACE}/admissions`, { token, json: m.admission });
        expectStatus(r.status, 201, 'admission');
        const {
          encounter,
          record: rec,
          unknownCodes,
          notes,
          prediction: p,
        } = r.body as {
          encounter: { eid: number };
          record: Record<string, unknown>;
          unknownCodes: unknown[];
          notes: unknown[];
          prediction: {
            status: string;
            predictedLengthOfStay: number | null;
            interval: number[] | null;
            outOfDistribution: boolean;
            oodReasons: { feature: string | null; kind: string }[];
            errorCode: string | null;
          };
        };
        const predicted =
          p.status === 'scored'
            ? `predicted stay ${p.predictedLengthOfStay} days (${p.interval![0]}–${p.interval![1]})${p.outOfDistribution ? `, OUT OF DISTRIBUTION: ${p.oodReasons.map((x) => (x.feature ? `${x.feature} ${x.kind}` : x.kind)).join(', ')}` : ''}`
            : `not scored: ${String(p.errorCode)}`;
        lines.push(
          `encounter ${encounter.eid}: admitted ${String(rec.vdate)}, facility ${String(rec.facid)}, sodium ${Number(rec.sodium).toFixed(1)}; ${unknownCodes.length} unknown codes, ${notes.length} notes; ${predicted}`,
        );
      }
      const again = await api(ctx, 'POST', `/api/workspaces/${DEMO_WORKSPACE}/admissions`, { token, json: DEMO_ENCOUNTERS[0]!.admission });
      expectStatus(again.status, 409, 'second admission');
      lines.push(`admitting encounter ${DEMO_ENCOUNTERS[0]!.record.eid} again: HTTP ${again.status} ${(again.body as { error: { code: string } }).error.code}`);
      const scientist = await api(ctx, 'POST', `/api/workspaces/${DEMO_WORKSPACE}/admissions`, {
        token: ctx.tokens.get('scientist')!,
        json: DEMO_ENCOUNTERS[1]!.admission,
      });
      expectStatus(scientist.status, 403, 'scientist admission');
      lines.push(`the data scientist trying to admit: HTTP ${scientist.status}`);
      return lines.join('\n');
    },
  },
  {
    persona: 'clinician',
    title: 'Discharge three of them: the length of stay is computed from the stored admission; a second discharge is refused',
    shell: `${CURL} -H "Authorization: Bearer $CLINICIAN_TOKEN" -H 'content-type: application/json' --data-binary @discharge.json ${BASE}/api/workspaces/demo/discharges`,
    async run(ctx) {
      const token = ctx.tokens.get('clinician')!;
      const lines: string[] = [];
      for (const m of DEMO_ENCOUNTERS.slice(0, 3)) {
        const r = await api(ctx, 'POST', `/api/workspaces/${DEMO_WORKSPACE}/discharges`, { token, json: m.discharge });
        expectStatus(r.status, 200, 'discharge');
        const e = (r.body as { encounter: { eid: number; vdate: string; discharged: string; lengthofstay: number } }).encounter;
        const stored = await api(ctx, 'GET', `/api/workspaces/${DEMO_WORKSPACE}/encounters/${e.eid}`, { token });
        const p = (stored.body as { prediction: { predictedLengthOfStay: number | null } | null }).prediction;
        lines.push(
          `encounter ${e.eid}: ${e.vdate} → ${e.discharged}, length of stay ${e.lengthofstay} days (predicted at admission: ${p?.predictedLengthOfStay ?? 'none'})`,
        );
      }
      const again = await api(ctx, 'POST', `/api/workspaces/${DEMO_WORKSPACE}/discharges`, { token, json: DEMO_ENCOUNTERS[0]!.discharge });
      expectStatus(again.status, 409, 'second discharge');
      lines.push(
        `discharging encounter ${DEMO_ENCOUNTERS[0]!.record.eid} again: HTTP ${again.status} ${(again.body as { error: { code: string } }).error.code}`,
      );
      return lines.join('\n');
    },
  },
  SCORE_STEP,
  {
    persona: 'CMIO',
    title: 'Open the dashboard: the CMIO sees length of stay under disclosure control, the clinician the patients',
    shell: `open ${BASE}/app/   # sign in with your password and TOTP code`,
    async run(ctx) {
      const lines = [`dashboard: ${BASE}/app/ (sign in with the persona's password and TOTP code)`];
      const cmio = await api(ctx, 'GET', `/api/workspaces/${DEMO_WORKSPACE}/reports/predicted-stay`, { token: ctx.tokens.get('cmio')! });
      expectStatus(cmio.status, 200, 'CMIO predicted stay');
      const r = cmio.body as { inHospital: { status: string; patients?: { count: number | null } } };
      lines.push(
        `CMIO, patients in hospital: ${r.inHospital.status === 'released' ? (r.inHospital.patients?.count ?? 'withheld') : 'refused (fewer than 10 patients could identify them)'}`,
      );
      const doc = await api(ctx, 'GET', `/api/workspaces/${DEMO_WORKSPACE}/reports/predicted-stay/patients`, { token: ctx.tokens.get('clinician')! });
      expectStatus(doc.status, 200, 'clinician patients');
      const list = doc.body as { inHospital: { eid: number; predicted: number | null }[] };
      lines.push(`clinician, patients in hospital: ${list.inHospital.map((p) => `${p.eid} (predicted ${p.predicted ?? '–'} days)`).join(', ')}`);
      const steward = await api(ctx, 'GET', `/api/workspaces/${DEMO_WORKSPACE}/reports/actual-stay`, { token: ctx.tokens.get('steward')! });
      lines.push(`the data steward asking for the actual-stay report: HTTP ${steward.status}`);
      return lines.join('\n');
    },
  },
  {
    persona: 'auditor',
    title: 'Verify the ledger over the API',
    shell: `${CURL} -H "Authorization: Bearer $AUDITOR_TOKEN" ${BASE}/api/audit/verify`,
    async run(ctx) {
      const r = await api(ctx, 'GET', '/api/audit/verify', { token: ctx.tokens.get('auditor')! });
      expectStatus(r.status, 200, 'audit verify');
      if ((r.body as { ok?: boolean }).ok !== true) {
        throw new Error('ledger did not verify');
      }
      return JSON.stringify(r.body);
    },
  },
  {
    persona: 'auditor',
    title: 'Stop the server and verify the whole ledger offline',
    shell: './haven audit verify --data-dir .haven-demo',
    async run(ctx) {
      await stopServer(ctx);
      return haven(['audit', 'verify', '--data-dir', ctx.dataDir]);
    },
  },
  {
    persona: 'auditor',
    title: 'The HIPAA §164.312 and SATRE evidence report, measured from the live instance',
    shell: './haven doctor --report --data-dir .haven-demo',
    async run(ctx) {
      return haven(['doctor', '--report', '--data-dir', ctx.dataDir]);
    },
  },
];
