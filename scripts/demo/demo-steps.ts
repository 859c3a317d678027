import { api, haven, startServer, stopServer, type DemoContext } from './demo-context.js';

/** One step of the story: who does it, what they type (also in docs/guide.md), and the demo's run of it. */
export interface DemoStep {
  readonly persona: 'site admin' | 'data steward' | 'data scientist' | 'clinician' | 'CMIO' | 'auditor';
  readonly title: string;
  /** The command or curl call a person types; docs/guide.md shows the same text (a test checks). */
  readonly shell: string;
  run(ctx: DemoContext): Promise<string>;
}

function expectStatus(actual: number, expected: number, what: string): void {
  if (actual !== expected) {
    throw new Error(`${what}: expected HTTP ${expected}, got ${actual}`);
  }
}

/** The story, in order. Each later issue adds its steps here and to docs/guide.md. */
export const DEMO_STEPS: readonly DemoStep[] = [
  {
    persona: 'site admin',
    title: 'Initialise a data directory (keys, TLS certificate, ledger, bootstrap token)',
    shell: './haven init --data-dir .haven-demo',
    async run(ctx) {
      const out = await haven(['init', '--data-dir', ctx.dataDir, '--force']);
      const token = /(hvn_[A-Za-z0-9_-]{43})/.exec(out)?.[1];
      if (!token) {
        throw new Error('init printed no bootstrap token');
      }
      ctx.adminToken = token;
      return out.replace(token, `${token.slice(0, 8)}… (shown once; the demo keeps it in memory)`);
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
    title: 'Health check over HTTPS, trusting only the instance CA',
    shell: 'curl --cacert .haven-demo/tls/ca.pem https://127.0.0.1:8443/health',
    async run(ctx) {
      const r = await api(ctx, 'GET', '/health');
      expectStatus(r.status, 200, 'health');
      return JSON.stringify(r.body);
    },
  },
  {
    persona: 'site admin',
    title: 'Without a token, everything else is refused',
    shell: 'curl --cacert .haven-demo/tls/ca.pem https://127.0.0.1:8443/api/session',
    async run(ctx) {
      const r = await api(ctx, 'GET', '/api/session');
      expectStatus(r.status, 401, 'anonymous session');
      return `HTTP ${r.status} ${JSON.stringify(r.body)}`;
    },
  },
  {
    persona: 'site admin',
    title: 'With the bootstrap token',
    shell: 'curl --cacert .haven-demo/tls/ca.pem -H "Authorization: Bearer $HAVEN_TOKEN" https://127.0.0.1:8443/api/session',
    async run(ctx) {
      const r = await api(ctx, 'GET', '/api/session', { token: ctx.adminToken });
      expectStatus(r.status, 200, 'session');
      return JSON.stringify(r.body);
    },
  },
  {
    persona: 'auditor',
    title: 'Verify the ledger over the API',
    shell: 'curl --cacert .haven-demo/tls/ca.pem -H "Authorization: Bearer $HAVEN_TOKEN" https://127.0.0.1:8443/api/audit/verify',
    async run(ctx) {
      const r = await api(ctx, 'GET', '/api/audit/verify', { token: ctx.adminToken });
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
];
