/**
 * The shell: who is signed in (GET /api/session), the navigation (only the pages the user's roles may see, from the
 * same page table the server uses), client-side routing under /app/, and the "not found" page, which is what a page
 * the user may not see looks like too.
 */
import { DASHBOARD_PAGES, pagesFor, workspacesFor, type DashboardPage } from '../../src/faces/dashboard-pages.js';
import { api, ApiError, setCsrf, type SessionInfo } from './api.js';
import { h, replace, type Child } from './dom.js';
import { renderLogin } from './login.js';
import { renderActualStay } from './pages/actual-stay.js';
import { renderPredictedStay } from './pages/predicted-stay.js';
import { notice, select } from './ui.js';

/** What a page renderer gets. */
export interface PageContext {
  readonly session: SessionInfo;
  readonly page: DashboardPage;
  readonly workspace: string;
  readonly params: URLSearchParams;
  /** Go to another URL under /app/ (query included) without reloading. */
  navigate(url: string): void;
}

const RENDERERS: Readonly<Record<string, (ctx: PageContext) => Promise<Child[]>>> = {
  'predicted-stay': renderPredictedStay,
  'actual-stay': renderActualStay,
};

const BASE = '/app/';

function slugOf(): string {
  return location.pathname.startsWith(BASE) ? location.pathname.slice(BASE.length).replace(/\/$/, '') : '';
}

/**
 * Navigate within the dashboard.
 * @param url - a URL under /app/
 */
export function navigate(url: string): void {
  history.pushState(null, '', url);
  void render();
}

async function loadSession(): Promise<SessionInfo | null> {
  try {
    return await api<SessionInfo>('GET', '/api/session');
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      return null;
    }
    throw err;
  }
}

function header(session: SessionInfo | null, current: string): HTMLElement {
  const pages = session?.fullyAuthenticated ? pagesFor(session) : [];
  const nav = h(
    'nav',
    { attrs: { 'aria-label': 'Dashboard pages' } },
    h(
      'ul',
      {},
      ...pages.map((p) =>
        h('li', {}, h('a', { attrs: { href: `${BASE}${p.slug}`, 'data-nav': true, 'aria-current': p.slug === current ? 'page' : undefined } }, p.title)),
      ),
    ),
  );
  const signOut = session
    ? h(
        'div',
        { class: 'user' },
        h('span', { attrs: { 'data-testid': 'signed-in-as' } }, session.username),
        h(
          'button',
          {
            attrs: { type: 'button' },
            on: {
              click: () => {
                void api('POST', '/api/auth/logout').finally(() => {
                  setCsrf(null);
                  navigate(`${BASE}login`);
                });
              },
            },
          },
          'Sign out',
        ),
      )
    : null;
  return h(
    'header',
    { class: 'top' },
    h('a', { class: 'brand', attrs: { href: BASE, 'data-nav': true } }, 'Haven'),
    session?.fullyAuthenticated ? nav : null,
    signOut,
  );
}

function mainWith(...children: Child[]): HTMLElement {
  return h('main', { attrs: { id: 'main', tabindex: '-1' } }, ...children);
}

function show(session: SessionInfo | null, current: string, main: HTMLElement): void {
  replace(document.getElementById('app')!, header(session, current), main);
  const heading = main.querySelector('h1');
  if (heading) {
    heading.setAttribute('tabindex', '-1');
    heading.focus();
  }
}

function notFound(session: SessionInfo): HTMLElement {
  document.title = 'Not found · Haven';
  const pages = pagesFor(session);
  return mainWith(
    h('h1', {}, 'Page not found'),
    h('p', {}, 'There is no such page, or it is not one your roles can see.'),
    pages.length > 0 ? h('p', {}, h('a', { attrs: { href: `${BASE}${pages[0]!.slug}`, 'data-nav': true } }, `Go to ${pages[0]!.title}`)) : null,
  );
}

