import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { Persona } from './personas.js';
import type { TestInstance } from './test-instance.js';

/** Debian's Chromium, as the issue asks (no browser download). */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Launch headless Chromium that trusts exactly one extra key: the test server's (its SPKI pinned with
 * --ignore-certificate-errors-spki-list). Chromium on Linux cannot be given a CA file, and `ignoreHTTPSErrors` would accept
 * any certificate at all; the pin accepts only a certificate carrying this server's public key.
 * @param t - the test instance whose TLS certificate the server presents
 */
export async function launchChromium(t: TestInstance): Promise<Browser> {
  const cert = new X509Certificate(readFileSync(join(t.dataDir, 'tls/cert.pem')));
  const spki = createHash('sha256')
    .update(cert.publicKey.export({ type: 'spki', format: 'der' }))
    .digest('base64');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      `--ignore-certificate-errors-spki-list=${spki}`,
    ],
  });
}

/** What a page reported: console errors, uncaught errors and CSP violations. */
export interface PageProblems {
  readonly console: string[];
  readonly errors: string[];
  /** CSP violations seen by the page (collected from `securitypolicyviolation` events). */
  violations(): Promise<string[]>;
}

/**
 * A fresh context and page (no cookies), watching for console errors, page errors and CSP violations.
 * @param browser - the browser
 */
export async function newWatchedPage(browser: Browser): Promise<{ context: BrowserContext; page: Page; problems: PageProblems }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, serviceWorkers: 'block' });
  // Runs before the page's own scripts (injected by the browser, not subject to the page's CSP).
  // (Page-side code is given as text: the test project is compiled without the DOM library.)
  await context.addInitScript({
    content: "window.__csp = []; document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));",
  });
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  const errors: string[] = [];
  page.on('console', (m) => {
    // HTTP errors the tests cause on purpose (the 401 of the session probe before sign-in, 404 pages) are logged by the
    // browser as "Failed to load resource"; everything else logged as an error, and any CSP report, counts.
    if ((m.type() === 'error' && !m.text().startsWith('Failed to load resource')) || /Content Security Policy|Refused to/i.test(m.text())) {
      consoleErrors.push(m.text());
    }
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  return {
    context,
    page,
    problems: { console: consoleErrors, errors, violations: () => page.evaluate<string[]>('[...window.__csp]') },
  };
}

/**
 * Sign in through the dashboard's form: user name and password, then a TOTP code for the next time step (the
 * enrolment used the current one, and a code is accepted once).
 * @param page - the page
 * @param baseUrl - https://localhost:port
 * @param p - the persona
 */
export async function signInWithTotp(page: Page, baseUrl: string, p: Persona): Promise<void> {
  await page.goto(`${baseUrl}/app/`);
  await page.getByLabel('User name').fill(p.username);
  await page.getByLabel('Password').fill(p.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByLabel('Authentication code').fill(p.code(Date.now() + 30_000));
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.getByTestId('signed-in-as').waitFor();
}

/**
 * How many pixels of a chart's canvas have exactly the first series colour (#2f6690): bars and points, not axes.
 * @param page - the page
 * @param testId - the chart's data-testid
 */
export async function seriesPixels(page: Page, testId: string): Promise<number> {
  const selector = JSON.stringify(`[data-testid="${testId}"] canvas`);
  return page.evaluate<number>(
    `(() => { const c = document.querySelector(${selector}); if (!c) { return 0; }
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;
      for (let i = 0; i < d.length; i += 4) { if (d[i] === 0x2f && d[i + 1] === 0x66 && d[i + 2] === 0x90 && d[i + 3] === 255) { n++; } }
      return n; })()`,
  );
}
