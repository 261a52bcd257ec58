import twilio from 'twilio';
import type { AppOverrides } from '../../src/index';
import { BotFixture } from './botFixture';
import { BOT_NUMBER, TwilioDouble, twilioSettings } from './twilioDouble';

export const SMS_SID = `AC${'3'.repeat(32)}`;
export const SMS_TOKEN = 'sms-auth-token';
/** On file in the sample directory. */
export const SAM = { phone: '+12015550142', upn: 'sam.student@contoso.edu' } as const;
export const HELP_DESK_CHANNEL = '19:helpdesk@thread.tacv2';

/** The number to reply for a choice of a text menu. */
export function numberOf(menu: string, title: string): string {
  const line = menu.split('\n').find((l) => l.endsWith(`. ${title}`));
  if (!line) throw new Error(`no "${title}" in:\n${menu}`);
  return line.split('.')[0]!;
}

/** The messages of a TwiML answer, as the person reads them. */
export function twimlMessages(xml: string): string[] {
  return [...xml.matchAll(/<Message>([\s\S]*?)<\/Message>/g)].map((m) =>
    m[1]!
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&amp;/g, '&'),
  );
}

/**
 * The real bot with Twilio configured against a local double (the real SDK),
 * a help desk in a Teams channel at the connector stub, and a person's phone
 * that texts it as Twilio delivers texts: signed, form-encoded POSTs.
 */
export class SmsBot {
  private constructor(
    readonly bot: BotFixture,
    readonly double: TwilioDouble,
  ) {}

  static async start(overrides: AppOverrides, env: { agentIds?: string } = {}): Promise<SmsBot> {
    const double = await new TwilioDouble().start();
    const bot = await BotFixture.start(
      (connectorUrl) => ({
        ...twilioSettings({ sid: SMS_SID, token: SMS_TOKEN }, double.url),
        HELPDESK_CONTACT: '+1 425 555 0111',
        HELPDESK_CHANNEL_ID: HELP_DESK_CHANNEL,
        HELPDESK_SERVICE_URL: connectorUrl,
        HELPDESK_AGENT_IDS: env.agentIds ?? 'agent-1',
      }),
      overrides,
      { publicUrl: true },
    );
    return new SmsBot(bot, double);
  }

  async stop(): Promise<void> {
    await this.bot.stop();
    await this.double.stop();
  }

  /** Texts the bot from `from`; returns the TwiML replies. `token`, `signedFor` and `sid` forge or repeat a delivery. */
  async text(from: string, body: string, options: { token?: string; signedFor?: string; sid?: string } = {}) {
    const url = `${this.bot.publicBaseUrl}/api/sms`;
    const params = {
      MessageSid: options.sid ?? `SM${Math.random().toString(16).slice(2)}`,
      AccountSid: SMS_SID,
      From: from,
      To: BOT_NUMBER,
      Body: body,
    };
    const response = await fetch(`${this.bot.app.url}/api/sms`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilio.getExpectedTwilioSignature(options.token ?? SMS_TOKEN, options.signedFor ?? url, params),
      },
      body: new URLSearchParams(params).toString(),
    });
    const messages = twimlMessages(await response.text());
    return { status: response.status, messages, all: messages.join('\n') };
  }

  /** The code Twilio was last asked to text to `to`. */
  textedCode(to: string): string {
    const sent = this.double.messages().filter((m) => m.form.To === to);
    const match = /\b(\d{6})\b/.exec(sent.at(-1)?.form.Body ?? '');
    if (!match) throw new Error(`no code texted to ${to}`);
    return match[1]!;
  }
}
