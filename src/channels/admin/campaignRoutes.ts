import type { Server } from 'restify';
import type { CampaignAction, Campaigns } from '../../campaigns/campaigns';
import { campaignSpecSchema, specProblem } from '../../campaigns/model';
import type { Logger } from '../../kit/log';
import { guarded } from './guard';
import type { Authorise } from './identity';

export interface CampaignRoutesDeps {
  readonly campaigns: Campaigns;
  /** Who makes the request, or undefined (refused with 401). */
  readonly authorise: Authorise;
  readonly log: Logger;
}

const ACTIONS: ReadonlySet<string> = new Set<CampaignAction>(['pause', 'resume', 'stop']);

/**
 * `POST /api/admin/campaigns` (start), `GET /api/admin/campaigns` (list),
 * `GET /api/admin/campaigns/:id` (state and counts),
 * `POST /api/admin/campaigns/:id/pause|resume|stop` (docs/campaigns.md).
 */
export function registerCampaignRoutes(server: Server, deps: CampaignRoutesDeps): void {
  const { campaigns } = deps;

  server.post(
    '/api/admin/campaigns',
    guarded(deps, async (req, res, who) => {
      const parsed = campaignSpecSchema.safeParse(req.body ?? {});
      if (!parsed.success) {
        const { field, message } = specProblem(parsed.error);
        res.send(400, { error: message, field });
        return;
      }
      const started = await campaigns.start(parsed.data, who);
      if (!started.ok) {
        res.send(400, { error: started.message, field: started.field });
        return;
      }
      res.send(201, { id: started.campaign.id });
    }),
  );

  server.get(
    '/api/admin/campaigns',
    guarded(deps, async (_req, res) => {
      res.send(200, { campaigns: await campaigns.list() });
    }),
  );

  server.get(
    '/api/admin/campaigns/:id',
    guarded(deps, async (req, res) => {
      const view = await campaigns.view(String(req.params.id));
      if (!view) {
        res.send(404, { error: 'no such campaign' });
        return;
      }
      res.send(200, view);
    }),
  );

  server.post(
    '/api/admin/campaigns/:id/:action',
    guarded(deps, async (req, res, who) => {
      const action = String(req.params.action);
      if (!ACTIONS.has(action)) {
        res.send(404, { error: 'the actions are pause, resume and stop' });
        return;
      }
      const result = await campaigns.act(String(req.params.id), action as CampaignAction, who);
      if (!result.ok) {
        res.send(result.status, { error: result.error });
        return;
      }
      res.send(200, { id: result.campaign.id, state: result.campaign.state === 'active' ? 'running' : result.campaign.state });
    }),
  );
}
