/**
 * The admin dashboard in headless Chromium: sign-in by a real OpenID provider (oidc-provider, as
 * Entra ID would) and by the local key, the page under its Content-Security-Policy with no console
 * error, axe, keyboard use. Screenshots go to docs/screenshots (E2E_SCREENSHOT_DIR to change).
 *
 *   npx jest -c test/e2e/jest.e2e.config.js test/e2e/adminDashboard.e2e.ts
 */
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildAdminBundle } from '../../scripts/buildAdmin';
import { BotFixture } from '../support/botFixture';
import { freePort } from '../support/loopback';
import { OidcProvider } from '../support/oidcProvider';
import { SUMMARY } from './support/adminSummary';
import { launchChromium, localOnlyContext } from './support/browser';

const KEY = 'admin-key-for-tests-0123456789abcdef';
const CLIENT = { id: 'security-info-dashboard', secret: 'dashboard-client-secret-for-tests' };
const VIEWPORT = { width: 1280, height: 900 };
const SCREENSHOTS = process.env.E2E_SCREENSHOT_DIR ?? path.join(__dirname, '..', '..', 'docs', 'screenshots');

describe('the admin dashboard in Chromium', () => {
  let provider: OidcProvider;
  let bot: BotFixture;
  let botUrl: string;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    await buildAdminBundle();
    const port = await freePort();
    botUrl = `http://127.0.0.1:${port}`;
    provider = await OidcProvider.start(
      { ...CLIENT, redirectUri: `${botUrl}/admin/callback` },
      {
        alice: { preferred_username: 'alice@contoso.com', name: 'Alice', roles: ['SecurityInfo.Admin'] },
        carol: { preferred_username: 'carol@contoso.com', name: 'Carol', roles: ['SecurityInfo.Reader'] },
      },
    );
    bot = await BotFixture.start({
      PORT: String(port),
      PUBLIC_BASE_URL: botUrl,
      ADMIN_API_KEY: KEY,
      ADMIN_OIDC_ISSUER: provider.issuer,
      ADMIN_OIDC_CLIENT_ID: CLIENT.id,
      ADMIN_OIDC_CLIENT_SECRET: CLIENT.secret,
    });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close()));
    await browser?.close();
    await bot?.stop();
    await provider?.stop();
  });

  /** A fresh browser profile reaching this machine only, and every console error, page error and blocked request it meets. */
  async function newPage(): Promise<{ page: Page; problems: string[] }> {
    const { context, blocked } = await localOnlyContext(browser, VIEWPORT);
    contexts.push(context);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    context.on('close', () => problems.push(...blocked.map((url) => `blocked: ${url}`)));
    return { page, problems };
  }

  async function seriousViolations(page: Page): Promise<string[]> {
    const { violations } = await new AxeBuilder({ page }).analyze();
    return violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }

  it('someone without the admin role signs in with Entra ID and is told so, with no dashboard', async () => {
    const { page, problems } = await newPage();
    await provider.nextLogin('carol');
    await page.goto(`${botUrl}/admin`);
    await page.getByRole('link', { name: 'Sign in with Microsoft Entra ID' }).click();
    await page.getByRole('heading', { name: 'Not an admin' }).waitFor();
    expect(await page.getByText('carol@contoso.com is signed in but is not an admin of this bot').count()).toBe(1);
    await page.goto(`${botUrl}/admin`);
    expect(new URL(page.url()).pathname).toBe('/admin/login');
    expect(problems.filter((p) => !p.includes('403'))).toEqual([]);
  });

  it('the sign-in page works by keyboard, passes axe, and signs in with the local key', async () => {
    const { page, problems } = await newPage();
    await page.goto(`${botUrl}/admin`);
    expect(new URL(page.url()).pathname).toBe('/admin/login');
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'admin-01-sign-in.png') });
    // Tab to the Entra button, then to the key field; type and press Enter.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Sign in with Microsoft Entra ID');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('key');
    await page.keyboard.type(KEY);
    await page.keyboard.press('Enter');
    await page.getByText('Signed in as').waitFor();
    expect(await page.locator('#who').textContent()).toBe('admin api key');
    expect(problems.filter((p) => !p.includes('/api/admin/summary'))).toEqual([]);
  });

  it('draws a summary: every figure in its place, names as text, charts with a table beside them, and passes axe', async () => {
    const { page, problems } = await newPage();
    const asked: string[] = [];
    await page.route('**/api/admin/summary*', (route) => {
      asked.push(new URL(route.request().url()).search);
      return route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(SUMMARY) });
    });
    await page.goto(`${botUrl}/admin/login`);
    await page.getByLabel('Admin API key').fill(KEY);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Figures updated at 15:20:00 UTC.').waitFor();

    const figure = (name: string) => page.locator(`[data-figure="${name}"]`).textContent();
    expect(await figure('people.total')).toBe('300');
    expect(await figure('people.byStatus.registered')).toBe('121 (40%)');
    expect(await figure('people.byStatus.notReached')).toBe('110 (37%)');
    expect(await figure('tickets.open')).toBe('4');
    expect(await figure('queue.pending')).toBe('33');
    expect(await figure('queue.retryAfterUntil')).toBe('no');
    const rows = (name: string) =>
      page
        .locator(`table[data-figure="${name}"] tbody tr`)
        .evaluateAll((trs) => trs.map((tr) => Array.from(tr.children, (c) => c.textContent)));
    expect(await rows('people.byRole')).toEqual([
      ['employee', '90', '30', '10', '60', '15'],
      ['student', '25', '6', '2', '48', '5'],
      ['admin', '6', '1', '0', '2', '0'],
    ]);
    expect(await rows('campaigns')).toEqual([
      ['Autumn MFA drive <b>bold</b>', 'running', '2026-12-15', '200', '150 (75%)', '90 (45%)', '60 (30%)', '8', '11'],
    ]);
    expect(await page.locator('b').count()).toBe(0);
    expect(await rows('completions')).toEqual([
      ['2026-11-27', '14'],
      ['2026-11-28', '22'],
      ['2026-11-29', '9'],
      ['2026-11-30', '15'],
    ]);
    // Each chart is an image with a name that points at its table.
    expect(await page.getByRole('img', { name: /^Completions per day from 2026-11-27 to 2026-11-30: 60 in all/ }).count()).toBe(1);
    expect(await page.getByRole('img', { name: /^Funnel of 1 campaign/ }).count()).toBe(1);
    // The filters offer what the summary lists, and asking again carries the choice.
    expect(await page.getByLabel('Role').locator('option').allTextContents()).toEqual(['All roles', 'admin', 'employee', 'student']);
    await Promise.all([page.waitForRequest('**/api/admin/summary?role=student'), page.getByLabel('Role').selectOption('student')]);
    expect(asked.at(-1)).toBe('?role=student');
    expect(new URL(page.url()).search).toBe('?role=student');
    expect(await seriousViolations(page)).toEqual([]);
    if (process.env.E2E_DEBUG) await page.screenshot({ path: '/tmp/adm/render.png', fullPage: true });
    expect(problems).toEqual([]);
  });
});
