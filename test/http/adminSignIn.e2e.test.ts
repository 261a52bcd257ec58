import { BotFixture } from '../support/botFixture';
import { CookieJar, csrfField, formPost } from '../support/cookieJar';
import { freePort } from '../support/loopback';
import { OidcProvider } from '../support/oidcProvider';

const KEY = 'admin-key-for-tests-0123456789abcdef';
const CLIENT = { id: 'security-info-dashboard', secret: 'dashboard-client-secret-for-tests' };

/** Alice has the app role, Bob is in the admin group, Carol has neither. */
const ACCOUNTS = {
  alice: { preferred_username: 'Alice@contoso.com', name: 'Alice', roles: ['SecurityInfo.Admin'] },
  bob: { preferred_username: 'bob@contoso.com', name: 'Bob', groups: ['0b5e7a9c-admins'] },
  carol: { preferred_username: 'carol@contoso.com', name: 'Carol', roles: ['SecurityInfo.Reader'], groups: ['other-group'] },
};

describe('admin sign-in to the dashboard with an OpenID provider (Entra ID)', () => {
  let provider: OidcProvider;
  let bot: BotFixture;
  let botUrl: string;

  beforeAll(async () => {
    const port = await freePort();
    botUrl = `http://127.0.0.1:${port}`;
    provider = await OidcProvider.start({ ...CLIENT, redirectUri: `${botUrl}/admin/callback` }, ACCOUNTS);
    bot = await BotFixture.start({
      PORT: String(port),
      PUBLIC_BASE_URL: botUrl,
      ADMIN_API_KEY: KEY,
      ADMIN_OIDC_ISSUER: provider.issuer,
      ADMIN_OIDC_CLIENT_ID: CLIENT.id,
      ADMIN_OIDC_CLIENT_SECRET: CLIENT.secret,
      ADMIN_GROUP: '0b5e7a9c-admins',
    });
  });
  afterAll(async () => {
    await bot?.stop();
    await provider?.stop();
  });

  /** From the sign-in button to the provider's redirect back: the callback URL, not yet visited. */
  async function toCallback(account: keyof typeof ACCOUNTS, jar = new CookieJar()): Promise<{ jar: CookieJar; callback: string }> {
    await provider.nextLogin(account);
    let url = `${botUrl}/admin/login/entra`;
    for (let hop = 0; hop < 10; hop++) {
      if (url.startsWith(`${botUrl}/admin/callback`)) return { jar, callback: url };
      const response = await jar.fetch(url);
      expect([302, 303]).toContain(response.status);
      url = new URL(response.headers.get('location')!, url).href;
    }
    throw new Error('the provider never sent the browser back');
  }

  async function signIn(account: keyof typeof ACCOUNTS): Promise<{ jar: CookieJar; response: Response }> {
    const { jar, callback } = await toCallback(account);
    return { jar, response: await jar.fetch(callback) };
  }

  const auditOf = async (upn: string) => {
    const response = await fetch(`${botUrl}/api/admin/audit?user=${encodeURIComponent(upn)}`, {
      headers: { authorization: `Bearer ${KEY}` },
    });
    return ((await response.json()) as { events: Array<Record<string, unknown>> }).events;
  };

  it('sends the browser to the provider with PKCE (S256), state and nonce', async () => {
    const response = await new CookieJar().fetch(`${botUrl}/admin/login/entra`);
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location')!);
    expect(location.origin).toBe(provider.issuer);
    const params = Object.fromEntries(location.searchParams);
    expect(params).toMatchObject({
      client_id: CLIENT.id,
      response_type: 'code',
      redirect_uri: `${botUrl}/admin/callback`,
      code_challenge_method: 'S256',
      scope: 'openid profile email',
    });
    expect(params.code_challenge).toMatch(/^[\w-]{43}$/);
    expect(params.state!.length).toBeGreaterThanOrEqual(32);
    expect(params.nonce!.length).toBeGreaterThanOrEqual(32);
    // The verifier, state and nonce wait in a sealed cookie only the callback path receives.
    expect(CookieJar.setCookieOf(response, 'admin_signin')).toMatch(/; Path=\/admin; Max-Age=600; HttpOnly; SameSite=Lax$/);
  });

  it('when an admin by app role signs in, the dashboard opens in their name and the sign-in is audited', async () => {
    const { jar, response } = await signIn('alice');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/admin');
    // On localhost the cookie is not Secure (http); an hour at most; never readable by scripts.
    expect(CookieJar.setCookieOf(response, 'admin_session')).toMatch(/; Path=\/; Max-Age=3600; HttpOnly; SameSite=Lax$/);
    const page = await jar.fetch(`${botUrl}/admin`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Signed in as <strong id="who">alice@contoso.com</strong>');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const events = await auditOf('alice@contoso.com');
    expect(events).toEqual([
      expect.objectContaining({
        event: 'admin.signin',
        result: 'success',
        via: 'admin',
        userId: 'alice@contoso.com',
        detail: 'signed in to the dashboard with Entra ID (app role SecurityInfo.Admin)',
      }),
    ]);
  });

  it('a member of the admin group is an admin too', async () => {
    const { response } = await signIn('bob');
    expect(response.status).toBe(303);
    expect(CookieJar.setCookieOf(response, 'admin_session')).toBeDefined();
    expect((await auditOf('bob@contoso.com'))[0]).toMatchObject({
      result: 'success',
      detail: expect.stringContaining('group 0b5e7a9c-admins'),
    });
  });

  it('someone with neither the app role nor the group is refused, gets no session, and the refusal is audited', async () => {
    const { jar, response } = await signIn('carol');
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('carol@contoso.com is signed in but is not an admin of this bot');
    expect(CookieJar.setCookieOf(response, 'admin_session')).toBeUndefined();
    expect((await jar.fetch(`${botUrl}/admin`)).headers.get('location')).toBe('/admin/login');
    expect((await jar.fetch(`${botUrl}/api/admin/audit?user=carol@contoso.com`)).status).toBe(401);
    expect(await auditOf('carol@contoso.com')).toEqual([
      expect.objectContaining({
        event: 'admin.signin',
        result: 'failure',
        detail: 'dashboard sign-in refused: neither the admin app role nor the admin group',
      }),
    ]);
  });

  it('a callback reaching another browser (no sign-in under way there) is refused', async () => {
    const { callback } = await toCallback('alice');
    const response = await new CookieJar().fetch(callback);
    expect(response.status).toBe(400);
    expect(CookieJar.setCookieOf(response, 'admin_session')).toBeUndefined();
    expect((await auditOf('unknown')).at(-1)).toMatchObject({ detail: 'sign-in refused: no sign-in in progress in this browser' });
  });

  it('a callback whose state was changed is refused, and so is a replayed one', async () => {
    const { jar, callback } = await toCallback('alice');
    const transaction = jar.cookies.get('admin_signin')!;
    const forged = new URL(callback);
    forged.searchParams.set('state', 'x'.repeat(43));
    const response = await jar.fetch(forged.href);
    expect(response.status).toBe(400);
    expect(CookieJar.setCookieOf(response, 'admin_session')).toBeUndefined();

    // The right callback once, then again with the same transaction cookie: the code is spent.
    const again = new CookieJar();
    const first = await toCallback('alice', again);
    const sealed = again.cookies.get('admin_signin')!;
    expect((await again.fetch(first.callback)).status).toBe(303);
    const replay = await fetch(first.callback, { headers: { cookie: `admin_signin=${sealed}` }, redirect: 'manual' });
    expect(replay.status).toBe(400);
    expect(transaction).not.toBe(sealed);
    // Both audited, with why: openid-client's check of the state, then the provider's refusal of a spent code.
    expect((await auditOf('unknown')).slice(-2)).toEqual([
      expect.objectContaining({ event: 'admin.signin', result: 'failure', detail: 'sign-in refused: OAUTH_INVALID_RESPONSE' }),
      expect.objectContaining({ event: 'admin.signin', result: 'failure', detail: 'sign-in refused: OAUTH_RESPONSE_BODY_ERROR' }),
    ]);
  });

  it('a signed-in admin reads the admin API with the session; a changed session cookie reads nothing', async () => {
    const { jar } = await signIn('alice');
    const read = await jar.fetch(`${botUrl}/api/admin/audit?user=megan.bowen@contoso.com`);
    expect(read.status).toBe(200);
    expect((await auditOf('megan.bowen@contoso.com')).at(-1)).toMatchObject({ detail: 'audit log read by alice@contoso.com' });

    const session = jar.cookies.get('admin_session')!;
    const i = Math.floor(session.length / 2);
    const tampered = `${session.slice(0, i)}${session[i] === 'A' ? 'B' : 'A'}${session.slice(i + 1)}`;
    const headers = { cookie: `admin_session=${tampered}` };
    expect((await fetch(`${botUrl}/api/admin/audit?user=megan.bowen@contoso.com`, { headers })).status).toBe(401);
    expect((await fetch(`${botUrl}/admin`, { headers, redirect: 'manual' })).headers.get('location')).toBe('/admin/login');
  });

  it('signing out needs the CSRF token of the page, then ends the session', async () => {
    const { jar } = await signIn('bob');
    const page = await (await jar.fetch(`${botUrl}/admin`)).text();
    expect((await jar.fetch(`${botUrl}/admin/logout`, formPost({}))).status).toBe(403);
    expect((await jar.fetch(`${botUrl}/admin/logout`, formPost({ csrf: 'x'.repeat(32) }))).status).toBe(403);
    expect(jar.cookies.has('admin_session')).toBe(true);
    const out = await jar.fetch(`${botUrl}/admin/logout`, formPost({ csrf: csrfField(page) }));
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/admin/login');
    expect(jar.cookies.has('admin_session')).toBe(false);
  });
});
