import { randomUUID } from 'node:crypto';
import { type Activity, ActivityTypes, BotAdapter, type ConversationReference, type ResourceResponse, TurnContext } from 'botbuilder';
import type { Request, Response, Server } from 'restify';
import twilio from 'twilio';
import { z } from 'zod';
import type { Logger } from '../kit/log';
import { toSmsMessages } from '../presentation/smsText';
import type { CodeSender } from '../verification/ports';
import { signedByTwilio } from './twilioSignature';

/** The service URL of conversations that arrive by Twilio's SMS webhook (not Azure's SMS channel). */
export const TWILIO_SMS_SERVICE_URL = 'urn:twilio:sms';

/** Replies of an inbound turn, collected for the webhook's TwiML answer. */
const REPLIES = Symbol('smsReplies');

/**
 * A string of `min` to `max` characters. The type is checked first: zod's own
 * length checks also run on a value that is not a string, read its `length`,
 * and throw on one that cannot be compared (`{"length":{"toString":null}}`),
 * which made such a body a server error instead of a malformed one.
 */
const boundedText = (min: number, max: number) => z.string().pipe(z.string().min(min).max(max));

/** The few fields of Twilio's incoming-message webhook that matter here. */
const inboundShape = z.looseObject({
  MessageSid: boundedText(1, 64),
  From: boundedText(1, 32),
  To: boundedText(1, 32),
  Body: boundedText(0, 1600).default(''),
});

export type InboundSms = z.output<typeof inboundShape>;

type Logic = (context: TurnContext) => Promise<void>;

/**
 * A Bot Framework adapter for texts that reach the bot by Twilio's webhook:
 * each text is a `message` activity on the `sms` channel, run by the same bot
 * and dialogs as every other channel. Replies to a text go back in the
 * webhook's TwiML; anything sent later (a proactive wake) is texted through
 * the code sender, which honours opt-outs.
 */
export class TwilioSmsAdapter extends BotAdapter {
  constructor(
    private readonly sender: CodeSender,
    private readonly log: Logger,
  ) {
    super();
  }

  /** Runs the turn of one inbound text; returns the replies as text messages of one segment each. */
  async receive(sms: InboundSms, logic: Logic): Promise<string[]> {
    const activity: Partial<Activity> = {
      type: ActivityTypes.Message,
      id: sms.MessageSid,
      channelId: 'sms',
      serviceUrl: TWILIO_SMS_SERVICE_URL,
      from: { id: sms.From, name: sms.From },
      recipient: { id: sms.To, name: sms.To },
      conversation: { id: sms.From, isGroup: false, conversationType: 'personal', name: '' },
      text: sms.Body.trim(),
      timestamp: new Date(),
    };
    const context = new TurnContext(this, activity);
    const replies: string[] = [];
    context.turnState.set(REPLIES, replies);
    await this.runMiddleware(context, logic);
    return replies.flatMap(toSmsMessages);
  }

  override async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const replies = context.turnState.get(REPLIES) as string[] | undefined;
    const texts = activities.filter((a) => a.type === ActivityTypes.Message && a.text).map((a) => a.text!);
    if (replies) {
      replies.push(...texts);
    } else {
      const to = context.activity.from?.id ?? '';
      for (const message of texts.flatMap(toSmsMessages)) {
        const sent = await this.sender.sendSms(to, message);
        if (!sent.ok) this.log.warn({ failure: sent.failure }, 'could not text a proactive reply');
      }
    }
    return activities.map(() => ({ id: '' }));
  }

  override async updateActivity(): Promise<ResourceResponse | undefined> {
    throw new Error('a text message cannot be changed once sent');
  }

  override async deleteActivity(): Promise<void> {
    throw new Error('a text message cannot be deleted once sent');
  }

  /** A proactive turn (a call answered): the person's number is the conversation. */
  override async continueConversation(reference: Partial<ConversationReference>, logic: Logic): Promise<void> {
    const activity = TurnContext.applyConversationReference({ type: ActivityTypes.Event, name: 'ContinueConversation' }, reference, true);
    await this.runMiddleware(new TurnContext(this, activity), logic);
  }
}

export interface SmsRouteDeps {
  readonly adapter: TwilioSmsAdapter;
  readonly bot: { run(context: TurnContext): Promise<void> };
  readonly log: Logger;
  readonly publicBaseUrl: string;
  /** Twilio's auth token; without it (dev outbox) no webhook is accepted. */
  readonly twilioAuthToken?: string;
  /** The dev-only route that texts the bot without Twilio: only in local mode (no Twilio, no MicrosoftAppId). */
  readonly devRoute: boolean;
}

const devShape = z.object({ from: boundedText(1, 32), text: boundedText(0, 1600) });

/**
 * `POST /api/sms`, Twilio's incoming-message webhook: signed, form-encoded,
 * answered with TwiML holding the replies. Unsigned or malformed requests
 * change nothing.
 */
export function registerSmsRoutes(server: Server, deps: SmsRouteDeps): void {
  server.post('/api/sms', async (req: Request, res: Response) => {
    if (!signedByTwilio(req, deps.twilioAuthToken, deps.publicBaseUrl)) {
      deps.log.warn('SMS webhook without a valid Twilio signature refused');
      res.send(403, { error: 'invalid signature' });
      return;
    }
    const inbound = inboundShape.safeParse(req.body);
    const answer = new twilio.twiml.MessagingResponse();
    if (inbound.success) {
      const messages = await deps.adapter.receive(inbound.data, (context) => deps.bot.run(context));
      for (const message of messages) answer.message(message);
    } else {
      deps.log.warn({ fields: inbound.error.issues.map((i) => i.path.join('.')) }, 'SMS webhook without the fields of a text ignored');
    }
    res.setHeader('content-type', 'text/xml');
    res.sendRaw(200, answer.toString());
  });

  if (deps.devRoute && !deps.twilioAuthToken) {
    // Dev outbox mode only: a person trying the bot texts it here, as `{"from":"+1...","text":"menu"}`.
    server.post('/api/dev/sms', async (req: Request, res: Response) => {
      const dev = devShape.safeParse(req.body);
      if (!dev.success) {
        res.send(400, { error: 'send {"from": "+14255550100", "text": "menu"}' });
        return;
      }
      const sms = { MessageSid: `dev-${randomUUID()}`, From: dev.data.from, To: 'dev', Body: dev.data.text };
      res.send(200, { replies: await deps.adapter.receive(sms, (context) => deps.bot.run(context)) });
    });
  }
}
