import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { loadWebBundle, type WebAsset, type WebBundle } from '../../../../adapters/web/web-assets.js';
import type { Instance } from '../../../../composition/open-instance.js';
import { HavenError } from '../../../../errors/haven-error.js';
import { DASHBOARD_PAGES, mayOpen, OPEN_PAGES } from '../../../dashboard-pages.js';
import { SESSION_COOKIE } from '../../route-config.js';

/** Where the dashboard is served. */
export const DASHBOARD_PATH = '/app/';

function sessionCookie(request: FastifyRequest): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === SESSION_COOKIE) {
      return v.join('=');
    }
  }
  return undefined;
}

function send(reply: FastifyReply, request: FastifyRequest, a: WebAsset, status = 200): FastifyReply {
  reply.header('etag', a.etag);
  // The shell page is never cached (it names the current hashed assets); hashed assets are cached for good.
  reply.header('cache-control', a.immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
  if (status === 200 && request.headers['if-none-match'] === a.etag) {
    return reply.code(304).send();
  }
  return reply.code(status).type(a.contentType).send(a.body);
}

/**
 * Whether the signed-in user (if any) may see a page. Without a valid, fully authenticated session the shell is served
 * and shows the sign-in form; the data behind every page is guarded by its own API route either way.
 */
async function hiddenFrom(request: FastifyRequest, instance: Instance, slug: string): Promise<boolean> {
  const page = DASHBOARD_PAGES.find((p) => p.slug === slug);
  const cookie = sessionCookie(request);
  if (page === undefined || cookie === undefined) {
    return false;
  }
  try {
    const p = await instance.sessions.authenticate(cookie, undefined, false);
    return (
      p.fullyAuthenticated && !mayOpen(page, { globalRoles: p.globalRoles, workspaces: p.memberships.map((m) => ({ name: m.workspaceId, role: m.role })) })
    );
  } catch {
    return false;
  }
}

/**
 * The dashboard: the built single-page app under /app/, from an allow-list of files loaded into memory at start (no
 * path from a request ever reaches the file system). Page paths get the shell page — with status 404 when the
 * signed-in user may not see that page, as for a page that does not exist; hashed assets are cached as immutable.
 * Public routes: the sign-in page and its assets must load before anyone is signed in; they hold no data.
 * @param app - the Fastify instance
 * @param instance - configuration and services
 * @param bundle - the built files (default: dist/web; undefined when not built, then /app/ answers 404)
 */
export function registerDashboardRoutes(app: FastifyInstance, instance: Instance, bundle: WebBundle | undefined = loadWebBundle()): void {
  const pages = new Set([...OPEN_PAGES, ...DASHBOARD_PAGES.map((p) => p.slug)]);

  app.get('/app', { config: { access: { public: true } }, schema: { hide: true } }, async (_request, reply) => reply.redirect(DASHBOARD_PATH, 302));

  app.get<{ Params: { '*': string } }>('/app/*', { config: { access: { public: true } }, schema: { hide: true } }, async (request, reply) => {
    if (!bundle) {
      throw new HavenError('HAVEN_HTTP_NOT_FOUND', 'the dashboard is not built (npm run build)');
    }
    const rest = request.params['*'];
    const file = bundle.files.get(rest);
    if (file !== undefined) {
      return send(reply, request, file);
    }
    if (pages.has(rest)) {
      return send(reply, request, bundle.index, (await hiddenFrom(request, instance, rest)) ? 404 : 200);
    }
    if (rest.includes('.')) {
      throw new HavenError('HAVEN_HTTP_NOT_FOUND');
    }
    return send(reply, request, bundle.index, 404);
  });
}
