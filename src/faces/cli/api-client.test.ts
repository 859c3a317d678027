import { describe, expect, it } from 'vitest';
import { HavenError } from '../../errors/haven-error.js';
import { apiClientOptionsFrom, DEFAULT_SERVER, errorFromResponse } from './api-client.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    return err instanceof HavenError ? err.code : 'not-haven';
  }
}

describe('apiClientOptionsFrom', () => {
  it('takes --server over HAVEN_SERVER over the default, and trims trailing slashes', () => {
    expect(apiClientOptionsFrom({}, {}).server).toBe(DEFAULT_SERVER);
    expect(apiClientOptionsFrom({}, { HAVEN_SERVER: 'https://haven.example:9443/' }).server).toBe('https://haven.example:9443');
    expect(apiClientOptionsFrom({ server: 'https://a.example' }, { HAVEN_SERVER: 'https://b.example' }).server).toBe('https://a.example');
  });

  it('accepts only https URLs without embedded credentials', () => {
    for (const bad of ['http://127.0.0.1:8443', 'ftp://x', 'not a url', 'https://user:pw@host']) {
      expect(
        codeOf(() => apiClientOptionsFrom({ server: bad }, {})),
        bad,
      ).toBe('HAVEN_CLI_SERVER_URL_INVALID');
    }
  });

  it('an unreadable CA file is a usage error', () => {
    expect(codeOf(() => apiClientOptionsFrom({ ca: '/nonexistent/ca.pem' }, {}))).toBe('HAVEN_USAGE');
    expect(apiClientOptionsFrom({}, {}).ca).toBeUndefined();
  });
});

describe('errorFromResponse', () => {
  it('keeps a known server code and its message; anything else is HAVEN_CLI_BAD_RESPONSE', () => {
    const known = errorFromResponse({ status: 401, json: { error: { code: 'HAVEN_AUTH_INVALID_TOKEN', message: 'invalid credentials' } }, setCookie: [] });
    expect([known.code, known.message, known.exitCode]).toEqual(['HAVEN_AUTH_INVALID_TOKEN', 'invalid credentials', 4]);
    expect(errorFromResponse({ status: 500, json: { error: { code: 'HAVEN_FROM_THE_FUTURE' } }, setCookie: [] }).code).toBe('HAVEN_CLI_BAD_RESPONSE');
    expect(errorFromResponse({ status: 502, json: null, setCookie: [] }).code).toBe('HAVEN_CLI_BAD_RESPONSE');
  });
});
