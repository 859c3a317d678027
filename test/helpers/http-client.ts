import type { FastifyInstance } from 'fastify';

/** A browser-like client for inject(): keeps the session cookie and CSRF token between calls. */
export class BrowserClient {
  cookie = '';
  csrf = '';

  constructor(private readonly app: FastifyInstance) {}

  /** Send a request with the current cookie (and CSRF token unless `noCsrf`), remembering a new cookie/CSRF token. */
  async call(method: 'GET' | 'POST' | 'DELETE', url: string, body?: unknown, opts: { noCsrf?: boolean } = {}) {
    const res = await this.app.inject({
      method,
      url,
      headers: {
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...(this.csrf && !opts.noCsrf ? { 'x-csrf-token': this.csrf } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    });
    const set = res.headers['set-cookie'];
    if (typeof set === 'string') {
      this.cookie = set.split(';')[0]!;
    }
    const json = res.body ? (JSON.parse(res.body) as Record<string, unknown>) : {};
    if (typeof json.csrfToken === 'string') {
      this.csrf = json.csrfToken;
    }
    return { status: res.statusCode, json, code: (json.error as { code?: string } | undefined)?.code };
  }
}
