import { randomBytes } from 'node:crypto';
import type { Request, Response, Server } from 'restify';
import type { Logger } from '../../kit/log';
import { t } from '../../kit/texts';
import type { AuditLog, Clock } from '../../verification/ports';
import { readCookie, setCookie } from './cookies';
import type { EntraSignIn, SignInTransaction } from './entraSignIn';
import { KEY_HOLDER, sameSecret } from './guard';
import { langQuery, pageLanguage } from './language';
import { loginPage, messagePage } from './pages';
import { seeOther, sendHtml } from './responses';
import { SealedCookie } from './sealedCookie';
import type { AdminSessions } from './sessions';

export interface SignInRoutesDeps {
  readonly sessions: AdminSessions;
  /** Sign-in by Entra ID (ADMIN_OIDC_*). */
  readonly entra?: EntraSignIn;
  /** Local mode only: the ADMIN_API_KEY form. */
  readonly keyLogin?: { readonly apiKey: string };
  /** Seals the sign-in transaction between the redirect and the callback. */
  readonly rootKey: Buffer;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly log: Logger;
}

/** The provider has ten minutes to send the browser back. */
const TRANSACTION_MINUTES = 10;
const TRANSACTION_COOKIE = 'admin_signin';
/** The key form's double-submit token (login CSRF: nobody else's key gets typed into this browser's session). */
const LOGIN_COOKIE = 'admin_login';

/** `/admin/login`, Entra ID's redirect and callback, the local key form, and sign-out; every sign-in audited. */
export function registerSignInRoutes(server: Server, deps: SignInRoutesDeps): void {
  const { sessions, entra, keyLogin, log } = deps;
  const transactions = new SealedCookie<SignInTransaction>(deps.rootKey, 'signin');
  const cookie = { secure: sessions.secure };

  const audit = (upn: string, result: 'success' | 'failure', detail: string) =>
    deps.audit.record({ at: deps.clock.now(), userId: upn, upn, event: 'admin.signin', result, via: 'admin', detail });

  /** The sign-in page in the request's language, with the refusal `admin.signIn.<errorKey>` if any. */
  const showLogin = (req: Request, res: Response, status: number, errorKey?: string) => {
    const csrf = randomBytes(24).toString('base64url');
    const language = pageLanguage(req);
    setCookie(res, LOGIN_COOKIE, csrf, { ...cookie, path: '/admin/login', maxAge: 3600 });
    const error = errorKey ? t(language, `admin.signIn.${errorKey}`) : undefined;
    sendHtml(res, status, loginPage({ language, langQuery: langQuery(req), entra: !!entra, keyLogin: !!keyLogin, csrf, error }));
  };

  server.get('/admin/login', async (req, res) => {
    if (sessions.read(req)) return seeOther(res, `/admin${langQuery(req)}`);
    showLogin(req, res, 200);
  });

  if (keyLogin) {
    server.post('/admin/login/key', async (req, res) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const field = (name: string) => (typeof body[name] === 'string' ? (body[name] as string) : '');
      const expected = readCookie(req, LOGIN_COOKIE);
      if (!expected || !sameSecret(field('csrf'), expected)) {
        return showLogin(req, res, 403, 'expired');
      }
      // Recorded before the answer: a sign-in that cannot be audited does not happen.
      if (!sameSecret(field('key'), keyLogin.apiKey)) {
        await audit(KEY_HOLDER, 'failure', 'dashboard sign-in refused: not the admin API key');
        log.warn('dashboard sign-in with a wrong key refused');
        return showLogin(req, res, 401, 'wrongKey');
      }
      await audit(KEY_HOLDER, 'success', 'signed in to the dashboard with the admin API key (local mode)');
      sessions.start(res, KEY_HOLDER, 'key');
      seeOther(res, `/admin${langQuery(req)}`);
    });
  }

  if (entra) {
    server.get('/admin/login/entra', async (req, res) => {
      let begun: Awaited<ReturnType<EntraSignIn['begin']>>;
      try {
        begun = await entra.begin();
      } catch (err) {
        log.error({ err, issuer: entra.settings.issuer }, 'the sign-in provider could not be reached');
        return sendHtml(res, 503, messagePage(pageLanguage(req), 'unavailableTitle', 'unavailable'));
      }
      const token = transactions.seal(begun.transaction, deps.clock.now() + TRANSACTION_MINUTES * 60_000);
      setCookie(res, TRANSACTION_COOKIE, token, { ...cookie, path: '/admin', maxAge: TRANSACTION_MINUTES * 60 });
      seeOther(res, begun.url, 302);
    });

    server.get('/admin/callback', async (req, res) => {
      const transaction = transactions.open(readCookie(req, TRANSACTION_COOKIE), deps.clock.now());
      // Used once, whatever happens next.
      setCookie(res, TRANSACTION_COOKIE, '', { ...cookie, path: '/admin', maxAge: 0 });
      const failed = async (status: number, detail: string, messageKey: string) => {
        await audit('unknown', 'failure', detail);
        sendHtml(res, status, messagePage(pageLanguage(req), 'failedTitle', messageKey));
      };
      if (!transaction) {
        log.warn('sign-in callback without a current sign-in refused');
        return failed(400, 'sign-in refused: no sign-in in progress in this browser', 'tooLate');
      }
      const query = req.getQuery();
      const providerError = new URLSearchParams(query).get('error');
      if (providerError) {
        log.warn({ providerError }, 'the sign-in provider refused the sign-in');
        return failed(400, `sign-in refused by the provider: ${providerError.slice(0, 64)}`, 'providerRefused');
      }
      let outcome: Awaited<ReturnType<EntraSignIn['finish']>>;
      try {
        outcome = await entra.finish(query, transaction);
      } catch (err) {
        const code = (err as { code?: unknown }).code;
        log.warn({ err: (err as Error).message, code }, 'sign-in callback refused');
        return failed(400, `sign-in refused: ${typeof code === 'string' ? code : 'invalid answer from the provider'}`, 'unchecked');
      }
      if (!outcome.ok) {
        await audit(outcome.name, 'failure', 'dashboard sign-in refused: neither the admin app role nor the admin group');
        log.warn({ reason: outcome.reason }, 'dashboard sign-in of a non-admin refused');
        return sendHtml(res, 403, messagePage(pageLanguage(req), 'notAdminTitle', 'notAdmin', { name: outcome.name }));
      }
      await audit(outcome.name, 'success', `signed in to the dashboard with Entra ID (${outcome.because})`);
      sessions.start(res, outcome.name, 'entra');
      seeOther(res, '/admin');
    });
  }

  server.post('/admin/logout', async (req, res) => {
    const session = sessions.read(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (session && !(typeof body.csrf === 'string' && sameSecret(body.csrf, session.csrf))) {
      return sendHtml(res, 403, messagePage(pageLanguage(req), 'notSignedOutTitle', 'notSignedOut'));
    }
    sessions.end(res);
    seeOther(res, `/admin/login${langQuery(req)}`);
  });
}
