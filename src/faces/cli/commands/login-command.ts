import type { Command } from 'commander';
import { HavenError } from '../../../errors/haven-error.js';
import { ApiClient, apiClientOptionsFrom, withConnectionOptions, type ConnectionOptions } from '../api-client.js';
import type { CliIo } from '../cli-context.js';
import { tokenFilePath, writeTokenFile } from '../credentials-file.js';
import { createPrompter, type Prompter } from '../prompt.js';

interface LoginOptions extends ConnectionOptions {
  readonly user: string;
  readonly passwordStdin?: boolean;
  readonly newPasswordStdin?: boolean;
  readonly code?: string;
  readonly name: string;
  readonly ttlDays?: number;
  readonly workspace?: string;
}

interface Issued {
  readonly id: string;
  readonly token: string;
  readonly expiresAt: string;
}

type Next = 'change_password' | 'enrol_mfa' | 'verify_mfa' | 'done';

/** Errors of the one-call token login that mean "this account has not finished its first login yet". */
const FIRST_LOGIN_CODES = new Set(['HAVEN_AUTH_PASSWORD_CHANGE_REQUIRED', 'HAVEN_AUTH_MFA_NOT_ENROLLED']);

/**
 * `haven login --user NAME`: get an API token and keep it in the token file (0600).
 *
 * With `--code` it is one call (POST /api/auth/token). Without it, or when the account still has to change its
 * password or enrol an authenticator, it walks the session flow instead (login, password change, TOTP enrolment or
 * verification) and asks for each answer only when the server needs it, so a new user is never asked for a code
 * they cannot have yet. The session cookie and CSRF token live in memory only and the session is ended afterwards.
 */
export function registerLoginCommand(program: Command, io: CliIo): void {
  withConnectionOptions(
    program
      .command('login')
      .description('log in with password and TOTP code and save an API token for the other commands')
      .requiredOption('--user <name>', 'user name')
      .option('--password-stdin', 'read the password from the first line of standard input (or set HAVEN_PASSWORD)')
      .option('--new-password-stdin', 'first login: read the new password from the next line of standard input (or set HAVEN_NEW_PASSWORD)')
      .option('--code <code>', 'current 6-digit TOTP code (otherwise asked when needed; without a terminal, read from the next line of standard input)')
      .option('--name <name>', 'name of the token', 'cli')
      .option('--ttl-days <n>', 'token lifetime in days (default: the server setting)', (v) => parsePositiveInt(v))
      .option('--workspace <name>', 'limit the token to one workspace'),
  ).action(async (opts: LoginOptions) => {
    const client = new ApiClient(apiClientOptionsFrom(opts, io.env));
    const file = tokenFilePath(opts.tokenFile, io.env);
    const prompter = createPrompter(process.stdin, process.stderr);
    try {
      const password = await askPassword(prompter, opts, io.env);
      const request = { name: opts.name, ...(opts.ttlDays ? { ttlDays: opts.ttlDays } : {}), ...(opts.workspace ? { workspace: opts.workspace } : {}) };
      let issued: Issued;
      if (opts.code === undefined) {
        issued = await sessionLogin(client, prompter, io, opts, password, request);
      } else {
        try {
          issued = (await client.call('POST', '/api/auth/token', { username: opts.user, password, code: opts.code, ...request })).json as Issued;
        } catch (err) {
          if (!(err instanceof HavenError) || !FIRST_LOGIN_CODES.has(err.code)) {
            throw err;
          }
          issued = await sessionLogin(client, prompter, io, opts, password, request);
        }
      }
      writeTokenFile(file, issued.token);
      io.out(`logged in as ${opts.user}: token ${issued.id} (expires ${issued.expiresAt}) saved to ${file}`);
    } finally {
      prompter.close();
    }
  });
}

