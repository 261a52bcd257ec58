import type { CloudAdapter, TurnContext } from 'botbuilder';
import restify, { type Request, type RequestHandler } from 'restify';
import type { CallResults } from '../bot/callResults';
import type { Campaigns } from '../campaigns/campaigns';
import type { Logger } from '../kit/log';
import type { QrLinks } from '../presentation/qrLinks';
import type { StoreAuditLog } from '../storage/auditStore';
import type { StoreMetering } from '../storage/metering';
import { activityShape } from './activityShape';
import { type AdminDeps, registerAdmin } from './admin';
import { registerCampaignRoutes } from './admin/campaignRoutes';
import { registerReportRoutes } from './admin/reportRoutes';
import { registerAdminRoutes } from './adminRoutes';
import type { Lifecycle } from './lifecycle';
import { registerQrRoute } from './qrRoute';
import { registerSmsRoutes, type TwilioSmsAdapter } from './twilioSms';
import { registerVoiceRoutes } from './twilioVoice';

export interface ServerDeps {
  readonly adapter: CloudAdapter;
  readonly bot: { run(context: TurnContext): Promise<void> };
  readonly log: Logger;
  readonly metering: StoreMetering;
  /** Texts by Twilio's webhook. */
  readonly smsAdapter: TwilioSmsAdapter;
  /** What Twilio's voice webhooks report. */
  readonly calls: CallResults;
  readonly publicBaseUrl: string;
  /** Signs Twilio's webhooks; absent, none is accepted. */
  readonly twilioAuthToken?: string;
  /** Local mode: the dev routes (text the bot, answer a call) exist, unless Twilio is configured. */
  readonly localMode: boolean;
  /** The admin routes and the dashboard, when ADMIN_API_KEY or Entra ID sign-in (ADMIN_OIDC_*) is set (docs/admin.md); with campaigns, their routes and the reports (docs/campaigns.md). */
  readonly admin?: AdminDeps & { readonly audit: StoreAuditLog; readonly campaigns?: Campaigns };
  /** QR_IMAGE_MODE=url: the route that serves each QR image once. */
  readonly qrLinks?: QrLinks;
  /** Probes, requests in flight, and draining at shutdown. */
  readonly lifecycle: Lifecycle;
}

/** Activities are small; anything bigger than this is refused before parsing. */
export const MAX_BODY_BYTES = 256 * 1024;

const JSON_TYPE = 'application/json';
const FORM_TYPE = 'application/x-www-form-urlencoded';

/**
 * The one media type each route with a body takes (Bot Framework and the dev
 * routes send JSON, Twilio's webhooks a form); a route not listed takes no body.
 */
const BODY_TYPES: Readonly<Record<string, string>> = {
  '/api/messages': JSON_TYPE,
  '/api/sms': FORM_TYPE,
  '/api/voice/:token': FORM_TYPE,
  '/api/voice/:token/status': FORM_TYPE,
  '/api/dev/sms': JSON_TYPE,
  '/api/dev/calls/:token/answer': JSON_TYPE,
  '/admin/login/key': FORM_TYPE,
  '/admin/logout': FORM_TYPE,
  '/api/admin/campaigns': JSON_TYPE,
};

function hasBody(req: Request): boolean {
  return req.isChunked() || req.getContentLength() > 0;
}

/**
 * Refuses a body the route does not take before a byte of it is read: a
 * multipart body would otherwise be written to the temp folder, and a
 * compressed one could inflate past the size limit.
 */
function refuseUnexpectedBodies(log: Logger): RequestHandler {
  return (req, res, next) => {
    if (!hasBody(req)) return next();
    const route = String(req.getRoute()?.path ?? 'unknown');
    const expected = BODY_TYPES[route];
    const encoding = req.header('content-encoding', 'identity').toLowerCase();
    const refuse = (status: number, error: string) => {
      log.warn({ method: req.method, route, status, contentType: req.getContentType() }, 'request body refused');
      res.send(status, { error });
      return next(false);
    };
    if (!expected || req.getContentType() !== expected || encoding !== 'identity') {
      return refuse(415, expected ? `send ${expected}` : 'this route takes no body');
    }
    if (req.getContentLength() > MAX_BODY_BYTES) return refuse(413, `the body must be at most ${MAX_BODY_BYTES} bytes`);
    return next();
  };
}

/** Every HTTP route of the bot; each hands its request to an adapter or a service. */
export function createServer(deps: ServerDeps): restify.Server {
  const { adapter, bot, log, metering } = deps;
  const server = restify.createServer({ name: 'security-info-assistant', handleUncaughtExceptions: false });
  deps.lifecycle.install(server);
  server.use(restify.plugins.queryParser({ mapParams: false }));
  server.use(refuseUnexpectedBodies(log));
  // In memory, up to the limit; by now the media type is the route's own, so each parser below acts on its routes only.
  server.use(restify.plugins.bodyReader({ maxBodySize: MAX_BODY_BYTES }));
  server.use(restify.plugins.jsonBodyParser({ bodyReader: true, mapParams: false }));
  server.use(restify.plugins.urlEncodedBodyParser({ bodyReader: true, mapParams: false }));

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

  const webhooks = { log, publicBaseUrl: deps.publicBaseUrl, twilioAuthToken: deps.twilioAuthToken };
  registerVoiceRoutes(server, { ...webhooks, calls: deps.calls, devAnswerRoute: deps.localMode });
  registerSmsRoutes(server, { ...webhooks, adapter: deps.smsAdapter, bot, devRoute: deps.localMode });
  if (deps.admin) {
    const authorise = registerAdmin(server, { ...deps.admin, log });
    registerAdminRoutes(server, { ...deps.admin, authorise, log });
    const { campaigns, audit, clock } = deps.admin;
    if (campaigns) {
      registerCampaignRoutes(server, { campaigns, authorise, log });
      registerReportRoutes(server, { campaigns, authorise, log, audit, clock });
    }
  }
  if (deps.qrLinks) registerQrRoute(server, deps.qrLinks);

  server.on('restifyError', (req, _res, err, callback) => {
    // The matched route, not the URL: call and QR-link URLs carry tokens.
    log.warn({ method: req.method, route: req.getRoute()?.path ?? 'unknown', status: err.statusCode, err: err.message }, 'request refused');
    return callback();
  });
  return server;
}
