import { describe, expect, it } from 'vitest';
import { redactConfig, resolveConfig } from './validate.js';
import { envNameFor } from './schema.js';

describe('resolveConfig', () => {
  it('gives secure defaults: loopback, TLS, 1 MiB bodies', () => {
    const r = resolveConfig({}, {});
    expect(r.config?.server.host).toBe('127.0.0.1');
    expect(r.config?.server.tls).toBe(true);
    expect(r.config?.server.allowPlainHttp).toBe(false);
    expect(r.config?.server.bodyLimitBytes).toBe(1_048_576);
  });

  it('applies file values, then environment variables over them', () => {
    const r = resolveConfig({ server: { port: 9000, host: '::1' } }, { HAVEN_SERVER_PORT: '9100' });
    expect(r.config?.server.port).toBe(9100);
    expect(r.config?.server.host).toBe('::1');
  });

  it('reports every problem at once, naming key and source', () => {
    const r = resolveConfig({ server: { port: 'x', bodyLimitBytes: 1 }, nope: 1 }, { HAVEN_LOG_LEVEL: 'loud', HAVEN_SERVER_TLS: 'maybe' });
    expect(r.config).toBeUndefined();
    expect(r.problems.map((p) => `${p.key}|${p.source}`).sort()).toEqual(
      ['nope|file', 'server.port|file', 'server.bodyLimitBytes|file', 'log.level|env HAVEN_LOG_LEVEL', 'server.tls|env HAVEN_SERVER_TLS'].sort(),
    );
  });

  it('refuses a password inline in the database URL', () => {
    const r = resolveConfig({ database: { url: 'postgres://u:secret@db/x' } }, {});
    expect(r.problems).toEqual([{ key: 'database.url', source: 'config', problem: 'contains a password; use database.passwordFile' }]);
    expect(JSON.stringify(r.problems)).not.toContain('secret');
  });

  it('refuses plain HTTP without the explicit flag, and off loopback even with it', () => {
    expect(resolveConfig({ server: { tls: false } }, {}).problems.map((p) => p.key)).toEqual(['server.tls']);
    expect(resolveConfig({ server: { tls: false, allowPlainHttp: true, host: '0.0.0.0' } }, {}).problems.map((p) => p.key)).toEqual(['server.host']);
    expect(resolveConfig({ server: { tls: false, allowPlainHttp: true } }, {}).config?.server.tls).toBe(false);
  });

  it('freezes the result', () => {
    const c = resolveConfig({}, {}).config!;
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.server)).toBe(true);
    expect(() => {
      (c.server as { port: number }).port = 1;
    }).toThrow(TypeError);
  });

  it('redacts secret references when printed', () => {
    const c = resolveConfig({ database: { url: 'postgres://u@db/x', passwordFile: '/run/secrets/pg' } }, {}).config!;
    expect(JSON.stringify(redactConfig(c))).not.toContain('/run/secrets/pg');
    expect(redactConfig(c)).toMatchObject({ database: { passwordFile: '[redacted]' } });
  });

  it('derives environment names from keys', () => {
    expect(envNameFor('server.bodyLimitBytes')).toBe('HAVEN_SERVER_BODY_LIMIT_BYTES');
    expect(envNameFor('database.url')).toBe('HAVEN_DATABASE_URL');
  });
});
