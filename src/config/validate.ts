import { CONFIG_SCHEMA, envNameFor, type ConfigEntry, type HavenConfig } from './schema.js';

/** One problem found while validating configuration (the key and what is wrong, never the value of a secret). */
export interface ConfigProblem {
  readonly key: string;
  readonly source: string;
  readonly problem: string;
}

type Raw = { readonly value: unknown; readonly source: string };

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** Whether a host name or address is loopback. */
export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host) || host.startsWith('127.');
}

function coerce(entry: ConfigEntry, raw: Raw): { value?: unknown; problem?: string } {
  const fromEnv = raw.source.startsWith('env');
  switch (entry.type) {
    case 'string':
    case 'optionalString': {
      if (typeof raw.value !== 'string') {
        return { problem: 'must be a string' };
      }
      if (entry.type === 'string' && entry.allowed && !entry.allowed.includes(raw.value)) {
        return { problem: `must be one of ${entry.allowed.join(', ')}` };
      }
      return { value: raw.value === '' && entry.type === 'optionalString' ? undefined : raw.value };
    }
    case 'integer': {
      const n = fromEnv && typeof raw.value === 'string' && /^-?\d+$/.test(raw.value) ? Number(raw.value) : raw.value;
      if (typeof n !== 'number' || !Number.isInteger(n)) {
        return { problem: 'must be an integer' };
      }
      if (n < entry.min || n > entry.max) {
        return { problem: `must be between ${entry.min} and ${entry.max}` };
      }
      return { value: n };
    }
    case 'boolean': {
      const b = fromEnv && typeof raw.value === 'string' ? ({ true: true, false: false } as Record<string, boolean>)[raw.value] : raw.value;
      if (typeof b !== 'boolean') {
        return { problem: 'must be true or false' };
      }
      return { value: b };
    }
  }
}

function flatten(obj: unknown, prefix: string, out: Map<string, unknown>): void {
  if (obj !== null && typeof obj === 'object' && !Array.isArray(obj)) {
    for (const [k, v] of Object.entries(obj)) {
      flatten(v, prefix ? `${prefix}.${k}` : k, out);
    }
  } else {
    out.set(prefix, obj);
  }
}

function hasInlinePassword(url: string): boolean {
  try {
    return new URL(url).password !== '';
  } catch {
    return false;
  }
}

/**
 * Merge defaults, the file's values and environment variables; validate every key; report every problem at once.
 * Pure: the caller reads the file and the environment.
 * @param fileValues - parsed config file (nested object) or undefined
 * @param env - environment variables
 */
export function resolveConfig(
  fileValues: unknown,
  env: Readonly<Record<string, string | undefined>>,
): { config: HavenConfig; problems: [] } | { config?: undefined; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const fileFlat = new Map<string, unknown>();
  if (fileValues !== undefined) {
    if (fileValues === null || typeof fileValues !== 'object' || Array.isArray(fileValues)) {
      problems.push({ key: '(file)', source: 'file', problem: 'must be a JSON object' });
    } else {
      flatten(fileValues, '', fileFlat);
    }
  }
  const known = new Set<string>(CONFIG_SCHEMA.map((e) => e.key));
  for (const key of fileFlat.keys()) {
    if (!known.has(key)) {
      problems.push({ key, source: 'file', problem: 'unknown key' });
    }
  }
  const nested: Record<string, Record<string, unknown>> = {};
  for (const entry of CONFIG_SCHEMA as readonly ConfigEntry[]) {
    const envName = envNameFor(entry.key);
    let raw: Raw | undefined;
    if (env[envName] !== undefined) {
      raw = { value: env[envName], source: `env ${envName}` };
    } else if (fileFlat.has(entry.key)) {
      raw = { value: fileFlat.get(entry.key), source: 'file' };
    }
    let value: unknown = 'default' in entry ? entry.default : undefined;
    if (raw) {
      const r = coerce(entry, raw);
      if (r.problem) {
        problems.push({ key: entry.key, source: raw.source, problem: r.problem });
        continue;
      }
      value = r.value;
    }
    const [section, name] = entry.key.split('.') as [string, string];
    (nested[section] ??= {})[name] = value;
  }
  if (problems.length > 0) {
    return { problems };
  }
  const config = nested as unknown as HavenConfig;
  if (config.database.url !== undefined && hasInlinePassword(config.database.url)) {
    problems.push({ key: 'database.url', source: 'config', problem: 'contains a password; use database.passwordFile' });
  }
  if (config.database.url !== undefined && !/^postgres(ql)?:\/\//.test(config.database.url)) {
    problems.push({ key: 'database.url', source: 'config', problem: 'must be a postgres:// URL' });
  }
  if (!config.server.tls && !config.server.allowPlainHttp) {
    problems.push({ key: 'server.tls', source: 'config', problem: 'plain HTTP requires server.allowPlainHttp=true' });
  }
  if (!config.server.tls && !isLoopback(config.server.host)) {
    problems.push({ key: 'server.host', source: 'config', problem: 'plain HTTP is only allowed on a loopback address' });
  }
  if (config.alerts.webhookUrl !== undefined) {
    let ok = false;
    try {
      const u = new URL(config.alerts.webhookUrl);
      ok = (u.protocol === 'https:' || (u.protocol === 'http:' && isLoopback(u.hostname))) && u.username === '' && u.password === '';
    } catch {
      ok = false;
    }
    if (!ok) {
      problems.push({ key: 'alerts.webhookUrl', source: 'config', problem: 'must be an https:// URL (http:// only on loopback) without credentials' });
    }
  }
  if (config.database.schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(config.database.schema)) {
    problems.push({ key: 'database.schema', source: 'config', problem: 'must be a lower-case identifier' });
  }
  return problems.length > 0 ? { problems } : { config: deepFreeze(config), problems: [] };
}

/** Freeze an object graph so configuration cannot change after start. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) {
      deepFreeze(v);
    }
    Object.freeze(value);
  }
  return value;
}

/**
 * A printable copy of the configuration with secret references redacted.
 * @param config - the configuration
 */
export function redactConfig(config: HavenConfig): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(config)) as { database: Record<string, unknown> };
  for (const entry of CONFIG_SCHEMA as readonly ConfigEntry[]) {
    if (entry.type === 'optionalString' && entry.secretRef) {
      const [section, name] = entry.key.split('.') as [string, string];
      const sec = (copy as unknown as Record<string, Record<string, unknown>>)[section]!;
      if (sec[name] !== undefined) {
        sec[name] = '[redacted]';
      }
    }
  }
  return copy;
}
