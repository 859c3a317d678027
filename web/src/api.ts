/**
 * Calls to Haven's API from the dashboard: same origin, the HttpOnly session cookie sent by the browser, and the
 * session's CSRF token (kept in this tab's sessionStorage) on state-changing requests.
 */

const CSRF_KEY = 'haven.csrf';

/** An API error with Haven's code. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Remember the CSRF token the server issued with the current session. */
export function setCsrf(token: string | null): void {
  if (token === null) {
    sessionStorage.removeItem(CSRF_KEY);
  } else {
    sessionStorage.setItem(CSRF_KEY, token);
  }
}

/**
 * Call the API and parse the JSON answer; a non-2xx answer throws ApiError with Haven's code.
 * @param method - HTTP method
 * @param path - path and query
 * @param body - JSON body
 */
export async function api<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET') {
    headers['x-csrf-token'] = sessionStorage.getItem(CSRF_KEY) ?? '';
  }
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
  }
  const res = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    cache: 'no-store',
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  const json = text ? (JSON.parse(text) as unknown) : undefined;
  if (!res.ok) {
    const err = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new ApiError(res.status, err?.code ?? 'HAVEN_HTTP_ERROR', err?.message ?? `HTTP ${res.status}`);
  }
  const csrf = (json as { csrfToken?: unknown } | undefined)?.csrfToken;
  if (typeof csrf === 'string') {
    setCsrf(csrf);
  }
  return json as T;
}

/** GET /api/session. */
export interface SessionInfo {
  readonly subject: string;
  readonly username: string;
  readonly globalRoles: readonly string[];
  readonly workspaces: readonly { readonly name: string; readonly role: string }[];
  readonly via: string;
  readonly fullyAuthenticated: boolean;
}
