import type { Server } from 'restify';
import type { Logger } from '../kit/log';
import type { StoreAuditLog } from '../storage/auditStore';
import type { Clock } from '../verification/ports';
import type { Authorise } from './admin';
import { guarded } from './admin/guard';

export interface AdminRoutesDeps {
  /** The one guard of every admin route: the bearer key or a dashboard session (src/channels/admin/guard.ts). */
  readonly authorise: Authorise;
  readonly audit: StoreAuditLog;
  readonly clock: Clock;
  readonly log: Logger;
}

/** The audit log route: `Authorization: Bearer <ADMIN_API_KEY>`, or a signed-in admin. */
export function registerAdminRoutes(server: Server, deps: AdminRoutesDeps): void {
  server.get(
    '/api/admin/audit',
    guarded(deps, async (req, res, who) => {
      const user = typeof req.query?.user === 'string' ? req.query.user.trim() : '';
      if (!user || user.length > 320) {
        res.send(400, { error: 'give the person as ?user=<upn>' });
        return;
      }
      const events = await deps.audit.forUser(user);
      // Recorded before the answer: a read that cannot be audited is not answered.
      await deps.audit.record({
        at: deps.clock.now(),
        userId: who,
        upn: user,
        event: 'admin.action',
        result: 'success',
        via: 'admin',
        detail: `audit log read by ${who}`,
      });
      res.send(200, { user, events });
    }),
  );
}
