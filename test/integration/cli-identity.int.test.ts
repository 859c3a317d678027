import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitCodeFor } from '../../src/errors/codes.js';
import { isWellFormedApiToken } from '../../src/libs/crypto/tokens.js';
import { base32Decode, totp } from '../../src/libs/crypto/totp.js';
import { runCli } from '../../src/faces/cli/main.js';
import { CLI } from '../helpers/cli.js';
import { listenHttps, type ListeningServer } from '../helpers/listen.js';
import { createPersona, type Persona } from '../helpers/personas.js';
import { testStores } from '../helpers/stores.js';
import { createTestInstance, type TestInstance } from '../helpers/test-instance.js';

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Run the compiled CLI asynchronously (the server lives in this process) with piped standard input.
 * `answer` sees standard output as it grows and may write further input lines (as a person at a terminal would).
 */
function run(args: string[], env: Record<string, string>, input = '', answer?: (stdout: string, write: (line: string) => void) => boolean): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '', HOME: tmpdir(), ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let answered = answer === undefined;
    child.stdin.write(input);
    if (answered) {
      child.stdin.end();
    }
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (!answered && answer!(stdout, (line) => child.stdin.write(`${line}\n`))) {
        answered = true;
        child.stdin.end();
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** Each CLI run is a fresh Node process; on a loaded 2-core machine a story of ten runs needs more than the default. */
const CLI_STORY_TIMEOUT_MS = 180_000;
const NEW_PASSWORD = 'teal Heron 58 paddles upstream';
const AUTH_EXIT = exitCodeFor('HAVEN_AUTH_INVALID_TOKEN');

describe('haven identity commands: help', () => {
  it('prints help for every identity command and subcommand', async () => {
    const cmds = [
      ['login'],
      ['user'],
      ['user', 'add'],
      ['user', 'list'],
      ['user', 'disable'],
      ['user', 'reset-mfa'],
      ['token'],
      ['token', 'create'],
      ['token', 'list'],
      ['token', 'revoke'],
    ];
    cmds.push(['workspace'], ['workspace', 'create'], ['workspace', 'list'], ['workspace', 'add-member'], ['workspace', 'remove-member']);
    // In process: the same program the binary builds, without paying a Node start-up per command.
    for (const cmd of cmds) {
      const out: string[] = [];
      const code = await runCli([...cmd, '--help'], { out: (l) => out.push(l), err: (l) => out.push(l), env: {} });
      expect(code, cmd.join(' ')).toBe(0);
      expect(out.join('\n')).toContain(`Usage: haven ${cmd.join(' ')}`);
    }
    // And once through the compiled binary.
    const r = await run(['login', '--help'], {});
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--password-stdin');
  });
});

for (const store of testStores()) {
  describe(`haven identity commands over HTTPS [${store.name}]`, () => {
    let t: TestInstance;
    let server: ListeningServer;
    let admin: Persona;
    let dir: string;
    const envFor = (tokenFile: string): Record<string, string> => ({ HAVEN_SERVER: server.url, HAVEN_CA: server.caFile, HAVEN_TOKEN_FILE: tokenFile });

    beforeAll(async () => {
      t = await createTestInstance(store);
      server = await listenHttps(t);
      admin = await createPersona(t.instance, 'cliadmin', { globalRoles: ['site_admin'] });
      dir = mkdtempSync(join(tmpdir(), 'haven-cli-id-'));
    });
    afterAll(async () => {
      await server.app.close();
      await t.cleanup();
      await store.cleanup();
      rmSync(dir, { recursive: true, force: true });
    });

    it(
      'scripted story: login, token list, workspace create, user add, add-member, user list, token revoke',
      async () => {
        const tokenFile = join(dir, 'story', 'haven', 'token');
        const env = envFor(tokenFile);
        // createPersona used the current TOTP step to enrol; the next step's code is fresh and inside the window.
        const login = await run(['login', '--user', 'cliadmin', '--password-stdin', '--code', admin.code(Date.now() + 30_000)], env, `${admin.password}\n`);
        expect(login.stderr).toBe('');
        expect(login.code).toBe(0);
        expect(login.stdout).toContain('logged in as cliadmin');
        expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
        expect(statSync(join(dir, 'story', 'haven')).mode & 0o777).toBe(0o700);
        const saved = readFileSync(tokenFile, 'utf8').trim();
        expect(isWellFormedApiToken(saved)).toBe(true);
        expect(login.stdout).not.toContain(saved);

        const listed = await run(['token', 'list', '--json'], env);
        expect(listed.code).toBe(0);
        const tokens = JSON.parse(listed.stdout) as { id: string; name: string; revokedAt: string | null }[];
        const cli = tokens.find((x) => x.name === 'cli' && x.revokedAt === null);
        expect(cli).toBeDefined();
        expect(login.stdout).toContain(cli!.id);
        const table = await run(['token', 'list'], env);
        expect(table.stdout).toMatch(new RegExp(`^${cli!.id}\\s+cli\\s+active`, 'm'));

        expect((await run(['workspace', 'create', 'cli-ward'], env)).code).toBe(0);
        const wsList = JSON.parse((await run(['workspace', 'list', '--json'], env)).stdout) as { name: string }[];
        expect(wsList.map((w) => w.name)).toContain('cli-ward');

        const added = await run(['user', 'add', 'cli-nurse', '--json'], env);
        expect(added.code).toBe(0);
        const created = JSON.parse(added.stdout) as { user: { id: string; username: string; mustChangePassword: boolean }; password: string };
        expect(created.user).toMatchObject({ username: 'cli-nurse', mustChangePassword: true });
        expect(created.password.length).toBeGreaterThanOrEqual(12);

        const member = await run(['workspace', 'add-member', 'cli-ward', 'cli-nurse', '--role', 'data_scientist'], env);
        expect(member.code).toBe(0);
        const memberships = await t.instance.storage.read.workspaces.membershipsOf(created.user.id);
        expect(memberships).toEqual([expect.objectContaining({ workspaceId: expect.any(String), role: 'data_scientist' })]);
        const badRole = await run(['workspace', 'add-member', 'cli-ward', 'cli-nurse', '--role', 'overlord'], env);
        expect(badRole.code).toBe(exitCodeFor('HAVEN_HTTP_VALIDATION'));
        expect(badRole.stderr).toMatch(/^error HAVEN_HTTP_VALIDATION: /);

        const users = JSON.parse((await run(['user', 'list', '--json'], env)).stdout) as { username: string; mfaEnrolled: boolean }[];
        expect(users.map((u) => u.username)).toEqual(expect.arrayContaining(['cliadmin', 'cli-nurse', 'ops']));
        expect(users.find((u) => u.username === 'cli-nurse')?.mfaEnrolled).toBe(false);

        const revoked = await run(['token', 'revoke', cli!.id], env);
        expect(revoked.code).toBe(0);
        const after = await run(['token', 'list'], env);
        expect(after.code).toBe(AUTH_EXIT);
        expect(after.stderr.trim()).toBe('error HAVEN_AUTH_INVALID_TOKEN: invalid credentials');
      },
      CLI_STORY_TIMEOUT_MS,
    );

    it(
      'admin upkeep: scoped token create, remove-member, reset-mfa, disable',
      async () => {
        const opsFile = join(dir, 'ops-token');
        writeFileSync(opsFile, `${t.token}\n`, { mode: 0o600 });
        const env = envFor(opsFile);
        const created = await run(['token', 'create', '--name', 'nightly', '--scope', 'tokens:own', '--json'], env);
        expect(created.code).toBe(0);
        const issued = JSON.parse(created.stdout) as { id: string; token: string };
        expect(isWellFormedApiToken(issued.token)).toBe(true);
        const scopedFile = join(dir, 'scoped-token');
        writeFileSync(scopedFile, `${issued.token}\n`, { mode: 0o600 });
        expect((await run(['token', 'list'], envFor(scopedFile))).code).toBe(0);
        const outOfScope = await run(['user', 'list'], envFor(scopedFile));
        expect(outOfScope.code).toBe(exitCodeFor('HAVEN_AUTH_FORBIDDEN'));

        const m = await createPersona(t.instance, 'cli-member', { memberships: [{ workspace: 'cli-unit', role: 'clinician' }] });
        expect(await t.instance.storage.read.workspaces.membershipsOf(m.id)).toHaveLength(1);
        expect((await run(['workspace', 'remove-member', 'cli-unit', 'cli-member'], env)).code).toBe(0);
        expect(await t.instance.storage.read.workspaces.membershipsOf(m.id)).toEqual([]);
        expect((await run(['user', 'reset-mfa', 'cli-member'], env)).code).toBe(0);
        expect((await t.instance.storage.read.users.byUsername('cli-member'))!.mfaEnrolledAt).toBeNull();
        expect((await run(['user', 'disable', 'cli-member'], env)).code).toBe(0);
        expect((await t.instance.storage.read.users.byUsername('cli-member'))!.disabledAt).not.toBeNull();
        const memberFile = join(dir, 'member-token');
        writeFileSync(memberFile, `${m.token}\n`, { mode: 0o600 });
        expect((await run(['token', 'list'], envFor(memberFile))).code).toBe(AUTH_EXIT);
        const missing = await run(['user', 'disable', 'nobody-here'], env);
        expect(missing.code).toBe(exitCodeFor('HAVEN_USER_NOT_FOUND'));
        expect(missing.stderr).toMatch(/^error HAVEN_USER_NOT_FOUND: /);
      },
      CLI_STORY_TIMEOUT_MS,
    );

    it('a non-admin gets the forbidden exit code from admin commands', async () => {
      const p = await createPersona(t.instance, 'cli-analyst');
      const tokenFile = join(dir, 'analyst-token');
      writeFileSync(tokenFile, `${p.token}\n`, { mode: 0o600 });
      const r = await run(['user', 'list'], envFor(tokenFile));
      expect(r.code).toBe(exitCodeFor('HAVEN_AUTH_FORBIDDEN'));
      expect(r.stderr).toMatch(/^error HAVEN_AUTH_FORBIDDEN: /);
    });

    it('refuses a token file that other users can read, and uses it once it is 0600', async () => {
      const tokenFile = join(dir, 'loose-token');
      writeFileSync(tokenFile, `${t.token}\n`, { mode: 0o600 });
      chmodSync(tokenFile, 0o644);
      const refused = await run(['token', 'list'], envFor(tokenFile));
      expect(refused.code).toBe(exitCodeFor('HAVEN_CLI_TOKEN_FILE_INSECURE'));
      expect(refused.stderr).toMatch(/^error HAVEN_CLI_TOKEN_FILE_INSECURE: /);
      expect(refused.stderr).not.toContain(t.token);
      chmodSync(tokenFile, 0o600);
      expect((await run(['token', 'list'], envFor(tokenFile))).code).toBe(0);
    });

    it('wrong password: auth exit code, HAVEN_AUTH_INVALID_CREDENTIALS, no token file', async () => {
      const p = await createPersona(t.instance, 'cli-wrongpw');
      const tokenFile = join(dir, 'wrong', 'token');
      const r = await run(
        ['login', '--user', 'cli-wrongpw', '--password-stdin', '--code', p.code(Date.now() + 30_000)],
        envFor(tokenFile),
        'not the password at all\n',
      );
      expect(r.code).toBe(exitCodeFor('HAVEN_AUTH_INVALID_CREDENTIALS'));
      expect(r.stderr.trim()).toBe('error HAVEN_AUTH_INVALID_CREDENTIALS: invalid credentials');
      expect(existsSync(tokenFile)).toBe(false);
    });

    it('without a terminal or --password-stdin, login asks for input instead of hanging', async () => {
      const r = await run(['login', '--user', 'cliadmin'], envFor(join(dir, 'none')));
      expect(r.code).toBe(exitCodeFor('HAVEN_CLI_INPUT_REQUIRED'));
      expect(r.stderr).toMatch(/^error HAVEN_CLI_INPUT_REQUIRED: /);
    });

    it('verifies the server certificate: an unknown CA or an unreachable server fail with their own codes', async () => {
      const tokenFile = join(dir, 'tls-token');
      writeFileSync(tokenFile, `${t.token}\n`, { mode: 0o600 });
      const untrusted = await run(['token', 'list'], { HAVEN_SERVER: server.url, HAVEN_TOKEN_FILE: tokenFile });
      expect(untrusted.code).toBe(exitCodeFor('HAVEN_CLI_TLS_UNTRUSTED'));
      expect(untrusted.stderr).toMatch(/^error HAVEN_CLI_TLS_UNTRUSTED: /);
      const plain = await run(['token', 'list', '--server', server.url.replace('https:', 'http:')], envFor(tokenFile));
      expect(plain.code).toBe(exitCodeFor('HAVEN_CLI_SERVER_URL_INVALID'));
      const down = await run(['token', 'list', '--server', 'https://127.0.0.1:1'], envFor(tokenFile));
      expect(down.code).toBe(exitCodeFor('HAVEN_CLI_SERVER_UNREACHABLE'));
    });

    it(
      'first login without a terminal: new password from stdin, TOTP enrolment answered from the printed secret',
      async () => {
        const fresh = await createPersona(t.instance, 'cli-fresh', { incomplete: true });
        const tokenFile = join(dir, 'fresh', 'token');
        let secret = '';
        const r = await run(
          ['login', '--user', 'cli-fresh', '--password-stdin', '--new-password-stdin'],
          envFor(tokenFile),
          `${fresh.password}\n${NEW_PASSWORD}\n`,
          (out, write) => {
            const m = /^TOTP secret: ([A-Z2-7]+)$/m.exec(out);
            if (!m) {
              return false;
            }
            secret = m[1]!;
            write(totp(base32Decode(secret), Date.now()));
            return true;
          },
        );
        expect(r.stderr).not.toMatch(/error/);
        expect(r.code).toBe(0);
        expect(r.stdout).toMatch(/^otpauth URI: otpauth:\/\/totp\/Haven:cli-fresh\?/m);
        const recovery = r.stdout
          .split('Recovery codes')[1]!
          .split('\n')
          .slice(1)
          .filter((l) => l.startsWith('  '));
        expect(recovery).toHaveLength(10);
        expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
        const user = (await t.instance.storage.read.users.byUsername('cli-fresh'))!;
        expect(user.mustChangePassword).toBe(false);
        expect(user.mfaEnrolledAt).not.toBeNull();
        // The token works, and the new password plus the enrolled authenticator log in the ordinary way.
        expect((await run(['token', 'list'], envFor(tokenFile))).code).toBe(0);
        const again = await run(
          ['login', '--user', 'cli-fresh', '--password-stdin', '--code', totp(base32Decode(secret), Date.now() + 30_000)],
          envFor(tokenFile),
          `${NEW_PASSWORD}\n`,
        );
        expect(again.code).toBe(0);
      },
      CLI_STORY_TIMEOUT_MS,
    );
  });
}
