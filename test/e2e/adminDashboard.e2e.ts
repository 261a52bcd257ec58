/**
 * The admin dashboard in headless Chromium: sign-in by a real OpenID provider (oidc-provider, as
 * Entra ID would) and by the local key, the page under its Content-Security-Policy with no console
 * error, axe, keyboard use. Screenshots go to docs/screenshots (E2E_SCREENSHOT_DIR to change).
 *
 *   npx jest -c test/e2e/jest.e2e.config.js test/e2e/adminDashboard.e2e.ts
 */
import fs from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildAdminBundle } from '../../scripts/buildAdmin';
import { ADMIN_KEY, campaignBody, PEOPLE, T0, writeDirectory } from '../campaigns/support';
import { TEAMS_USER } from '../support/botClient';
import { BotFixture } from '../support/botFixture';
import { FrozenClock } from '../support/clock';
import { freePort } from '../support/loopback';
import { OidcProvider } from '../support/oidcProvider';
import { lastTextedCode } from '../support/outbox';
import { SUMMARY } from './support/adminSummary';
import { launchChromium, localOnlyContext } from './support/browser';

const KEY = ADMIN_KEY;
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
    // The people of the campaign tests (test/campaigns/support.ts), on Saturday 28 November 2026 at 09:00 UTC.
    const directory = writeDirectory(PEOPLE);
    bot = await BotFixture.start(
      (connectorUrl) => ({
        PORT: String(port),
        PUBLIC_BASE_URL: botUrl,
        ADMIN_API_KEY: KEY,
        ADMIN_OIDC_ISSUER: provider.issuer,
        ADMIN_OIDC_CLIENT_ID: CLIENT.id,
        ADMIN_OIDC_CLIENT_SECRET: CLIENT.secret,
        DIRECTORY_FILE: directory,
        TEAMS_SERVICE_URL: connectorUrl,
      }),
      { clock: new FrozenClock(T0), campaignQueueMs: 0 },
    );
    bot.connector.addMember({ ...TEAMS_USER, userPrincipalName: 'adele.vance@contoso.com' });
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
    await page.route('**/api/admin/summary*', (route) =>
      route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(SUMMARY) }),
    );
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
    const [request] = await Promise.all([page.waitForRequest('**/api/admin/summary*'), page.getByLabel('Role').selectOption('student')]);
    expect(new URL(request.url()).search).toBe('?role=student');
    expect(new URL(page.url()).search).toBe('?role=student');
    expect(await seriousViolations(page)).toEqual([]);
    if (process.env.E2E_DEBUG) await page.screenshot({ path: '/tmp/adm/render.png', fullPage: true });
    expect(problems).toEqual([]);
  });
  it('in Spanish (?lang=es): the words of the page, numbers and times as Spanish writes them, and the filters keep the language', async () => {
    const { page, problems } = await newPage();
    await page.route('**/api/admin/summary*', (route) =>
      route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(SUMMARY) }),
    );
    await page.goto(`${botUrl}/admin/login?lang=es`);
    expect(await page.locator('html').getAttribute('lang')).toBe('es');
    await page.getByLabel('Clave de la API de administración').fill(KEY);
    await page.getByRole('button', { name: 'Iniciar sesión' }).click();
    await page.getByText('Cifras actualizadas a las 15:20:00 UTC.').waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('es');
    await page.getByRole('heading', { name: 'Personas por estado' }).waitFor();
    const figure = (name: string) => page.locator(`[data-figure="${name}"]`).textContent();
    expect(await figure('people.byStatus.registered')).toBe('121 (40\u00a0%)');
    expect(await figure('queue.retryAfterUntil')).toBe('no');
    expect(await page.locator('table[data-figure="people.byRole"] thead th').allTextContents()).toEqual([
      'Rol',
      'Registradas',
      'En curso',
      'Pospuestas',
      'No contactadas',
      'Inalcanzables',
    ]);
    expect(await page.getByRole('img', { name: /^Embudo de 1 campaña:/ }).count()).toBe(1);
    expect(await page.locator('table[data-figure="people.byMethod"] tbody').textContent()).toContain('Aplicación de autenticación');
    expect(await page.getByRole('img', { name: /^Registros completados por día del 2026-11-27 al 2026-11-30: 60 en total/ }).count()).toBe(
      1,
    );
    await Promise.all([page.waitForRequest('**/api/admin/summary?role=student'), page.getByLabel('Rol').selectOption('student')]);
    expect(new URL(page.url()).search).toBe('?role=student&lang=es');
    // Signing out keeps the language.
    await page.getByRole('button', { name: 'Cerrar sesión' }).click();
    await page.getByRole('button', { name: 'Iniciar sesión' }).waitFor();
    expect(new URL(page.url()).search).toBe('?lang=es');
    expect(await seriousViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('shows what the store holds: people enrolled through the bot, a campaign started through the API; filters, the CSV, by keyboard, with no console error', async () => {
    // Adele registers her phone in Teams, through the bot's own route.
    const { client, outbox } = bot;
    await client.open();
    await client.click('Next');
    await client.click('I want to set up a different method');
    await client.click('Next', { method: 'phone' });
    await client.click('Next', { country: 'US', number: '201 555 0123', method: 'sms' });
    await client.click('Next', { code: lastTextedCode(outbox) });

    // Alice signs in with Entra ID.
    const { page, problems } = await newPage();
    await provider.nextLogin('alice');
    await page.goto(`${botUrl}/admin`);
    await page.getByRole('link', { name: 'Sign in with Microsoft Entra ID' }).click();
    await page.getByText('Signed in as').waitFor();
    expect(await page.locator('#who').textContent()).toBe('alice@contoso.com');
    await page.getByText('Figures updated at 09:00:00 UTC.').waitFor();
    const figure = (name: string) => page.locator(`[data-figure="${name}"]`).textContent();
    expect(await figure('people.total')).toBe(String(PEOPLE.length));

    // She starts a campaign through the API with her session: its POST needs the page's CSRF token.
    const start = (withToken: boolean) =>
      page.evaluate(
        async ({ body, withToken }) => {
          const csrf = document.getElementById('dashboard')?.dataset.csrf ?? '';
          const response = await fetch('/api/admin/campaigns', {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...(withToken ? { 'x-csrf-token': csrf } : {}) },
            body: JSON.stringify(body),
          });
          return response.status;
        },
        { body: campaignBody(), withToken },
      );
    expect(await start(false)).toBe(401);
    expect(await start(true)).toBe(201);
    await bot.app.campaigns.work();

    // The page shows, within a refresh, what the API answers (the figures of the store).
    const summaryOf = async (query = '') =>
      (await (await fetch(`${botUrl}/api/admin/summary${query}`, { headers: { authorization: `Bearer ${KEY}` } })).json()) as {
        people: {
          total: number;
          byStatus: Record<string, number>;
          byRole: Array<Record<string, number | string>>;
          byMethod: Array<{ method: string; count: number }>;
        };
        campaigns: Array<{ name: string; counts: Record<string, number> }>;
        tickets: { open: number; claimed: number };
        queue: { pending: number; sentLastHour: number };
      };
    const summary = await summaryOf();
    expect(summary.campaigns).toHaveLength(1);
    expect(summary.campaigns[0]!.counts.reached).toBeGreaterThan(0);
    expect(summary.people.byStatus.inProgress).toBeGreaterThanOrEqual(1);
    const campaignRow = page.locator('table[data-figure="campaigns"] tbody tr').first();
    await campaignRow.getByText('Authenticator rollout').waitFor();
    const counts = summary.campaigns[0]!.counts;
    const share = (n: number) => `${n} (${Math.round((n / counts.targeted!) * 100)}%)`;
    expect(await campaignRow.evaluate((tr) => Array.from(tr.children, (c) => c.textContent))).toEqual([
      'Authenticator rollout',
      'running',
      '2026-12-12',
      String(counts.targeted),
      share(counts.reached!),
      share(counts.opened!),
      share(counts.completed!),
      String(counts.snoozed),
      String(counts.unreachable),
    ]);
    for (const [status, count] of Object.entries(summary.people.byStatus)) {
      expect(await figure(`people.byStatus.${status}`)).toMatch(new RegExp(`^${count}\\b`));
    }
    expect(await figure('queue.sentLastHour')).toBe(String(summary.queue.sentLastHour));
    expect(await figure('queue.pending')).toBe(String(summary.queue.pending));
    expect(await figure('tickets.open')).toBe(String(summary.tickets.open));
    const roles = await page
      .locator('table[data-figure="people.byRole"] tbody tr')
      .evaluateAll((trs) => trs.map((tr) => Array.from(tr.children, (c) => c.textContent)));
    expect(roles).toEqual(
      summary.people.byRole.map((r) => [r.role, r.registered, r.inProgress, r.snoozed, r.notReached, r.unreachable].map(String)),
    );
    // Methods by their names, as the chat calls them; the filter's values stay the kinds the API takes.
    const methods = await page
      .locator('table[data-figure="people.byMethod"] tbody tr')
      .evaluateAll((trs) => trs.map((tr) => Array.from(tr.children, (c) => c.textContent)));
    expect(methods).toContainEqual(['Phone', String(summary.people.byMethod.find((m) => m.method === 'phone')!.count)]);
    expect(await page.locator('#filter-method option[value="authenticatorApp"]').textContent()).toBe('Authenticator app');
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'admin-02-dashboard.png'), fullPage: true });

    // By keyboard: from the sign-out button to the role filter, then a student only.
    await page.getByRole('button', { name: 'Sign out' }).focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('filter-role');
    const students = await summaryOf('?role=student');
    await Promise.all([page.waitForRequest('**/api/admin/summary?role=student'), page.getByLabel('Role').selectOption('student')]);
    await page.locator('[data-figure="people.total"]', { hasText: new RegExp(`^${students.people.total}$`) }).waitFor();
    expect(students.people.total).toBe(PEOPLE.filter((p) => p.role === 'student').length);
    expect(new URL(page.url()).search).toBe('?role=student');
    await Promise.all([
      page.waitForRequest('**/api/admin/summary?group=Finance'),
      page.getByLabel('Role').selectOption(''),
      page.getByLabel('Group').selectOption('Finance'),
    ]);
    const finance = await summaryOf('?group=Finance');
    await page.locator('[data-figure="people.total"]', { hasText: new RegExp(`^${finance.people.total}$`) }).waitFor();

    // The CSV: what the button downloads is the report the API gives.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download the registration report (CSV)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('registration.csv');
    const csv = fs.readFileSync((await download.path())!, 'utf8');
    const rows = csv.trim().split('\r\n');
    expect(rows[0]).toMatch(/^userPrincipalName,userDisplayName,role,/);
    expect(rows).toHaveLength(PEOPLE.length + 1);
    expect(rows.find((r) => r.startsWith('adele.vance@contoso.com'))).toContain(',phone,');
    // The one thing the console says: the POST refused without its token.
    expect(problems).toEqual(['console error: Failed to load resource: the server responded with a status of 401 (Unauthorized)']);
  });
});
