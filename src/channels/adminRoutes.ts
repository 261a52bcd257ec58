import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, Server } from 'restify';
import type { Logger } from '../kit/log';
import type { StoreAuditLog } from '../storage/auditStore';
import type { Clock } from '../verification/ports';

export interface AdminRoutesDeps {
  readonly apiKey: string;
  readonly audit: StoreAuditLog;
  readonly clock: Clock;
  readonly log: Logger;
}

/** Who reads through these routes: one shared key, so the key is all the log can name. */
const ADMIN = 'admin api key';

/** Compares digests, so neither the length nor the content of the key leaks through timing. */
function sameKey(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * Who makes an admin request: the admin API key's holder for a valid
 * `Authorization: Bearer <key>`, else undefined. Every admin route is guarded
 * by this (a signed-in session may be added beside it).
 */
export type Authorise = (req: Request) => string | undefined;

export function bearerGuard(apiKey: string): Authorise {
  return (req) => {
    const [scheme, key] = (req.header('authorization') ?? '').split(' ');
    return scheme === 'Bearer' && key && sameKey(key, apiKey) ? ADMIN : undefined;
  };
}

/** Admin routes, only when ADMIN_API_KEY is set: `Authorization: Bearer <key>`. */
export function registerAdminRoutes(server: Server, deps: AdminRoutesDeps): void {
  const guard = bearerGuard(deps.apiKey);
  const authorised = (req: Request) => guard(req) !== undefined;

  server.get('/api/admin/audit', async (req, res) => {
    if (!authorised(req)) {
      deps.log.warn({ path: req.getPath() }, 'admin route without a valid key refused');
      res.send(401, { error: 'a valid bearer key is required' });
      return;
    }
    const user = typeof req.query?.user === 'string' ? req.query.user.trim() : '';
    if (!user || user.length > 320) {
      res.send(400, { error: 'give the person as ?user=<upn>' });
      return;
    }
    const events = await deps.audit.forUser(user);
    // Recorded before the answer: a read that cannot be audited is not answered.
    await deps.audit.record({
      at: deps.clock.now(),
      userId: ADMIN,
      upn: user,
      event: 'admin.action',
      result: 'success',
      via: 'admin',
      detail: `audit log read by ${ADMIN}`,
    });
    res.send(200, { user, events });
  });
}
