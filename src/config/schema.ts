/**
 * Haven's configuration schema: one entry per key with its type, default, limits and documentation.
 * docs/config.md is generated from this list (scripts/gen-docs.ts) and a test keeps it current.
 * Secrets are never values here: keys that point at secrets are paths (`kind: 'path'`).
 */
export type ConfigEntry =
  | { readonly key: string; readonly type: 'string'; readonly default: string; readonly doc: string; readonly allowed?: readonly string[] }
  | { readonly key: string; readonly type: 'optionalString'; readonly doc: string; readonly secretRef?: boolean }
  | { readonly key: string; readonly type: 'integer'; readonly default: number; readonly min: number; readonly max: number; readonly doc: string }
  | { readonly key: string; readonly type: 'boolean'; readonly default: boolean; readonly doc: string };

export const CONFIG_SCHEMA = [
  { key: 'server.host', type: 'string', default: '127.0.0.1', doc: 'Address to listen on. Loopback by default; binding elsewhere requires TLS.' },
  { key: 'server.port', type: 'integer', default: 8443, min: 0, max: 65535, doc: 'TCP port (0 picks a free port).' },
  { key: 'server.tls', type: 'boolean', default: true, doc: 'Serve HTTPS. Turning it off also needs `server.allowPlainHttp` and a loopback host.' },
  { key: 'server.allowPlainHttp', type: 'boolean', default: false, doc: 'Explicitly allow plain HTTP (loopback only; for a TLS-terminating proxy on the same host).' },
  { key: 'server.tlsCertFile', type: 'string', default: 'tls/cert.pem', doc: 'Certificate chain (PEM), relative to the data directory or absolute.' },
  { key: 'server.tlsKeyFile', type: 'string', default: 'tls/key.pem', doc: 'Private key (PEM) of the certificate, relative to the data directory or absolute. A path, never the key itself.' },
  { key: 'server.bodyLimitBytes', type: 'integer', default: 1_048_576, min: 1024, max: 1_073_741_824, doc: 'Maximum JSON request body size in bytes.' },
  { key: 'server.requestTimeoutMs', type: 'integer', default: 30_000, min: 100, max: 3_600_000, doc: 'Time allowed to receive a whole request (slow-loris defence).' },
  { key: 'server.headersTimeoutMs', type: 'integer', default: 10_000, min: 100, max: 600_000, doc: 'Time allowed to receive the request headers.' },
  { key: 'server.keepAliveTimeoutMs', type: 'integer', default: 5_000, min: 100, max: 600_000, doc: 'Idle keep-alive connection timeout.' },
  { key: 'server.rateLimitPerMinute', type: 'integer', default: 600, min: 0, max: 1_000_000, doc: 'Requests per minute per client address (0 disables; only for tests).' },
  { key: 'database.url', type: 'optionalString', doc: 'PostgreSQL URL (`postgres://user@host/db`). Empty: the embedded SQLite file `haven.db` in the data directory. Must not contain a password; use `database.passwordFile`.' },
  { key: 'database.passwordFile', type: 'optionalString', secretRef: true, doc: 'Path to a file holding the PostgreSQL password.' },
  { key: 'database.schema', type: 'optionalString', doc: 'PostgreSQL schema to use (default: the connection\'s search_path).' },
  { key: 'database.statementTimeoutMs', type: 'integer', default: 30_000, min: 100, max: 3_600_000, doc: 'PostgreSQL statement timeout.' },
  { key: 'database.poolSize', type: 'integer', default: 10, min: 1, max: 200, doc: 'PostgreSQL connection pool size.' },
  { key: 'audit.checkpointInterval', type: 'integer', default: 100, min: 1, max: 1_000_000, doc: 'Sign a ledger checkpoint every N entries (and at shutdown).' },
  { key: 'log.level', type: 'string', default: 'info', allowed: ['fatal', 'error', 'warn', 'info', 'debug', 'silent'], doc: 'Server log level. Logs carry codes, ids and counts only.' },
] as const satisfies readonly ConfigEntry[];

/** The validated, frozen configuration passed to every part of Haven. */
export interface HavenConfig {
  readonly server: {
    readonly host: string;
    readonly port: number;
    readonly tls: boolean;
    readonly allowPlainHttp: boolean;
    readonly tlsCertFile: string;
    readonly tlsKeyFile: string;
    readonly bodyLimitBytes: number;
    readonly requestTimeoutMs: number;
    readonly headersTimeoutMs: number;
    readonly keepAliveTimeoutMs: number;
    readonly rateLimitPerMinute: number;
  };
  readonly database: {
    readonly url: string | undefined;
    readonly passwordFile: string | undefined;
    readonly schema: string | undefined;
    readonly statementTimeoutMs: number;
    readonly poolSize: number;
  };
  readonly audit: { readonly checkpointInterval: number };
  readonly log: { readonly level: string };
}

/** The environment variable for a key: `server.bodyLimitBytes` → `HAVEN_SERVER_BODY_LIMIT_BYTES`. */
export function envNameFor(key: string): string {
  return `HAVEN_${key.replace(/\./g, '_').replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}`;
}
