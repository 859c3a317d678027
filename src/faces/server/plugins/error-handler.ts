import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CATALOGUE, type HavenCode } from '../../../errors/codes.js';
import { HavenError } from '../../../errors/haven-error.js';

/** The body of every error response. */
export const ERROR_RESPONSE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      additionalProperties: false,
      required: ['code', 'message', 'requestId'],
      properties: { code: { type: 'string' }, message: { type: 'string' }, requestId: { type: 'string' } },
    },
  },
} as const;

/** Fastify's own error codes that have a safe Haven equivalent. */
const FRAMEWORK_CODES: Readonly<Record<string, HavenCode>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'HAVEN_HTTP_BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'HAVEN_HTTP_UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'HAVEN_HTTP_BAD_REQUEST',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'HAVEN_HTTP_INVALID_JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'HAVEN_HTTP_INVALID_JSON',
  FST_ERR_BAD_URL: 'HAVEN_HTTP_BAD_PATH',
  FST_ERR_ASYNC_CONSTRAINT: 'HAVEN_HTTP_BAD_REQUEST',
  FST_ERR_VALIDATION: 'HAVEN_HTTP_VALIDATION',
  FST_ERR_NOT_FOUND: 'HAVEN_HTTP_NOT_FOUND',
};

/**
 * Map any error to a safe, coded error. Unknown errors become HAVEN_INTERNAL: their message is never sent.
 * @param err - whatever was thrown
 */
export function toHavenError(err: unknown): HavenError {
  if (err instanceof HavenError) {
    return err;
  }
  const fe = err as Partial<FastifyError> & { type?: string };
  if (fe.validation) {
    return new HavenError('HAVEN_HTTP_VALIDATION');
  }
  if (typeof fe.code === 'string' && FRAMEWORK_CODES[fe.code]) {
    return new HavenError(FRAMEWORK_CODES[fe.code]!);
  }
  if (fe.statusCode === 429) {
    return new HavenError('HAVEN_HTTP_RATE_LIMITED');
  }
  if (fe.statusCode === 413) {
    return new HavenError('HAVEN_HTTP_BODY_TOO_LARGE');
  }
  return new HavenError('HAVEN_INTERNAL', undefined, { cause: err });
}

/** Send a coded error: status from the catalogue, the fixed or safe message, the request id. */
export function sendError(reply: FastifyReply, request: FastifyRequest, err: HavenError): FastifyReply {
  const safeMessage = err.code === 'HAVEN_INTERNAL' ? CATALOGUE.HAVEN_INTERNAL.message : err.message;
  return reply
    .code(err.status)
    .type('application/json')
    .send({ error: { code: err.code, message: safeMessage, requestId: String(request.id) } });
}

/**
 * The one error handler, the not-found handler and the handler for errors Fastify raises before routing
 * (bad URLs). Logs codes and request ids only: the message of an unknown error may carry input values.
 * @param app - the Fastify instance
 */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err, request, reply) => {
    const haven = toHavenError(err);
    if (haven.code === 'HAVEN_INTERNAL') {
      const cause = err as { name?: string; code?: unknown };
      request.log.error({ code: haven.code, reqId: request.id, errName: cause.name, errCode: cause.code }, 'internal error');
    } else if (haven.status >= 500) {
      request.log.warn({ code: haven.code, reqId: request.id }, 'server-side error');
    }
    return sendError(reply, request, haven);
  });
  app.setNotFoundHandler((request, reply) => sendError(reply, request, new HavenError('HAVEN_HTTP_NOT_FOUND')));
}
