import type { Request, Response, Server } from 'restify';
import twilio from 'twilio';
import type { CallResults } from '../bot/callResults';
import type { Logger } from '../kit/log';
import { t, VOICE_LOCALES } from '../kit/texts';
import { signedByTwilio } from './twilioSignature';

export interface VoiceRoutesDeps {
  readonly calls: CallResults;
  readonly log: Logger;
  readonly publicBaseUrl: string;
  /** Twilio's auth token signs every webhook; without it (dev outbox) no webhook is accepted. */
  readonly twilioAuthToken?: string;
  /** The dev-only route that answers a call: only in local mode (no Twilio, no MicrosoftAppId). */
  readonly devAnswerRoute: boolean;
}

/**
 * Twilio's voice webhooks: the key pressed during a verification call, and
 * the call's end. A request without a valid `X-Twilio-Signature` for the
 * exact public URL gets 403 and changes nothing. In dev outbox mode a
 * dev-only route answers a call instead.
 */
export function registerVoiceRoutes(server: Server, deps: VoiceRoutesDeps): void {
  const signed = (req: Request) => signedByTwilio(req, deps.twilioAuthToken, deps.publicBaseUrl);
  const refuse = (req: Request, res: Response) => {
    // The route, never the path: the path holds the call's token.
    deps.log.warn({ route: req.getRoute()?.path }, 'voice webhook without a valid Twilio signature refused');
    res.send(403, { error: 'invalid signature' });
  };
  const token = (req: Request) => String(req.params.token ?? '');

  server.post('/api/voice/:token', async (req, res) => {
    if (!signed(req)) return refuse(req, res);
    const { outcome, language } = await deps.calls.keyPressed(token(req), String((req.body as { Digits?: unknown })?.Digits ?? ''));
    const twiml = new twilio.twiml.VoiceResponse();
    // Read out in the person's language, by a voice that speaks it.
    twiml.say({ language: VOICE_LOCALES[language] }, t(language, `voice.${outcome}`));
    twiml.hangup();
    res.setHeader('content-type', 'text/xml');
    res.sendRaw(200, twiml.toString());
  });

  server.post('/api/voice/:token/status', async (req, res) => {
    if (!signed(req)) return refuse(req, res);
    await deps.calls.callEnded(token(req), String((req.body as { CallStatus?: unknown })?.CallStatus ?? ''));
    res.send(204);
  });

  if (deps.devAnswerRoute && !deps.twilioAuthToken) {
    // Dev outbox mode only: there is no real call to answer, so a person trying the bot answers it here.
    server.post('/api/dev/calls/:token/answer', async (req, res) => {
      const digits = (req.body as { digits?: unknown } | undefined)?.digits;
      const { outcome } = await deps.calls.keyPressed(token(req), typeof digits === 'string' ? digits : '');
      res.send(200, { outcome });
    });
  }
}
