import { spawn, type ChildProcess } from 'node:child_process';
import { createReadStream, readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The compiled CLI the demo drives, exactly as a user would run it. */
export const CLI = fileURLToPath(new URL('../../src/faces/cli/main.js', import.meta.url));

/** State shared by demo steps. */
export interface DemoContext {
  readonly dataDir: string;
  /** The first admin's generated password, printed once by init. */
  adminPassword: string;
  /** Each persona's API token, by user name. */
  readonly tokens: Map<string, string>;
  /** Generated first passwords of the users the admin created, by user name. */
  readonly generatedPasswords: Map<string, string>;
  baseUrl: string;
  server: ChildProcess | undefined;
  agent: Agent | undefined;
}

/**
 * Run `haven ARGS` and return its output; throws with the CLI's own message when it fails.
 * @param args - arguments
 */
export function haven(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`haven ${args[0]} exited ${code}: ${err.trim()}`))));
  });
}

/**
 * Start `haven serve` in the background and wait for its URL.
 * @param ctx - the demo context
 */
export function startServer(ctx: DemoContext): Promise<string> {
  const child = spawn(process.execPath, [CLI, 'serve', '--data-dir', ctx.dataDir, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, HAVEN_LOG_LEVEL: 'warn' },
  });
  ctx.server = child;
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /haven listening on (https:\/\/\S+)/.exec(out);
      if (m) {
        ctx.baseUrl = m[1]!;
        ctx.agent = new Agent({ ca: readFileSync(join(ctx.dataDir, 'tls/ca.pem')), keepAlive: true });
        resolve(m[1]!);
      }
    });
    child.on('close', (code) => reject(new Error(`haven serve exited ${code}`)));
  });
}

/**
 * Stop the background server with SIGTERM (graceful shutdown) and wait for it.
 * @param ctx - the demo context
 */
export async function stopServer(ctx: DemoContext): Promise<void> {
  const child = ctx.server;
  if (!child || child.exitCode !== null) {
    return;
  }
  ctx.agent?.destroy();
  const closed = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.removeAllListeners('close');
  child.kill('SIGTERM');
  await closed;
  ctx.server = undefined;
}

/** One HTTPS call's result. */
export interface ApiResult {
  readonly status: number;
  readonly body: unknown;
}

/**
 * Call the API over HTTPS, verifying the server against the instance's own CA.
 * @param ctx - the demo context
 * @param method - HTTP method
 * @param path - path
 * @param opts - token and JSON body
 */
export function api(
  ctx: DemoContext,
  method: string,
  path: string,
  opts: { token?: string; json?: unknown; cookie?: string; csrf?: string; file?: { path: string; contentType: string } } = {},
): Promise<ApiResult & { cookie: string | undefined }> {
  return new Promise((resolve, reject) => {
    const body = opts.json === undefined ? undefined : JSON.stringify(opts.json);
    const req = request(
      `${ctx.baseUrl}${path}`,
      {
        method,
        agent: ctx.agent,
        headers: {
          ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
          ...(opts.cookie ? { cookie: opts.cookie } : {}),
          ...(opts.csrf ? { 'x-csrf-token': opts.csrf } : {}),
          ...(body ? { 'content-type': 'application/json' } : {}),
          ...(opts.file ? { 'content-type': opts.file.contentType } : {}),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => {
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // not JSON (metrics, exports): keep the text
          }
          const setCookie = res.headers['set-cookie']?.[0]?.split(';')[0];
          resolve({ status: res.statusCode ?? 0, body: parsed, cookie: setCookie });
        });
      },
    );
    req.on('error', reject);
    if (opts.file) {
      createReadStream(opts.file.path).on('error', reject).pipe(req);
    } else {
      req.end(body);
    }
  });
}
