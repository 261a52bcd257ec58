import type { Server } from 'restify';
import type { Campaigns } from '../../campaigns/campaigns';
import type { Logger } from '../../kit/log';
import { METHOD_KINDS, type MethodKind } from '../../verification/policy';
import type { AuditLog, Clock } from '../../verification/ports';
import { guarded } from './guard';
import type { Authorise } from './identity';

export interface ReportRoutesDeps {
  readonly campaigns: Campaigns;
  readonly authorise: Authorise;
  readonly log: Logger;
  readonly audit: AuditLog;
  readonly clock: Clock;
}

function queryValue(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim().slice(0, 120) : undefined;
}

/**
 * `GET /api/admin/summary?role=&group=&method=` (the dashboard's numbers) and
 * `GET /api/admin/reports/registration.csv` (one row per person; method kinds,
 * never numbers or secrets). docs/campaigns.md defines every figure.
 */
export function registerReportRoutes(server: Server, deps: ReportRoutesDeps): void {
  server.get(
    '/api/admin/summary',
    guarded(deps, async (req, res) => {
      const method = queryValue(req.query?.method);
      if (method && !(METHOD_KINDS as readonly string[]).includes(method)) {
        res.send(400, { error: `method: must be among ${METHOD_KINDS.join(', ')}`, field: 'method' });
        return;
      }
      res.setHeader('cache-control', 'no-store');
      res.send(
        200,
        await deps.campaigns.summary({
          role: queryValue(req.query?.role),
          group: queryValue(req.query?.group),
          method: method as MethodKind | undefined,
        }),
      );
    }),
  );

  server.get(
    '/api/admin/reports/registration.csv',
    guarded(deps, async (_req, res, who) => {
      const csv = await deps.campaigns.registrationCsv();
      // Everyone's registration in one file: recorded before it is answered, as every admin read is.
      await deps.audit.record({
        at: deps.clock.now(),
        userId: who,
        upn: 'report:registration',
        event: 'admin.action',
        result: 'success',
        via: 'admin',
        detail: `registration report read by ${who}`,
      });
      res.setHeader('content-type', 'text/csv; charset=utf-8');
      res.setHeader('content-disposition', 'attachment; filename="registration.csv"');
      res.setHeader('cache-control', 'no-store');
      res.sendRaw(200, csv);
    }),
  );
}
