import type { FastifyInstance } from 'fastify';
import secureJson from 'secure-json-parse';
import { HavenError } from '../../../errors/haven-error.js';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Parse JSON bodies strictly: the bytes must be valid UTF-8 (Fastify's default would replace bad bytes silently),
 * and `__proto__` / `constructor.prototype` keys are refused rather than stripped.
 * @param app - the Fastify instance
 */
export function registerJsonBodyParser(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => {
    let text: string;
    try {
      text = utf8.decode(body as Buffer);
    } catch {
      done(new HavenError('HAVEN_HTTP_INVALID_UTF8'), undefined);
      return;
    }
    if (text.trim() === '') {
      done(new HavenError('HAVEN_HTTP_INVALID_JSON'), undefined);
      return;
    }
    try {
      done(null, secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' }));
    } catch (err) {
      const isPoison = err instanceof SyntaxError && /prototype/i.test(err.message);
      done(new HavenError(isPoison ? 'HAVEN_HTTP_PROTO_POISONING' : 'HAVEN_HTTP_INVALID_JSON'), undefined);
    }
  });
}
