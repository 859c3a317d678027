import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GlobalRole, WorkspaceRole } from '../../src/services/access/policy.js';
import { DASHBOARD_PAGES } from '../../src/faces/dashboard-pages.js';
import { generateFhirMessages } from '../../src/libs/synth/index.js';
import { launchChromium, newWatchedPage, seriesPixels, signInWithTotp, type PageProblems } from '../helpers/browser.js';
import { listenHttps, type ListeningServer } from '../helpers/listen.js';
import { createPersona, type Persona } from '../helpers/personas.js';
import { seedStays, synthStays, type SeedStay } from '../helpers/seed-stays.js';
import { testStores } from '../helpers/stores.js';
import { createTestInstance, type TestInstance } from '../helpers/test-instance.js';

const WS = 'alpha';
const SHOTS = new URL('../../docs/screenshots/', import.meta.url);

/** Who signs in, and exactly which pages each must see. */
const CAST: readonly { name: string; global?: GlobalRole[]; role?: WorkspaceRole; pages: string[] }[] = [
  { name: 'cmio', role: 'cmio', pages: ['predicted-stay', 'actual-stay'] },
  { name: 'doc', role: 'clinician', pages: ['predicted-stay'] },
  { name: 'steward', role: 'data_steward', pages: [] },
  { name: 'scientist', role: 'data_scientist', pages: [] },
  { name: 'auditor', global: ['auditor'], pages: [] },
  { name: 'siteadmin', global: ['site_admin'], pages: [] },
];

/** Patient names carrying script payloads, admitted through the FHIR API: they must show as text and run nothing. */
const XSS_NAMES = [
  { given: ['<img src=x onerror="window.__xss=1">', '<script>window.__xss=2</script>'], family: '"><svg onload=window.__xss=3>' },
  { given: ['javascript:window.__xss=4', '{{constructor.constructor("window.__xss=5")()}}'], family: "'-alert(6)-'" },
];

function withNames(message: Record<string, unknown>, name: { given: string[]; family: string }): Record<string, unknown> {
  const entries = message.entry as { resource: Record<string, unknown> }[];
  const patient = entries.find((e) => e.resource.resourceType === 'Patient')!.resource;
  patient.name = [{ use: 'official', ...name }];
  return message;
}

async function shot(page: Page, file: string, enabled: boolean): Promise<void> {
  if (enabled) {
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: new URL(file, SHOTS).pathname, fullPage: true });
  }
}

async function noProblems(problems: PageProblems): Promise<void> {
  expect(await problems.violations()).toEqual([]);
  expect(problems.console).toEqual([]);
  expect(problems.errors).toEqual([]);
}

