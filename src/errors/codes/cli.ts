import type { CodeEntry } from '../code-entry.js';

/**
 * Codes of the command-line client (`haven login`, `haven user|token|workspace ...`). Messages are fixed; details carry
 * only paths' file modes, HTTP statuses and codes — never tokens, passwords or TOTP secrets.
 */
export const CLI_CODES = {
  HAVEN_CLI_NOT_LOGGED_IN: { status: 401, category: 'auth', message: 'not logged in: run haven login first' },
  HAVEN_CLI_TOKEN_FILE_INSECURE: {
    status: 500,
    category: 'config',
    message: 'the token file is readable by other users or not a regular file you own; fix it with chmod 600 or log in again',
  },
  HAVEN_CLI_TOKEN_FILE_INVALID: { status: 500, category: 'config', message: 'the token file does not hold a Haven API token; log in again' },
  HAVEN_CLI_SERVER_URL_INVALID: { status: 400, category: 'usage', message: 'the server URL must be an https:// URL' },
  HAVEN_CLI_SERVER_UNREACHABLE: { status: 503, category: 'unavailable', message: 'cannot reach the Haven server' },
  HAVEN_CLI_TLS_UNTRUSTED: {
    status: 502,
    category: 'integrity',
    message: "the server's TLS certificate is not trusted; give the instance CA with --ca FILE or HAVEN_CA",
  },
  HAVEN_CLI_BAD_RESPONSE: { status: 502, category: 'unavailable', message: 'the server sent a response this client does not understand' },
  HAVEN_CLI_INPUT_REQUIRED: {
    status: 400,
    category: 'usage',
    message: 'input needed but there is no terminal; use --password-stdin, --new-password-stdin, --code or the environment',
  },
  HAVEN_CLI_PASSWORD_MISMATCH: { status: 400, category: 'usage', message: 'the two passwords do not match' },
} as const satisfies Record<string, CodeEntry>;
