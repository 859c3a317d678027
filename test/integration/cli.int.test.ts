import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, haven } from '../helpers/cli.js';
import { rawSql } from '../helpers/raw-sql.js';
import { testStores } from '../helpers/stores.js';

const root = mkdtempSync(join(tmpdir(), 'haven-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('haven CLI basics', () => {
  it('prints its version and help for every command', async () => {
    expect((await haven(['version'])).stdout).toMatch(/^haven \d+\.\d+\.\d+/);
    for (const cmd of [[], ['init'], ['serve'], ['doctor'], ['audit'], ['audit', 'verify'], ['audit', 'export']]) {
      const r = await haven([...cmd, '--help']);
      expect(r.code, cmd.join(' ')).toBe(0);
      expect(r.stdout).toContain('Usage: haven');
    }
  });

  it('unknown commands and missing --data-dir are usage errors (exit 2)', async () => {
    expect((await haven(['frobnicate'])).code).toBe(2);
    const r = await haven(['doctor']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('HAVEN_USAGE');
  });

  it('a missing data directory is a config error (exit 3), a corrupted one too', async () => {
    const missing = await haven(['audit', 'verify', '--data-dir', join(root, 'nope')]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('HAVEN_DATADIR_MISSING');
    const dir = join(root, 'corrupt');
    expect((await haven(['init', '--data-dir', dir])).code).toBe(0);
    rmSync(join(dir, 'keys/ledger-mac.key'));
    const corrupt = await haven(['audit', 'verify', '--data-dir', dir]);
    expect(corrupt.code).toBe(3);
    expect(corrupt.stderr).toContain('HAVEN_DATADIR_CORRUPT');
  });

  it('a damaged config file names every problem and exits 3', async () => {
    const dir = join(root, 'badconfig');
    await haven(['init', '--data-dir', dir]);
    writeFileSync(join(dir, 'haven.json'), JSON.stringify({ server: { port: -1, host: 7 }, extra: true }));
    const r = await haven(['serve', '--data-dir', dir]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('HAVEN_CONFIG_INVALID');
    for (const key of ['server.port', 'server.host', 'extra']) {
      expect(r.stderr).toContain(key);
    }
    writeFileSync(join(dir, 'haven.json'), '{not json');
    expect((await haven(['serve', '--data-dir', dir])).stderr).toContain('not valid JSON');
  });

  it('an unreachable database is a clear error (exit 9), not a hang', async () => {
    const dir = join(root, 'nodb');
    const r = await haven(['init', '--data-dir', dir, '--database-url', 'postgres://postgres@127.0.0.1:1/test']);
    expect(r.code).toBe(9);
    expect(r.stderr).toContain('HAVEN_STORE_UNAVAILABLE');
  });
});

for (const store of testStores()) {
  describe(`haven CLI on an instance [${store.name}]`, () => {
    const dir = join(root, `inst-${store.name}`);
    const env: Record<string, string> = { HAVEN_ROOT_PASSPHRASE: 'cli test root passphrase 12345' };
    let password = '';
    beforeAll(async () => {
      const cfg = store.config();
      const args = cfg.database ? ['--database-url', cfg.database.url, '--database-schema', cfg.database.schema] : [];
      const r = await haven(['init', '--data-dir', dir, ...args], env);
      expect(r.code, r.stderr).toBe(0);
      password = /password \(shown once[^)]*\): (\S+)/.exec(r.stdout)?.[1] ?? '';
    });
    afterAll(() => store.cleanup());

    it('init shows the first admin a generated password once and stores only its hash', async () => {
      expect(password.length).toBeGreaterThanOrEqual(24);
      const db = join(dir, 'haven.db');
      if (existsSync(db)) {
        expect(readFileSync(db).includes(Buffer.from(password))).toBe(false);
      }
      for (const f of ['haven.json', 'instance.json']) {
        expect(readFileSync(join(dir, f), 'utf8')).not.toContain(password);
      }
    });

    it('init refuses to overwrite an existing directory without --force (exit 6)', async () => {
      const r = await haven(['init', '--data-dir', dir]);
      expect(r.code).toBe(6);
      expect(r.stderr).toContain('HAVEN_DATADIR_EXISTS');
    });

    it('doctor is clean on a default init', async () => {
      const r = await haven(['doctor', '--data-dir', dir]);
      expect(r.code, r.stdout).toBe(0);
      expect(r.stdout).toContain('clean');
    });

    it('doctor names a world-readable data directory and file', async () => {
      chmodSync(dir, 0o755);
      chmodSync(join(dir, 'haven.json'), 0o644);
      try {
        const r = await haven(['doctor', '--data-dir', dir]);
        expect(r.code).toBe(3);
        expect(r.stdout).toMatch(/PROBLEM datadir\.permissions/);
        expect(r.stdout).toMatch(/PROBLEM files\.permissions: .*haven\.json/);
      } finally {
        chmodSync(dir, 0o700);
        chmodSync(join(dir, 'haven.json'), 0o600);
      }
    });

    it('doctor names binding 0.0.0.0 without TLS', async () => {
      const r = await haven(['doctor', '--data-dir', dir], { HAVEN_SERVER_HOST: '0.0.0.0', HAVEN_SERVER_TLS: 'false', HAVEN_SERVER_ALLOW_PLAIN_HTTP: 'true' });
      expect(r.code).toBe(3);
      expect(r.stdout).toContain('server.host');
      expect(r.stdout).toContain('plain HTTP is only allowed on a loopback address');
    });

    it('serve refuses plain HTTP off loopback', async () => {
      const r = await haven(['serve', '--data-dir', dir, '--host', '0.0.0.0', '--insecure-plain-http', '--port', '0']);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain('server.host');
    });

    it('serve answers over HTTPS and shuts down gracefully on SIGTERM, leaving a verifiable ledger', async () => {
      const child = spawn(process.execPath, [CLI, 'serve', '--data-dir', dir, '--port', '0'], {
        env: { PATH: process.env.PATH ?? '', HAVEN_LOG_LEVEL: 'warn', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const exit = new Promise<number | null>((resolve) => child.on('exit', resolve));
      try {
        const url = await new Promise<string>((resolve, reject) => {
          let out = '';
          child.stdout.on('data', (d: Buffer) => {
            out += d.toString();
            const m = /haven listening on (https:\/\/\S+)/.exec(out);
            if (m) {
              resolve(m[1]!);
            }
          });
          child.on('close', () => reject(new Error(`serve exited early: ${out}`)));
        });
        const { Agent, request } = await import('node:https');
        const agent = new Agent({ ca: readFileSync(join(dir, 'tls/ca.pem')) });
        const call = (method: string, path: string, headers: Record<string, string>, body?: string) =>
          new Promise<{ status: number; body: string; cookie: string }>((resolve, reject) => {
            const req = request(`${url}${path}`, { method, agent, headers }, (res) => {
              let text = '';
              res.on('data', (d: Buffer) => (text += d.toString()));
              res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, cookie: String(res.headers['set-cookie'] ?? '').split(';')[0]! }));
            });
            req.on('error', reject);
            req.end(body);
          });
        expect((await call('GET', '/api/session', {})).status).toBe(401);
        // First login with the generated password: a session that may only change the password.
        const login = await call('POST', '/api/auth/login', { 'content-type': 'application/json' }, JSON.stringify({ username: 'admin', password }));
        expect(login.status).toBe(200);
        expect(JSON.parse(login.body)).toMatchObject({ next: 'change_password' });
        expect((await call('GET', '/api/session', { cookie: login.cookie })).status).toBe(200);
        const users = await call('GET', '/api/users', { cookie: login.cookie });
        expect(users.status).toBe(403);
        expect(JSON.parse(users.body)).toMatchObject({ error: { code: 'HAVEN_AUTH_PASSWORD_CHANGE_REQUIRED' } });
      } finally {
        // Stop the server even when an assertion failed, so no process outlives the test.
        child.kill('SIGTERM');
      }
      expect(await exit).toBe(0);
      const v = await haven(['audit', 'verify', '--data-dir', dir]);
      expect(v.code, v.stderr).toBe(0);
      expect(v.stdout).toMatch(/audit ledger OK: \d+ entries/);
    });

    it('audit export writes one JSON line per entry', async () => {
      const out = join(root, `export-${store.name}.jsonl`);
      const r = await haven(['audit', 'export', '--data-dir', dir, '--out', out]);
      expect(r.code, r.stderr).toBe(0);
      const lines = readFileSync(out, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { seq: number });
      expect(lines.map((l) => l.seq)).toEqual(lines.map((_, i) => i + 1));
    });

    it('audit verify names the first tampered entry and exits 8', async () => {
      const { database = {} } = JSON.parse(readFileSync(join(dir, 'haven.json'), 'utf8')) as { database?: { url?: string; schema?: string } };
      await rawSql({ dataDir: dir, database }, ["update audit_log set actor = 'mallory' where seq = 2"]);
      const r = await haven(['audit', 'verify', '--data-dir', dir]);
      expect(r.code).toBe(8);
      expect(r.stderr).toContain('HAVEN_AUDIT_CHAIN_BROKEN');
      expect(r.stderr).toContain('entry 2');
    });
  });
}
