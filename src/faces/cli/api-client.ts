import { readFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import type { Command } from 'commander';
import { isHavenCode } from '../../errors/codes.js';
import { HavenError } from '../../errors/haven-error.js';
import { readTokenFile, tokenFilePath } from './credentials-file.js';

/** Where the CLI talks to when neither --server nor HAVEN_SERVER says otherwise: the local instance. */
export const DEFAULT_SERVER = 'https://127.0.0.1:8443';

const TIMEOUT_MS = 30_000;
const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
/** TLS failures that mean "the certificate is not trusted" rather than "the network is down". */
const TLS_ERRORS = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_SIGNATURE_FAILURE',
]);

/** Connection options shared by every API command. */
export interface ConnectionOptions {
  readonly server?: string;
  readonly ca?: string;
  readonly tokenFile?: string;
}

/** One answer from the API. */
export interface ApiResponse {
  readonly status: number;
  /** Parsed JSON body, or null for an empty body (204). */
  readonly json: unknown;
  /** Raw Set-Cookie header values. */
  readonly setCookie: readonly string[];
}

/** What the client needs: the base URL and the CA bundle to trust (undefined: the system store). */
export interface ApiClientOptions {
  readonly server: string;
  readonly ca: Buffer | undefined;
}

/**
 * Add --server, --ca and --token-file to a command.
 * @param cmd - the command
 */
export function withConnectionOptions(cmd: Command): Command {
  return cmd
    .option('--server <url>', `server URL (or HAVEN_SERVER; default ${DEFAULT_SERVER})`)
    .option('--ca <file>', "PEM file of the instance CA, <data-dir>/tls/ca.pem (or HAVEN_CA; default: the system's trusted CAs)")
    .option('--token-file <file>', 'where the API token is kept (or HAVEN_TOKEN_FILE; default ~/.config/haven/token)');
}

/**
 * Resolve --server/--ca against the environment. Only https:// URLs are accepted, so a token or password never
 * travels in clear text.
 * @param opts - the command's options
 * @param env - the environment
 */
export function apiClientOptionsFrom(opts: ConnectionOptions, env: Readonly<Record<string, string | undefined>>): ApiClientOptions {
  const server = (opts.server ?? env.HAVEN_SERVER ?? DEFAULT_SERVER).replace(/\/+$/, '');
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new HavenError('HAVEN_CLI_SERVER_URL_INVALID');
  }
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '') {
    throw new HavenError('HAVEN_CLI_SERVER_URL_INVALID');
  }
  const caFile = opts.ca ?? env.HAVEN_CA;
  let ca: Buffer | undefined;
  if (caFile !== undefined && caFile !== '') {
    try {
      ca = readFileSync(caFile);
    } catch {
      throw new HavenError('HAVEN_USAGE', 'cannot read the CA file given with --ca or HAVEN_CA');
    }
  }
  return { server: url.origin + url.pathname.replace(/\/+$/, ''), ca };
}

/** Headers a call may add: a bearer token, or a session cookie with its CSRF token. */
export interface CallAuth {
  readonly bearer?: string;
  readonly cookie?: string;
  readonly csrf?: string;
}

/**
 * A small HTTPS JSON client for the Haven API. Certificate verification is always on: the trust anchor is the
 * instance CA (--ca) or the system store. A server error becomes a HavenError with the server's code and safe
 * message, so the CLI prints `error CODE: message` and exits with that code's exit status.
 */
export class ApiClient {
  constructor(private readonly opts: ApiClientOptions) {}

  /**
   * Send one request and parse the JSON answer; non-2xx answers throw.
   * @param method - HTTP method
   * @param path - path beginning with /api/
   * @param body - JSON body (omitted: no body)
   * @param auth - credentials for this call
   */
  async call(method: string, path: string, body?: unknown, auth: CallAuth = {}): Promise<ApiResponse> {
    const res = await this.send(method, path, body, auth);
    if (res.status >= 200 && res.status < 300) {
      return res;
    }
    throw errorFromResponse(res);
  }

  private send(method: string, path: string, body: unknown, auth: CallAuth): Promise<ApiResponse> {
    const url = new URL(this.opts.server + path);
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body), 'utf8');
    const headers: Record<string, string> = { accept: 'application/json' };
    if (payload) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(payload.length);
    }
    if (auth.bearer !== undefined) {
      headers.authorization = `Bearer ${auth.bearer}`;
    }
    if (auth.cookie !== undefined) {
      headers.cookie = auth.cookie;
    }
    if (auth.csrf !== undefined) {
      headers['x-csrf-token'] = auth.csrf;
    }
    return new Promise((resolve, reject) => {
      const req = httpsRequest(
        url,
        { method, headers, rejectUnauthorized: true, minVersion: 'TLSv1.2', ...(this.opts.ca ? { ca: this.opts.ca } : {}), timeout: TIMEOUT_MS },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            size += c.length;
            if (size > MAX_RESPONSE_BYTES) {
              req.destroy(new HavenError('HAVEN_CLI_BAD_RESPONSE', undefined, { detail: { reason: 'too_large' } }));
              return;
            }
            chunks.push(c);
          });
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let json: unknown = null;
            if (text.length > 0) {
              try {
                json = JSON.parse(text);
              } catch {
                reject(new HavenError('HAVEN_CLI_BAD_RESPONSE', undefined, { detail: { status: res.statusCode ?? 0 } }));
                return;
              }
            }
            const cookies = res.headers['set-cookie'] ?? [];
            resolve({ status: res.statusCode ?? 0, json, setCookie: cookies });
          });
          res.on('error', (err) => reject(transportError(err)));
        },
      );
      req.on('timeout', () => req.destroy(new HavenError('HAVEN_CLI_SERVER_UNREACHABLE', undefined, { detail: { reason: 'timeout' } })));
      req.on('error', (err) => reject(transportError(err)));
      req.end(payload);
    });
  }
}

function transportError(err: unknown): HavenError {
  if (err instanceof HavenError) {
    return err;
  }
  const code = (err as NodeJS.ErrnoException).code ?? '';
  if (TLS_ERRORS.has(code)) {
    return new HavenError('HAVEN_CLI_TLS_UNTRUSTED', undefined, { detail: { reason: code } });
  }
  return new HavenError('HAVEN_CLI_SERVER_UNREACHABLE', undefined, { detail: { reason: code || 'network' } });
}

/**
 * Turn an error answer into a HavenError: the server's code and safe message when the code is known to this client,
 * otherwise HAVEN_CLI_BAD_RESPONSE (a newer server, or something that is not Haven).
 * @param res - the non-2xx answer
 */
export function errorFromResponse(res: ApiResponse): HavenError {
  const error = (res.json as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  if (error && typeof error.code === 'string' && isHavenCode(error.code)) {
    return new HavenError(error.code, typeof error.message === 'string' ? error.message : undefined, { detail: { status: res.status } });
  }
  return new HavenError('HAVEN_CLI_BAD_RESPONSE', undefined, { detail: { status: res.status } });
}

/**
 * A client and the bearer token from the token file, for commands that act as the logged-in user.
 * @param opts - the command's connection options
 * @param env - the environment
 */
export function bearerClientFrom(opts: ConnectionOptions, env: Readonly<Record<string, string | undefined>>): { client: ApiClient; token: string } {
  const client = new ApiClient(apiClientOptionsFrom(opts, env));
  return { client, token: readTokenFile(tokenFilePath(opts.tokenFile, env)) };
}
