import type { CodeEntry } from '../code-entry.js';

/** Codes of the foundation: HTTP, configuration, data directory, store and internal errors. */
export const CORE_CODES = {
  HAVEN_INTERNAL: { status: 500, category: 'internal', message: 'internal error' },
  HAVEN_HTTP_NOT_FOUND: { status: 404, category: 'notFound', message: 'not found' },
  HAVEN_HTTP_METHOD_NOT_ALLOWED: { status: 405, category: 'usage', message: 'method not allowed' },
  HAVEN_HTTP_BAD_REQUEST: { status: 400, category: 'usage', message: 'malformed request' },
  HAVEN_HTTP_INVALID_JSON: { status: 400, category: 'usage', message: 'request body is not valid JSON' },
  HAVEN_HTTP_INVALID_UTF8: { status: 400, category: 'usage', message: 'request body is not valid UTF-8' },
  HAVEN_HTTP_PROTO_POISONING: { status: 400, category: 'usage', message: 'request body contains a forbidden key' },
  HAVEN_HTTP_VALIDATION: { status: 400, category: 'usage', message: 'request does not match the schema' },
  HAVEN_HTTP_BODY_TOO_LARGE: { status: 413, category: 'limit', message: 'request body too large' },
  HAVEN_HTTP_UNSUPPORTED_MEDIA_TYPE: { status: 415, category: 'usage', message: 'unsupported content type' },
  HAVEN_HTTP_RATE_LIMITED: { status: 429, category: 'limit', message: 'too many requests' },
  HAVEN_HTTP_BAD_PATH: { status: 400, category: 'usage', message: 'malformed path' },
  HAVEN_CONFIG_INVALID: { status: 500, category: 'config', message: 'configuration is invalid' },
  HAVEN_CONFIG_FILE_UNREADABLE: { status: 500, category: 'config', message: 'configuration file cannot be read' },
  HAVEN_CONFIG_INLINE_SECRET: { status: 500, category: 'config', message: 'secrets must be given by reference, not inline' },
  HAVEN_DATADIR_MISSING: { status: 500, category: 'config', message: 'data directory does not exist or is not initialised' },
  HAVEN_DATADIR_EXISTS: { status: 409, category: 'conflict', message: 'data directory already exists; use --force to overwrite' },
  HAVEN_DATADIR_CORRUPT: { status: 500, category: 'config', message: 'data directory is incomplete or corrupted' },
  HAVEN_DATADIR_INSECURE: { status: 500, category: 'config', message: 'data directory permissions are insecure' },
  HAVEN_STORE_UNAVAILABLE: { status: 503, category: 'unavailable', message: 'database unavailable' },
  HAVEN_STORE_MIGRATION_FAILED: { status: 500, category: 'unavailable', message: 'database migration failed' },
  HAVEN_SERVER_PLAIN_HTTP_REFUSED: { status: 500, category: 'config', message: 'plain HTTP is allowed only with an explicit flag and only on loopback' },
  HAVEN_USAGE: { status: 400, category: 'usage', message: 'invalid command usage' },
} as const satisfies Record<string, CodeEntry>;