/** The session flow: each step is taken only when the server's `next` asks for it. */
async function sessionLogin(
  client: ApiClient,
  prompter: Prompter,
  io: CliIo,
  opts: LoginOptions,
  password: string,
  request: Record<string, unknown>,
): Promise<Issued> {
  const session = new BrowserLikeSession(client);
  let next = ((await session.post('/api/auth/login', { username: opts.user, password })) as { next: Next }).next;
  let codeUnused = opts.code;
  // Each step moves strictly forward (password → enrolment or verification → done); the bound stops a confused server.
  for (let step = 0; step < 4 && next !== 'done'; step++) {
    if (next === 'change_password') {
      io.err('This account must choose a new password before it can be used.');
      const newPassword = await askNewPassword(prompter, opts, io.env);
      next = ((await session.post('/api/auth/password', { currentPassword: password, newPassword })) as { next: Next }).next;
    } else if (next === 'enrol_mfa') {
      const enrol = (await session.post('/api/auth/mfa/totp/enrol', {})) as { secret: string; otpauthUri: string };
      io.out('Add this account to your authenticator app (shown once):');
      io.out(`otpauth URI: ${enrol.otpauthUri}`);
      io.out(`TOTP secret: ${enrol.secret}`);
      const code = await prompter.line('6-digit code from the authenticator: ');
      const confirmed = (await session.post('/api/auth/mfa/totp/confirm', { code })) as { recoveryCodes: string[] };
      io.out('Recovery codes (shown once; keep them offline, each works once):');
      for (const rc of confirmed.recoveryCodes) {
        io.out(`  ${rc}`);
      }
      next = 'done';
    } else {
      const code = codeUnused ?? (await prompter.line('6-digit code from the authenticator: '));
      codeUnused = undefined;
      next = ((await session.post('/api/auth/mfa/verify', { code })) as { next: Next }).next;
    }
  }
  if (next !== 'done') {
    throw new HavenError('HAVEN_CLI_BAD_RESPONSE', undefined, { detail: { step: next } });
  }
  const issued = (await session.post('/api/tokens', request)) as Issued;
  try {
    await session.post('/api/auth/logout', {});
  } catch {
    // The token is already issued; an unended session still expires on the server.
  }
  return issued;
}

/** A cookie session held in memory only: the cookie and CSRF token are never written anywhere. */
class BrowserLikeSession {
  private cookie: string | undefined;
  private csrf: string | undefined;

  constructor(private readonly client: ApiClient) {}

  async post(path: string, body: unknown): Promise<unknown> {
    const res = await this.client.call('POST', path, body, {
      ...(this.cookie !== undefined ? { cookie: this.cookie } : {}),
      ...(this.csrf !== undefined ? { csrf: this.csrf } : {}),
    });
    for (const header of res.setCookie) {
      const pair = header.split(';', 1)[0] ?? '';
      const eq = pair.indexOf('=');
      if (eq > 0) {
        this.cookie = eq === pair.length - 1 ? undefined : pair;
      }
    }
    const csrf = (res.json as { csrfToken?: unknown } | null)?.csrfToken;
    if (typeof csrf === 'string') {
      this.csrf = csrf;
    }
    return res.json;
  }
}

async function askPassword(prompter: Prompter, opts: LoginOptions, env: Readonly<Record<string, string | undefined>>): Promise<string> {
  if (opts.passwordStdin) {
    return prompter.interactive ? prompter.secret('Password: ') : prompter.line('');
  }
  if (env.HAVEN_PASSWORD !== undefined && env.HAVEN_PASSWORD !== '') {
    return env.HAVEN_PASSWORD;
  }
  return prompter.secret(`Password for ${opts.user}: `);
}

async function askNewPassword(prompter: Prompter, opts: LoginOptions, env: Readonly<Record<string, string | undefined>>): Promise<string> {
  if (opts.newPasswordStdin) {
    return prompter.interactive ? prompter.secret('New password: ') : prompter.line('');
  }
  if (env.HAVEN_NEW_PASSWORD !== undefined && env.HAVEN_NEW_PASSWORD !== '') {
    return env.HAVEN_NEW_PASSWORD;
  }
  const first = await prompter.secret('New password: ');
  if ((await prompter.secret('New password again: ')) !== first) {
    throw new HavenError('HAVEN_CLI_PASSWORD_MISMATCH');
  }
  return first;
}

/**
 * Parse a positive integer option value.
 * @param value - the option text
 */
export function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!/^[0-9]{1,6}$/.test(value) || n < 1) {
    throw new HavenError('HAVEN_USAGE', 'expected a positive whole number');
  }
  return n;
}
