import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { HavenConfig } from '../../config/schema.js';
import { isLoopback } from '../../config/validate.js';
import { HavenError } from '../../errors/haven-error.js';
import { parseGroupMapping, type GroupMappingEntry } from './oidc-role-mapping.js';

/** Validated single sign-on settings, with the client secret read from its file. */
export interface OidcSettings {
  readonly issuer: URL;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUri: URL;
  readonly scope: string;
  readonly groupsClaim: string;
  readonly usernameClaim: string;
  readonly mapping: readonly GroupMappingEntry[];
  readonly mfaAcrValues: readonly string[];
  readonly autoCreate: boolean;
  /** Plain-HTTP issuer allowed (only ever true for a loopback issuer). */
  readonly allowInsecure: boolean;
}

const invalid = (message: string): HavenError => new HavenError('HAVEN_SSO_CONFIG_INVALID', message);

function parseUrl(value: string, key: string): URL {
  try {
    return new URL(value);
  } catch {
    throw invalid(`${key} is not a URL`);
  }
}

/**
 * Single sign-on settings from configuration, or null when `oidc.issuer` is empty (SSO off). The issuer must be
 * https unless it is on loopback and `oidc.allowInsecureLoopback` is set (tests); the secret is read from its file.
 * @param config - the configuration
 * @param dataDir - the data directory (relative secret paths resolve against it)
 */
export function oidcSettings(config: HavenConfig, dataDir: string): OidcSettings | null {
  const o = config.oidc;
  if (o.issuer === undefined) {
    return null;
  }
  if (o.clientId === undefined || o.clientSecretFile === undefined || o.redirectUri === undefined) {
    throw invalid('oidc.clientId, oidc.clientSecretFile and oidc.redirectUri are required with oidc.issuer');
  }
  const issuer = parseUrl(o.issuer, 'oidc.issuer');
  const insecure = issuer.protocol === 'http:';
  if (insecure && !(o.allowInsecureLoopback && isLoopback(issuer.hostname))) {
    throw invalid('oidc.issuer must be https (http only on loopback with oidc.allowInsecureLoopback)');
  }
  if (!insecure && issuer.protocol !== 'https:') {
    throw invalid('oidc.issuer must be https');
  }
  const redirectUri = parseUrl(o.redirectUri, 'oidc.redirectUri');
  if (!o.scope.split(' ').includes('openid')) {
    throw invalid('oidc.scope must include openid');
  }
  const path = isAbsolute(o.clientSecretFile) ? o.clientSecretFile : join(dataDir, o.clientSecretFile);
  let clientSecret: string;
  try {
    clientSecret = readFileSync(path, 'utf8').trim();
  } catch (cause) {
    throw new HavenError('HAVEN_SSO_CONFIG_INVALID', 'oidc.clientSecretFile cannot be read', { cause });
  }
  if (clientSecret === '') {
    throw invalid('oidc.clientSecretFile is empty');
  }
  return {
    issuer,
    clientId: o.clientId,
    clientSecret,
    redirectUri,
    scope: o.scope,
    groupsClaim: o.groupsClaim,
    usernameClaim: o.usernameClaim,
    mapping: parseGroupMapping(o.groupMapping),
    mfaAcrValues: (o.mfaAcrValues ?? '').split(',').map((v) => v.trim()).filter((v) => v !== ''),
    autoCreate: o.autoCreate,
    allowInsecure: insecure,
  };
}
