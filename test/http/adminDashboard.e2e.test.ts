import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildAdminBundle } from '../../scripts/buildAdmin';
import { loadConfig } from '../../src/config';
import { type App, startApp } from '../../src/index';
import { createLogger } from '../../src/kit/log';
import { BotFixture } from '../support/botFixture';
import { FrozenClock } from '../support/clock';
import { CookieJar, csrfField, formPost } from '../support/cookieJar';
import { freePort } from '../support/loopback';

const KEY = 'admin-key-for-tests-0123456789abcdef';

describe('the dashboard in local mode: sign-in with the admin API key', () => {
  let bot: BotFixture;
  const clock = new FrozenClock();

  beforeAll(async () => {
    await buildAdminBundle();
    bot = await BotFixture.start({ ADMIN_API_KEY: KEY }, { clock });
  });
  afterAll(() => bot?.stop());

  const url = (p: string) => `${bot.app.url}${p}`;
  const auditOfKey = async () => {
    const response = await fetch(url('/api/admin/audit?user=admin%20api%20key'), { headers: { authorization: `Bearer ${KEY}` } });
    return ((await response.json()) as { events: Array<Record<string, unknown>> }).events.filter((e) => e.event === 'admin.signin');
  };

  /** The sign-in page, then its form with `key`. */
  async function submitKey(key: string, jar = new CookieJar()): Promise<{ jar: CookieJar; response: Response }> {
    const page = await jar.fetch(url('/admin/login'));
    const response = await jar.fetch(url('/admin/login/key'), formPost({ csrf: csrfField(await page.text()), key }));
    return { jar, response };
  }

  it('sends someone not signed in to the sign-in page, which offers the key form only', async () => {
    const jar = new CookieJar();
    const start = await jar.fetch(url('/admin'));
    expect(start.status).toBe(303);
    expect(start.headers.get('location')).toBe('/admin/login');
    const page = await jar.fetch(url('/admin/login'));
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('<label for="key">Admin API key</label>');
    expect(html).not.toContain('Sign in with Microsoft Entra ID');
    expect(page.headers.get('content-security-policy')).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    );
    expect((await jar.fetch(url('/admin/login/entra'))).status).toBe(404);
  });

  it('a wrong key is refused with a clear message, no session, and the refusal is audited', async () => {
    const { response } = await submitKey(`${KEY}-wrong`);
    expect(response.status).toBe(401);
    expect(await response.text()).toContain('That is not the admin API key.');
    expect(CookieJar.setCookieOf(response, 'admin_session')).toBeUndefined();
    expect((await auditOfKey()).at(-1)).toMatchObject({ result: 'failure', detail: 'dashboard sign-in refused: not the admin API key' });
  });

  it('the key form refuses a post without its own token (another site cannot sign this browser in)', async () => {
    const jar = new CookieJar();
    const response = await jar.fetch(url('/admin/login/key'), formPost({ key: KEY }));
    expect(response.status).toBe(403);
    expect(CookieJar.setCookieOf(response, 'admin_session')).toBeUndefined();
  });

  it('the right key opens the dashboard, audited; the session reads the admin API', async () => {
    const { jar, response } = await submitKey(KEY);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/admin');
    expect((await auditOfKey()).at(-1)).toMatchObject({
      result: 'success',
      via: 'admin',
      detail: 'signed in to the dashboard with the admin API key (local mode)',
    });
    const page = await jar.fetch(url('/admin'));
    const html = await page.text();
    expect(html).toContain('Signed in as <strong id="who">admin api key</strong>');
    expect(html).toContain('<script src="/admin/assets/dashboard.js" defer></script>');
    expect(html).not.toMatch(/<script>|<style|style="/);
    expect((await jar.fetch(url('/api/admin/audit?user=megan.bowen@contoso.com'))).status).toBe(200);
  });

  it("speaks the browser's language: Accept-Language picks Spanish, ?lang wins, English otherwise", async () => {
    const loginIn = async (headers: Record<string, string>, query = '') => (await fetch(url(`/admin/login${query}`), { headers })).text();
    const spanish = await loginIn({ 'accept-language': 'fr-FR, es-MX;q=0.8, en;q=0.5' });
    expect(spanish).toContain('<html lang="es">');
    expect(spanish).toContain('<h1>Administración del registro de información de seguridad</h1>');
    expect(spanish).toContain('<label for="key">Clave de la API de administración</label>');
    expect(spanish).toContain('<button type="submit">Iniciar sesión</button>');
    const english = await loginIn({ 'accept-language': 'es' }, '?lang=en');
    expect(english).toContain('<html lang="en">');
    expect(english).toContain('<label for="key">Admin API key</label>');
    expect(await loginIn({ 'accept-language': 'de-DE, fr;q=0.9' })).toContain('<html lang="en">');
    expect(await loginIn({}, '?lang=es')).toContain('<html lang="es">');
    // A refusal is in the language of the form's request.
    const jar = new CookieJar();
    const page = await jar.fetch(url('/admin/login'));
    const refused = await jar.fetch(url('/admin/login/key'), {
      ...formPost({ csrf: csrfField(await page.text()), key: 'not the key' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'es' },
    });
    expect(refused.status).toBe(401);
    expect(await refused.text()).toContain('Esa no es la clave de la API de administración.');
  });

  it("the dashboard page carries its script's words in its language, as a JSON data block the CSP does not run", async () => {
    const { jar } = await submitKey(KEY);
    const textsOf = (html: string) => JSON.parse(/<script type="application\/json" id="texts">([^<]*)<\/script>/.exec(html)![1]!);
    const page = await jar.fetch(url('/admin'), { headers: { 'accept-language': 'es-ES,es;q=0.9' } });
    const html = await page.text();
    expect(html).toContain('<html lang="es">');
    expect(html).toContain('<h2 id="people-title">Personas por estado</h2>');
    expect(html).toContain('Sesión iniciada como <strong id="who">admin api key</strong>');
    expect(html).toContain('<option value="">Todos los roles</option>');
    const texts = textsOf(html);
    expect(texts.statuses.registered).toBe('Registradas');
    expect(texts.updated).toBe('Cifras actualizadas a las {time} UTC.');
    expect(texts.funnelAlt).toContain('{count, plural,');
    // Only the page's section travels, not the catalog.
    expect(Object.keys(texts)).not.toContain('signIn');
    expect(html).not.toMatch(/<script>|<style|style="/);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self';");
    const english = await (await jar.fetch(url('/admin'))).text();
    expect(english).toContain('<html lang="en">');
    expect(textsOf(english).statuses.registered).toBe('Registered');
  });

  it('serves the bundled script and stylesheet from the bot, and nothing else from that folder', async () => {
    const script = await fetch(url('/admin/assets/dashboard.js'));
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const body = await script.text();
    expect(body).toContain('Chart.js v4');
    expect(body).not.toMatch(/https?:\/\/(cdn|unpkg)/);
    expect((await fetch(url('/admin/assets/dashboard.css'))).headers.get('content-type')).toBe('text/css; charset=utf-8');
    for (const file of ['main.ts', 'dashboard.js.map', '..%2F..%2Fpackage.json', 'constructor']) {
      expect((await fetch(url(`/admin/assets/${file}`))).status).toBe(404);
    }
  });

  it('a session lasts an hour', async () => {
    const { jar } = await submitKey(KEY);
    clock.advanceMinutes(59);
    expect((await jar.fetch(url('/admin'))).status).toBe(200);
    clock.advanceMinutes(2);
    expect((await jar.fetch(url('/admin'))).headers.get('location')).toBe('/admin/login');
    expect((await jar.fetch(url('/api/admin/audit?user=megan.bowen@contoso.com'))).status).toBe(401);
  });
});

describe('outside local mode', () => {
  let dataDir: string;
  const apps: App[] = [];
  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bot-admin-'));
  });
  afterAll(async () => {
    await Promise.all(apps.map((a) => a.close()));
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  const start = async (env: Record<string, string>) => {
    const app = await startApp(
      loadConfig({
        PORT: '0',
        DATA_DIR: dataDir,
        MicrosoftAppId: '00000000-0000-0000-0000-000000000001',
        MicrosoftAppPassword: 'not-a-real-secret',
        ADMIN_API_KEY: KEY,
        ...env,
      }),
      { log: createLogger('silent') },
    );
    apps.push(app);
    return app;
  };

  it('without Entra ID sign-in there is no dashboard and no key form; the bearer key still reads the API', async () => {
    const app = await start({});
    for (const p of ['/admin', '/admin/login']) expect((await fetch(`${app.url}${p}`, { redirect: 'manual' })).status).toBe(404);
    expect((await fetch(`${app.url}/admin/login/key`, formPost({ key: KEY }))).status).toBe(404);
    const read = await fetch(`${app.url}/api/admin/audit?user=megan.bowen@contoso.com`, { headers: { authorization: `Bearer ${KEY}` } });
    expect(read.status).toBe(200);
  });

  it('with Entra ID sign-in, the sign-in page offers Entra ID only, never the key', async () => {
    const app = await start({
      ADMIN_OIDC_ISSUER: 'https://login.microsoftonline.com/00000000-0000-0000-0000-00000000000a/v2.0',
      ADMIN_OIDC_CLIENT_ID: 'client',
      ADMIN_OIDC_CLIENT_SECRET: 'secret',
      PUBLIC_BASE_URL: 'https://bot.contoso.com',
    });
    const page = await fetch(`${app.url}/admin/login`);
    const html = await page.text();
    expect(html).toContain('Sign in with Microsoft Entra ID');
    expect(html).not.toContain('Admin API key');
    // Outside localhost the form's cookie is sent over HTTPS only.
    expect(CookieJar.setCookieOf(page, 'admin_login')).toMatch(/; Secure$/);
    expect((await fetch(`${app.url}/admin/login/key`, formPost({ key: KEY }))).status).toBe(404);
  });
});

describe('when the sign-in provider cannot be reached', () => {
  let bot: BotFixture;
  beforeAll(async () => {
    // A loopback port nobody listens on: the connection is refused at once.
    bot = await BotFixture.start({
      ADMIN_OIDC_ISSUER: `http://127.0.0.1:${await freePort()}`,
      ADMIN_OIDC_CLIENT_ID: 'client',
      ADMIN_OIDC_CLIENT_SECRET: 'secret',
    });
  });
  afterAll(() => bot?.stop());

  it('the bot still starts, and the sign-in button says sign-in is unavailable instead of failing', async () => {
    const response = await fetch(`${bot.app.url}/admin/login/entra`, { redirect: 'manual' });
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('The sign-in provider cannot be reached. Try again in a minute.');
    expect(CookieJar.setCookieOf(response, 'admin_signin')).toBeUndefined();
  });
});
