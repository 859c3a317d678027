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
  {
    key: 'server.allowPlainHttp',
    type: 'boolean',
    default: false,
    doc: 'Explicitly allow plain HTTP (loopback only; for a TLS-terminating proxy on the same host).',
  },
  { key: 'server.tlsCertFile', type: 'string', default: 'tls/cert.pem', doc: 'Certificate chain (PEM), relative to the data directory or absolute.' },
  {
    key: 'server.tlsKeyFile',
    type: 'string',
    default: 'tls/key.pem',
    doc: 'Private key (PEM) of the certificate, relative to the data directory or absolute. A path, never the key itself.',
  },
  { key: 'server.bodyLimitBytes', type: 'integer', default: 1_048_576, min: 1024, max: 1_073_741_824, doc: 'Maximum JSON request body size in bytes.' },
  {
    key: 'server.requestTimeoutMs',
    type: 'integer',
    default: 600_000,
    min: 100,
    max: 3_600_000,
    doc: 'Time allowed to receive a whole request, uploads included (headers have their own, shorter limit).',
  },
  { key: 'server.headersTimeoutMs', type: 'integer', default: 10_000, min: 100, max: 600_000, doc: 'Time allowed to receive the request headers.' },
  { key: 'server.keepAliveTimeoutMs', type: 'integer', default: 5_000, min: 100, max: 600_000, doc: 'Idle keep-alive connection timeout.' },
  {
    key: 'server.rateLimitPerMinute',
    type: 'integer',
    default: 600,
    min: 0,
    max: 1_000_000,
    doc: 'Requests per minute per client address (0 disables; only for tests).',
  },
  {
    key: 'database.url',
    type: 'optionalString',
    doc: 'PostgreSQL URL (`postgres://user@host/db`). Empty: the embedded SQLite file `haven.db` in the data directory. Must not contain a password; use `database.passwordFile`.',
  },
  { key: 'database.passwordFile', type: 'optionalString', secretRef: true, doc: 'Path to a file holding the PostgreSQL password.' },
  { key: 'database.schema', type: 'optionalString', doc: "PostgreSQL schema to use (default: the connection's search_path)." },
  { key: 'database.statementTimeoutMs', type: 'integer', default: 30_000, min: 100, max: 3_600_000, doc: 'PostgreSQL statement timeout.' },
  { key: 'database.poolSize', type: 'integer', default: 10, min: 1, max: 200, doc: 'PostgreSQL connection pool size.' },
  {
    key: 'audit.checkpointInterval',
    type: 'integer',
    default: 100,
    min: 1,
    max: 1_000_000,
    doc: 'Sign a ledger checkpoint every N entries (and at shutdown).',
  },
  {
    key: 'identity.passwordHashMemoryKiB',
    type: 'integer',
    default: 19_456,
    min: 1024,
    max: 4_194_304,
    doc: 'argon2id memory cost in KiB (OWASP minimum 19456; `haven doctor` flags less).',
  },
  { key: 'identity.passwordHashIterations', type: 'integer', default: 2, min: 1, max: 100, doc: 'argon2id time cost.' },
  { key: 'identity.sessionIdleMinutes', type: 'integer', default: 30, min: 1, max: 1440, doc: 'A browser session ends after this long without use.' },
  {
    key: 'identity.sessionAbsoluteHours',
    type: 'integer',
    default: 12,
    min: 1,
    max: 168,
    doc: 'A browser session ends this long after login, whatever its use.',
  },
  {
    key: 'identity.stepUpMinutes',
    type: 'integer',
    default: 10,
    min: 1,
    max: 60,
    doc: 'Managing users, roles and workspaces needs MFA within this many minutes.',
  },
  {
    key: 'identity.lockoutThreshold',
    type: 'integer',
    default: 10,
    min: 3,
    max: 100,
    doc: 'Failed logins for one account (within the lockout window) before it is locked.',
  },
  {
    key: 'identity.ipLockoutThreshold',
    type: 'integer',
    default: 50,
    min: 5,
    max: 10_000,
    doc: 'Failed logins from one client address (any accounts) before that address is locked out.',
  },
  { key: 'identity.lockoutMinutes', type: 'integer', default: 15, min: 1, max: 1440, doc: 'How long a lockout lasts, and the window in which failures count.' },
  { key: 'identity.tokenDefaultDays', type: 'integer', default: 90, min: 1, max: 3650, doc: 'Default lifetime of a new API token.' },
  { key: 'identity.tokenMaxDays', type: 'integer', default: 365, min: 1, max: 3650, doc: 'Longest lifetime a new API token may have.' },
  {
    key: 'alerts.webhookUrl',
    type: 'optionalString',
    doc: 'POST security alerts (lockouts) as JSON to this URL. HTTPS, or plain HTTP to a loopback receiver only.',
  },
  {
    key: 'ingest.maxUploadBytes',
    type: 'integer',
    default: 2_147_483_648,
    min: 1024,
    max: 1_099_511_627_776,
    doc: 'Largest upload accepted (after decompression), in bytes.',
  },
  { key: 'ingest.maxGzipRatio', type: 'integer', default: 100, min: 2, max: 10_000, doc: 'Largest expansion ratio of a gzip upload (gzip-bomb defence).' },
  {
    key: 'ingest.maxWorkbookBytes',
    type: 'integer',
    default: 268_435_456,
    min: 1024,
    max: 4_294_967_295,
    doc: 'Largest Excel workbook (.xlsx) accepted, in bytes as uploaded; the file is held in memory while its parts are checked and read.',
  },
  {
    key: 'ingest.maxWorkbookExpandedBytes',
    type: 'integer',
    default: 1_073_741_824,
    min: 1024,
    max: 68_719_476_736,
    doc: 'Most bytes the workbook parts Haven reads (workbook, relationships, styles, shared strings, the chosen sheet) may expand to when decompressed (zip-bomb defence).',
  },
  {
    key: 'log.level',
    type: 'string',
    default: 'info',
    allowed: ['fatal', 'error', 'warn', 'info', 'debug', 'silent'],
    doc: 'Server log level. Logs carry codes, ids and counts only.',
  },
  { key: 'oidc.issuer', type: 'optionalString', doc: 'OpenID Connect issuer URL (https). Empty: single sign-on is off.' },
  { key: 'oidc.clientId', type: 'optionalString', doc: 'Client id registered for Haven at the identity provider.' },
  {
    key: 'oidc.clientSecretFile',
    type: 'optionalString',
    secretRef: true,
    doc: 'Path to a file holding the client secret (relative to the data directory or absolute). Never the secret itself.',
  },
  { key: 'oidc.redirectUri', type: 'optionalString', doc: 'Redirect URI registered at the provider: `https://<haven>/api/auth/oidc/callback`.' },
  {
    key: 'oidc.scope',
    type: 'string',
    default: 'openid profile',
    doc: 'Scopes requested (must include `openid`; add the scope that releases the groups claim).',
  },
  { key: 'oidc.groupsClaim', type: 'string', default: 'groups', doc: "ID token claim listing the user's groups." },
  { key: 'oidc.usernameClaim', type: 'string', default: 'preferred_username', doc: 'ID token claim naming a new account when `oidc.autoCreate` is on.' },
  {
    key: 'oidc.groupMapping',
    type: 'optionalString',
    doc: 'JSON array mapping provider groups to Haven roles: `[{"group":"haven-admins","role":"site_admin"},{"group":"haven-stewards","workspace":"demo","role":"data_steward"}]`. Mapped roles are granted and revoked at every SSO login; other roles are left alone.',
  },
  {
    key: 'oidc.mfaAcrValues',
    type: 'optionalString',
    doc: 'Comma-separated `acr` values that the provider uses for multi-factor logins (an `amr` with mfa/otp/hwk/swk… also counts).',
  },
  {
    key: 'oidc.autoCreate',
    type: 'boolean',
    default: false,
    doc: 'Create a Haven account at the first SSO login of an unknown subject. Off: a site admin links accounts first.',
  },
  {
    key: 'oidc.allowInsecureLoopback',
    type: 'boolean',
    default: false,
    doc: 'Allow an `http://` issuer on a loopback address (tests and local development only; refused for other hosts).',
  },
  {
    key: 'webauthn.rpId',
    type: 'optionalString',
    doc: 'WebAuthn relying party id (the host name users see, e.g. `haven.example.org`). Empty: security keys are off.',
  },
  { key: 'webauthn.rpName', type: 'string', default: 'Haven', doc: 'Relying party name shown by the authenticator.' },
  { key: 'webauthn.origin', type: 'optionalString', doc: 'Expected origin of WebAuthn ceremonies, e.g. `https://haven.example.org:8443`.' },
  {
    key: 'models.predictRatePerMinute',
    type: 'integer',
    default: 60,
    min: 0,
    max: 1_000_000,
    doc: 'Records each principal may score per model version per minute (0: no rate limit; the query budget still applies).',
  },
  {
    key: 'models.trainThreads',
    type: 'integer',
    default: 1,
    min: 1,
    max: 64,
    doc: 'Threads one training run uses (the model is byte-identical for any count; more threads only make it faster).',
  },
  {
    key: 'models.trainMemoryLimitMiB',
    type: 'integer',
    default: 4096,
    min: 16,
    max: 1_048_576,
    doc: 'Refuse training data whose training buffers would exceed this many MiB.',
  },
  {
    key: 'models.queryBudget',
    type: 'integer',
    default: 0,
    min: 0,
    max: 100_000_000,
    doc: "Records each principal may score per model version and budget window. 0: the model class's default, set below its known extraction cost (the number of features).",
  },
  {
    key: 'models.queryBudgetEnabled',
    type: 'boolean',
    default: true,
    doc: 'Enforce query budgets (turning this off is for the extraction test only; `haven doctor` flags it).',
  },
  { key: 'models.budgetWindowHours', type: 'integer', default: 24, min: 1, max: 8760, doc: 'Length of a query-budget window.' },
  { key: 'models.maxBatchRecords', type: 'integer', default: 1000, min: 1, max: 1_000_000, doc: 'Most records in one scoring request.' },
  {
    key: 'models.refuseOutOfDistribution',
    type: 'boolean',
    default: false,
    doc: 'Refuse to score out-of-distribution records (default: score them and flag them).',
  },
  {
    key: 'models.gateMaxAucPercent',
    type: 'integer',
    default: 60,
    min: 50,
    max: 100,
    doc: 'Release gate: refuse approval when a membership-inference attack reaches this AUC (in percent).',
  },
  {
    key: 'models.minLeafSamples',
    type: 'integer',
    default: 5,
    min: 1,
    max: 10_000,
    doc: 'Release gate: every tree leaf must cover at least this many training records.',
  },
  {
    key: 'models.dpEpsilonBudget',
    type: 'integer',
    default: 10,
    min: 1,
    max: 100,
    doc: 'Total privacy loss ε (whole units) that differentially private training runs may spend on one dataset version; a run that would exceed it is refused (the ledger is kept per version, composed by the privacy accountant).',
  },
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
  readonly identity: {
    readonly passwordHashMemoryKiB: number;
    readonly passwordHashIterations: number;
    readonly sessionIdleMinutes: number;
    readonly sessionAbsoluteHours: number;
    readonly stepUpMinutes: number;
    readonly lockoutThreshold: number;
    readonly ipLockoutThreshold: number;
    readonly lockoutMinutes: number;
    readonly tokenDefaultDays: number;
    readonly tokenMaxDays: number;
  };
  readonly ingest: {
    readonly maxUploadBytes: number;
    readonly maxGzipRatio: number;
    readonly maxWorkbookBytes: number;
    readonly maxWorkbookExpandedBytes: number;
  };
  readonly alerts: { readonly webhookUrl: string | undefined };
  readonly log: { readonly level: string };
  readonly oidc: {
    readonly issuer: string | undefined;
    readonly clientId: string | undefined;
    readonly clientSecretFile: string | undefined;
    readonly redirectUri: string | undefined;
    readonly scope: string;
    readonly groupsClaim: string;
    readonly usernameClaim: string;
    readonly groupMapping: string | undefined;
    readonly mfaAcrValues: string | undefined;
    readonly autoCreate: boolean;
    readonly allowInsecureLoopback: boolean;
  };
  readonly webauthn: { readonly rpId: string | undefined; readonly rpName: string; readonly origin: string | undefined };
  readonly models: {
    readonly trainThreads: number;
    readonly predictRatePerMinute: number;
    readonly trainMemoryLimitMiB: number;
    readonly queryBudget: number;
    readonly queryBudgetEnabled: boolean;
    readonly budgetWindowHours: number;
    readonly maxBatchRecords: number;
    readonly refuseOutOfDistribution: boolean;
    readonly gateMaxAucPercent: number;
    readonly minLeafSamples: number;
    readonly dpEpsilonBudget: number;
  };
}

/** The environment variable for a key: `server.bodyLimitBytes` → `HAVEN_SERVER_BODY_LIMIT_BYTES`. */
export function envNameFor(key: string): string {
  return `HAVEN_${key
    .replace(/\./g, '_')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase()}`;
}