function home(session: SessionInfo): HTMLElement {
  document.title = 'Haven';
  const pages = pagesFor(session);
  return mainWith(
    h('h1', {}, `Signed in as ${session.username}`),
    pages.length === 0
      ? h('p', { attrs: { 'data-testid': 'no-pages' } }, 'None of the dashboard pages built so far is for your roles.')
      : h('ul', { class: 'page-list' }, ...pages.map((p) => h('li', {}, h('a', { attrs: { href: `${BASE}${p.slug}`, 'data-nav': true } }, p.title)))),
  );
}

async function renderPage(session: SessionInfo, page: DashboardPage): Promise<HTMLElement> {
  const params = new URLSearchParams(location.search);
  const workspaces = workspacesFor(page, session);
  const workspace = workspaces.includes(params.get('workspace') ?? '') ? params.get('workspace')! : workspaces[0]!;
  document.title = `${page.title} · Haven`;
  const picker =
    workspaces.length > 1
      ? h(
          'form',
          {
            class: 'filters',
            on: {
              change: (e) => {
                const ws = (e.target as HTMLSelectElement).value;
                navigate(`${BASE}${page.slug}?workspace=${encodeURIComponent(ws)}`);
              },
            },
          },
          select(
            'workspace',
            'Workspace',
            workspaces.map((w) => [w, w] as const),
            workspace,
          ),
        )
      : h('p', { class: 'workspace' }, 'Workspace: ', h('strong', {}, workspace));
  const ctx: PageContext = { session, page, workspace, params, navigate };
  let body: Child[];
  try {
    body = await RENDERERS[page.slug]!(ctx);
  } catch (err) {
    body = [notice('alert', err instanceof ApiError ? `${err.message} (${err.code})` : 'The report could not be loaded.')];
  }
  return mainWith(h('h1', {}, page.title), picker, ...body);
}

/** Render the current URL. */
export async function render(): Promise<void> {
  delete document.body.dataset.ready;
  const slug = slugOf();
  let session: SessionInfo | null;
  try {
    session = await loadSession();
  } catch (err) {
    show(null, slug, mainWith(h('h1', {}, 'Haven'), notice('alert', err instanceof ApiError ? err.message : 'The server cannot be reached.')));
    return;
  }
  if (!session || !session.fullyAuthenticated) {
    if (slug !== 'login') {
      const next = slug === '' ? '' : `?next=${encodeURIComponent(slug)}`;
      history.replaceState(null, '', `${BASE}login${next}`);
    }
    document.title = 'Sign in · Haven';
    show(session, 'login', mainWith(...renderLogin(session, navigate)));
    markReady('login');
    return;
  }
  if (slug === 'login') {
    const next = new URLSearchParams(location.search).get('next') ?? '';
    history.replaceState(null, '', `${BASE}${DASHBOARD_PAGES.some((p) => p.slug === next) ? next : ''}`);
    await render();
    return;
  }
  if (slug === '') {
    show(session, slug, home(session));
    markReady('home');
    return;
  }
  const page = pagesFor(session).find((p) => p.slug === slug);
  show(session, slug, page ? await renderPage(session, page) : notFound(session));
  // Charts draw in the next animation frame (once attached); mark the page ready after them.
  await new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
  markReady(page ? page.slug : 'not-found');
}

/** Tell observers (the browser tests, their timing) that the page has rendered its content. */
function markReady(name: string): void {
  document.body.dataset.ready = name;
  performance.mark(`haven:ready:${name}`);
}

/** Start the app: render the current URL and handle navigation. */
export async function start(): Promise<void> {
  window.addEventListener('popstate', () => void render());
  document.addEventListener('click', (e) => {
    const a = (e.target as Element | null)?.closest('a[data-nav]');
    if (a instanceof HTMLAnchorElement && e.button === 0 && !e.metaKey && !e.ctrlKey && !e.shiftKey) {
      e.preventDefault();
      navigate(a.pathname + a.search);
    }
  });
  await render();
}
