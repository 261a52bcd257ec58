import type { CloudAdapter, TurnContext } from 'botbuilder';
import restify from 'restify';
import { z } from 'zod';
import type { Logger } from '../kit/log';
import type { StoreMetering } from '../storage/metering';

export interface ServerDeps {
  readonly adapter: CloudAdapter;
  readonly bot: { run(context: TurnContext): Promise<void> };
  readonly log: Logger;
  readonly metering: StoreMetering;
}

/** Activities are small; anything bigger than this is refused before parsing. */
export const MAX_BODY_BYTES = 256 * 1024;

/** The least an activity needs before botbuilder sees it; everything else passes through. */
const activityShape = z.looseObject({
  type: z.string().min(1).max(64),
  channelId: z.string().min(1).max(64),
  serviceUrl: z.string().max(2048).optional(),
  from: z.looseObject({ id: z.string().min(1).max(512) }),
  conversation: z.looseObject({ id: z.string().min(1).max(1024) }),
  text: z.string().max(28_000).optional(),
});

/** The HTTP routes; thin: each hands its request to the adapter or a service. */
export function createServer({ adapter, bot, log, metering }: ServerDeps): restify.Server {
  const server = restify.createServer({ name: 'security-info-assistant', handleUncaughtExceptions: false });
  server.use(restify.plugins.queryParser({ mapParams: false }));
  server.use(restify.plugins.bodyParser({ maxBodySize: MAX_BODY_BYTES, mapParams: false, rejectUnknown: true }));

  server.post('/api/messages', async (req, res) => {
    const shape = activityShape.safeParse(req.body);
    if (!shape.success) {
      res.send(400, {
        error: 'the body must be a JSON activity',
        detail: shape.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
      });
      return;
    }
    const { cost } = await metering.measure(() => adapter.process(req, res, (context) => bot.run(context)));
    log.debug({ activityType: shape.data.type, channelId: shape.data.channelId, storeCost: cost }, 'turn cost');
  });

  // Clients (Agents Playground) probe the endpoint before they connect.
  server.head('/api/messages', async (_req, res) => {
    res.send(204);
  });

  server.get('/healthz', async (_req, res) => {
    res.send(200, { status: 'ok' });
  });

  server.on('restifyError', (req, _res, err, callback) => {
    // The matched route, not the URL: call and QR-link URLs carry tokens.
    log.warn({ method: req.method, route: req.getRoute()?.path ?? 'unknown', status: err.statusCode, err: err.message }, 'request refused');
    return callback();
  });
  return server;
}
