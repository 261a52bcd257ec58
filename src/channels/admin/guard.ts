import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'restify';
import type { Logger } from '../../kit/log';
import type { AdminIdentity, Authorise } from './identity';
import type { AdminSessions } from './sessions';

/** What the log and the audit name a caller with the shared key: the key is all it proves. */
export const KEY_HOLDER = 'admin api key';

/** Compares digests, so neither the length nor the content of a secret leaks through timing. */
export function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

const SAFE_METHODS = new Set(['GET', 'HEAD']);

/** The CSRF token a POST carries: the `x-csrf-token` header (scripts) or the `csrf` field (forms). */
function csrfOf(req: Request): string {
  const header = req.header('x-csrf-token');
  if (header) return header;
  const body = req.body as Record<string, unknown> | undefined;
  return typeof body?.csrf === 'string' ? body.csrf : '';
}

/**
 * The guard of every admin route: `Authorization: Bearer <ADMIN_API_KEY>` for
 * API callers, or a dashboard session, whose POSTs must also carry its CSRF
 * token. A request with an Authorization header is judged by it alone.
 */
export function createAuthorise(deps: { apiKey?: string; sessions?: AdminSessions }): Authorise {
  return (req): AdminIdentity | undefined => {
    const authorization = req.header('authorization');
    if (authorization) {
      const [scheme, key, extra] = authorization.split(' ');
      const { apiKey } = deps;
      const valid = scheme === 'Bearer' && !!key && extra === undefined && !!apiKey && sameSecret(key, apiKey);
      return valid ? { name: KEY_HOLDER, via: 'bearer' } : undefined;
    }
    const session = deps.sessions?.read(req);
    if (!session) return undefined;
    if (!SAFE_METHODS.has(req.method ?? '') && !sameSecret(csrfOf(req), session.csrf)) return undefined;
    return { name: session.name, via: 'session' };
  };
}

/**
 * A route handler run only for an authorised request, with who made it (the
 * name the audit records); anyone else gets 401. Every `/api/admin/*` route is
 * wrapped in it.
 */
export function guarded(
  deps: { readonly authorise: Authorise; readonly log: Logger },
  handle: (req: Request, res: Response, who: string) => Promise<void>,
) {
  return async (req: Request, res: Response) => {
    const admin = deps.authorise(req);
    if (!admin) {
      deps.log.warn({ path: req.getPath() }, 'admin route without a valid key or session refused');
      res.send(401, { error: 'sign in at /admin, or send a valid bearer key' });
      return;
    }
    await handle(req, res, admin.name);
  };
}