for (const store of testStores()) {
  describe(`dashboard in Chromium [${store.name}]`, () => {
    let t: TestInstance;
    let server: ListeningServer;
    let browser: Browser;
    let base: string;
    const people = new Map<string, Persona>();
    let stays: SeedStay[];
    const screenshots = store.name === 'sqlite';

    beforeAll(async () => {
      t = await createTestInstance(store, { withKeys: true });
      server = await listenHttps(t);
      base = `https://localhost:${server.port}`;
      for (const c of CAST) {
        people.set(
          c.name,
          await createPersona(t.instance, c.name, { globalRoles: c.global ?? [], memberships: c.role ? [{ workspace: WS, role: c.role }] : [] }),
        );
      }
      const colleague = await createPersona(t.instance, 'colleague', { memberships: [{ workspace: WS, role: 'clinician' }] });
      stays = synthStays({ rows: 600, inHospital: 60, seed: 21 });
      await seedStays(t, `ws-${WS}`, colleague.id, stays);
      // Two admissions by `doc` through the FHIR API, with script payloads as names (no approved model: not scored).
      const messages = [...generateFhirMessages({ rows: XSS_NAMES.length, seed: 3, startEid: 4_000_001 })];
      for (const [i, m] of messages.entries()) {
        const res = await server.app.inject({
          method: 'POST',
          url: `/api/workspaces/${WS}/admissions`,
          headers: { authorization: `Bearer ${people.get('doc')!.token}`, 'content-type': 'application/json' },
          payload: JSON.stringify(withNames(m.admission, XSS_NAMES[i]!)),
        });
        expect(res.statusCode, res.body).toBe(201);
      }
      browser = await launchChromium(t);
    }, 120_000);
    afterAll(async () => {
      await browser?.close();
      await server?.app.close();
      await t?.cleanup();
      await store.cleanup();
    });

    it('the CSP check can fail: an injected inline style is reported as a violation', async () => {
      const { context, page, problems } = await newWatchedPage(browser);
      try {
        await page.goto(`${base}/app/`);
        await page.getByLabel('User name').waitFor();
        await page.evaluate("const s = document.createElement('style'); s.textContent = 'body { color: red }'; document.head.append(s);");
        await expect.poll(() => problems.violations()).toEqual([expect.stringMatching(/^style-src/)]);
        await shot(page, 'login.png', screenshots);
      } finally {
        await context.close();
      }
    });

    for (const c of CAST) {
      it(`${c.name} signs in with TOTP, sees exactly ${c.pages.length === 0 ? 'no pages' : c.pages.join(' and ')}, and gets 404 for the others`, async () => {
        const p = people.get(c.name)!;
        const { context, page, problems } = await newWatchedPage(browser);
        try {
          await signInWithTotp(page, base, p);
          const nav = page.getByRole('navigation', { name: 'Dashboard pages' }).getByRole('link');
          const expectedTitles = DASHBOARD_PAGES.filter((d) => c.pages.includes(d.slug)).map((d) => d.title);
          if (expectedTitles.length === 0) {
            await expect.poll(() => page.getByTestId('no-pages').isVisible()).toBe(true);
          } else {
            await page.waitForSelector('body[data-ready]');
          }
          expect(await nav.allTextContents()).toEqual(expectedTitles);
          for (const d of DASHBOARD_PAGES) {
            const res = await page.goto(`${base}/app/${d.slug}`);
            await page.waitForSelector('body[data-ready]');
            if (c.pages.includes(d.slug)) {
              expect(res!.status(), d.slug).toBe(200);
              expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(d.title);
            } else {
              expect(res!.status(), d.slug).toBe(404);
              expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Page not found');
            }
          }
          await noProblems(problems);
        } finally {
          await context.close();
        }
      }, 60_000);
    }

    it('the CMIO: actual stay charts render with data, small cells are withheld, figures are rounded', async () => {
      const { context, page, problems } = await newWatchedPage(browser);
      try {
        await signInWithTotp(page, base, people.get('cmio')!);
        await page.goto(`${base}/app/actual-stay`);
        await page.waitForSelector('body[data-ready="actual-stay"]');
        for (const chart of ['chart-stay-by-facility', 'chart-encounters-by-month', 'chart-stay-by-condition', 'chart-occupancy']) {
          await expect.poll(() => seriesPixels(page, chart), { message: chart }).toBeGreaterThan(200);
        }
        const discharged = stays.filter((s) => !s.inHospital);
        expect(await page.getByTestId('actual-summary').textContent()).toContain(String(Math.floor(discharged.length / 5 + 0.5) * 5));
        // A facility × month cell holding 1–9 encounters reads "withheld".
        const table = page.getByTestId('table-facility-by-month');
        const months = (await table.locator('thead th').allTextContents()).slice(1, -1);
        let checked = 0;
        for (const [i, f] of ['A', 'B', 'C', 'D', 'E'].entries()) {
          for (const [j, label] of months.entries()) {
            const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'].indexOf(label.slice(0, 3)) + 1;
            const n = discharged.filter((s) => s.record.facid === f && s.record.vdate.startsWith(`${month}/`)).length;
            if (n > 0 && n < 10) {
              expect(await table.locator('tbody tr').nth(i).locator('td').nth(j).textContent(), `${f} ${label}: ${n}`).toBe('withheld');
              checked++;
            }
          }
        }
        expect(checked).toBeGreaterThan(0);
        expect(await page.getByText('Disclosure control.').isVisible()).toBe(true);
        await shot(page, 'cmio-actual-stay.png', screenshots);
        await page.getByLabel('Facility', { exact: true }).selectOption('C');
        await page.getByRole('button', { name: 'Apply' }).click();
        await page.waitForURL(/facility=C/);
        await page.waitForSelector('body[data-ready="actual-stay"]');
        expect(await page.getByTestId('table-stay-by-facility').locator('tbody tr').count()).toBe(1);
        await page.goto(`${base}/app/predicted-stay`);
        await page.waitForSelector('body[data-ready="predicted-stay"]');
        for (const chart of ['chart-predicted-days', 'chart-calibration', 'chart-errors']) {
          await expect.poll(() => seriesPixels(page, chart), { message: chart }).toBeGreaterThan(50);
        }
        // Aggregates only: no patient list, no per-patient chart.
        expect(await page.getByTestId('table-patients').count()).toBe(0);
        await shot(page, 'cmio-predicted-stay.png', screenshots);
        await noProblems(problems);
      } finally {
        await context.close();
      }
    }, 90_000);

    it('the clinician: patients with predictions and OOD flags, a bar per patient, the scatter; script payloads in FHIR names stay text', async () => {
      const { context, page, problems } = await newWatchedPage(browser);
      try {
        await signInWithTotp(page, base, people.get('doc')!);
        await page.goto(`${base}/app/predicted-stay`);
        await page.waitForSelector('body[data-ready="predicted-stay"]');
        for (const chart of ['chart-patient-bars', 'chart-predicted-days', 'chart-errors']) {
          await expect.poll(() => seriesPixels(page, chart), { message: chart }).toBeGreaterThan(50);
        }
        await expect.poll(() => seriesPixels(page, 'chart-patient-scatter')).toBeGreaterThan(0);
        const rows = page.getByTestId('table-patients').locator('tbody tr');
        expect(await rows.count()).toBe(60 + XSS_NAMES.length);
        const text = (await page.getByTestId('table-patients').textContent())!;
        for (const n of XSS_NAMES) {
          expect(text).toContain([...n.given, n.family].join(' '));
        }
        expect(text).toContain('not scored (HAVEN_MODEL_NO_APPROVED)');
        const oodRow = stays.find((s) => s.inHospital && s.ood)!;
        expect(await rows.filter({ hasText: String(oodRow.record.eid) }).textContent()).toMatch(/yes: /);
        expect(await page.evaluate('typeof window.__xss')).toBe('undefined');
        expect(await page.locator('main img, main svg, main script').count()).toBe(0);
        expect(await page.getByText('Exact figures').isVisible()).toBe(true);
        await shot(page, 'clinician-predicted-stay.png', screenshots);
        await noProblems(problems);
      } finally {
        await context.close();
      }
    }, 90_000);
  });
}
