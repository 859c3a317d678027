import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../config/validate.js';
import { oidcSettings } from './oidc-settings.js';

const dir = mkdtempSync(join(tmpdir(), 'haven-oidc-settings-'));
writeFileSync(join(dir, 'secret'), 'the-secret\n');
writeFileSync(join(dir, 'empty'), '\n');

function config(oidc: Record<string, unknown>) {
  const r = resolveConfig({ oidc }, {});
  if (!r.config) {
    throw new Error(JSON.stringify(r.problems));
  }
  return r.config;
}

const base = { issuer: 'https://idp.example.org/realms/h', clientId: 'haven', clientSecretFile: 'secret', redirectUri: 'https://haven.example.org/api/auth/oidc/callback' };

describe('oidcSettings', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is null without an issuer (SSO off)', () => {
    expect(oidcSettings(config({}), dir)).toBeNull();
  });

  it('reads the secret from its file (relative to the data directory) and parses the lists', () => {
    const s = oidcSettings(config({ ...base, mfaAcrValues: 'urn:a , urn:b', groupMapping: '[{"group":"g","role":"auditor"}]' }), dir)!;
    expect(s.clientSecret).toBe('the-secret');
    expect(s.mfaAcrValues).toEqual(['urn:a', 'urn:b']);
    expect(s.mapping).toEqual([{ group: 'g', role: 'auditor' }]);
    expect(s.allowInsecure).toBe(false);
    expect(s.autoCreate).toBe(false);
  });

  it.each([
    ['an http issuer off loopback', { issuer: 'http://idp.example.org', allowInsecureLoopback: true }],
    ['an http loopback issuer without the opt-in', { issuer: 'http://127.0.0.1:9000' }],
    ['a missing client id', { clientId: '' }],
    ['an unreadable secret file', { clientSecretFile: 'nope' }],
    ['an empty secret file', { clientSecretFile: 'empty' }],
    ['a scope without openid', { scope: 'profile' }],
    ['a bad mapping', { groupMapping: '[{"group":"g","role":"root"}]' }],
  ])('refuses %s', (_name, over) => {
    expect(() => oidcSettings(config({ ...base, ...over }), dir)).toThrow(expect.objectContaining({ code: 'HAVEN_SSO_CONFIG_INVALID' }));
  });

  it('allows an http issuer on loopback only with allowInsecureLoopback', () => {
    expect(oidcSettings(config({ ...base, issuer: 'http://127.0.0.1:9000', allowInsecureLoopback: true }), dir)?.allowInsecure).toBe(true);
  });
});
