import type { FastifyInstance } from 'fastify';
import { HavenError } from '../../../errors/haven-error.js';

/**
 * Refuse path tricks before routing or authentication: NUL bytes, backslashes, `.`/`..` segments,
 * empty segments (`//`) and encoded slashes, raw or percent-encoded. Haven's routes never need any of them,
 * so an allowlist of plain segments is the simplest safe rule.
 * @param url - the raw request URL
 */
export function isSuspiciousPath(url: string): boolean {
  const path = url.split('?', 1)[0]!;
  if (/%(00|2f|5c)/i.test(path) || path.includes('\\') || path.includes('\0')) {
    return true;
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return true;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) {
    return true;
  }
  const segments = decoded.split('/').slice(1);
  return segments.some((s, i) => s === '.' || s === '..' || (s === '' && i < segments.length - 1));
}

/**
 * Register the guard as the first onRequest hook.
 * @param app - the Fastify instance
 */
export function registerPathGuard(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    if (isSuspiciousPath(request.raw.url ?? '/')) {
      throw new HavenError('HAVEN_HTTP_BAD_PATH');
    }
  });
}
