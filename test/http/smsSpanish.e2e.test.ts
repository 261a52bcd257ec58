import twilio from 'twilio';
import { smsLength } from '../../src/presentation/smsText';
import { BotFixture } from '../support/botFixture';
import { FrozenClock } from '../support/clock';
import { BOT_NUMBER, TwilioDouble, twilioSettings } from '../support/twilioDouble';

const SID = `AC${'3'.repeat(32)}`;
const TOKEN = 'sms-auth-token';
const SAM = { phone: '+12015550142', upn: 'sam.student@contoso.edu' }; // on file in the sample directory
const HELP_DESK_CHANNEL = '19:helpdesk@thread.tacv2';

/** The number to reply for a choice of a text menu. */
function numberOf(menu: string, title: string): string {
  const line = menu.split('\n').find((l) => l.endsWith(`. ${title}`));
  if (!line) throw new Error(`no "${title}" in:\n${menu}`);
  return line.split('.')[0]!;
}

describe('the assistant by SMS in Spanish (Twilio webhook, the real SDK against a local double)', () => {
  let bot: BotFixture;
  let double: TwilioDouble;
  const clock = new FrozenClock(Date.now());

  beforeAll(async () => {
    double = await new TwilioDouble().start();
    bot = await BotFixture.start(
      (connectorUrl) => ({
        ...twilioSettings({ sid: SID, token: TOKEN }, double.url),
        HELPDESK_CONTACT: '+1 425 555 0111',
        HELPDESK_CHANNEL_ID: HELP_DESK_CHANNEL,
        HELPDESK_SERVICE_URL: connectorUrl,
        HELPDESK_AGENT_IDS: 'agent-1',
      }),
      { clock },
      { publicUrl: true },
    );
  });
  afterAll(async () => {
    await bot.stop();
    await double.stop();
  });

  /** Texts the bot as Twilio delivers a text: a signed, form-encoded POST; returns the TwiML replies. */
  async function text(from: string, body: string, options: { token?: string; signedFor?: string; sid?: string } = {}) {
    const url = `${bot.publicBaseUrl}/api/sms`;
    const params = {
      MessageSid: options.sid ?? `SM${Math.random().toString(16).slice(2)}`,
      AccountSid: SID,
      From: from,
      To: BOT_NUMBER,
      Body: body,
    };
    const response = await fetch(`${bot.app.url}/api/sms`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilio.getExpectedTwilioSignature(options.token ?? TOKEN, options.signedFor ?? url, params),
      },
      body: new URLSearchParams(params).toString(),
    });
    const xml = await response.text();
    const messages = [...xml.matchAll(/<Message>([\s\S]*?)<\/Message>/g)].map((m) =>
      m[1]!
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&apos;/g, "'")
        .replace(/&amp;/g, '&'),
    );
    return { status: response.status, messages, all: messages.join('\n') };
  }

  /** The code Twilio was last asked to text to `to`. */
  function textedCode(to: string): string {
    const sent = double.messages().filter((m) => m.form.To === to);
    const match = /\b(\d{6})\b/.exec(sent.at(-1)?.form.Body ?? '');
    if (!match) throw new Error(`no code texted to ${to}`);
    return match[1]!;
  }

  it('a first text in Spanish: the menu, the code text and every reply are in Spanish, each in one GSM-7 segment', async () => {
    const menu = await text(SAM.phone, 'hola');
    expect(menu.all).toBe(
      [
        'Contoso: tu informacion de seguridad',
        'Responde con un numero:',
        '1. Registrar este teléfono',
        '2. Configurar una app de autenticacion',
        '3. Ver mi informacion de seguridad',
        '4. Listo',
        '5. Necesito ayuda',
      ].join('\n'),
    );
    const sent = await text(SAM.phone, numberOf(menu.all, 'Registrar este teléfono'));
    expect(sent.all).toContain('Enviamos un codigo de 6 digitos al +1 *** *** 0142. Respondenos con él.');
    // The code itself, by text, in Spanish.
    const body = double.messages().at(-1)?.form.Body ?? '';
    expect(body).toMatch(/^\d{6} es tu codigo de verificacion de Contoso\. Caduca en \d+ minutos\. No lo compartas con nadie\.$/);

    expect((await text(SAM.phone, '000000')).all).toContain('Ese codigo no funciono');
    const registered = await text(SAM.phone, textedCode(SAM.phone));
    expect(registered.all).toContain('Tu teléfono +1 *** *** 0142 esta registrado.');

    for (const message of [body, ...menu.messages, ...sent.messages, ...registered.messages]) {
      expect(smsLength(message)).toEqual({ length: message.length, segment: 160 });
    }
  });

  it('the language stays with the person: texts later in English words are still answered in Spanish; ENGLISH switches, ESPAÑOL switches back', async () => {
    const menu = await text(SAM.phone, 'menu');
    expect(menu.all).toContain('Responde con un numero:');
    const english = await text(SAM.phone, 'ENGLISH');
    expect(english.all).toContain("OK, I'll speak English from now on.");
    expect(english.all).toContain('Reply with a number:');
    const spanish = await text(SAM.phone, 'ESPAÑOL');
    expect(spanish.all).toContain('De acuerdo, a partir de ahora te hablo en español.');
    expect(spanish.all).toContain('Responde con un numero:');
  });

  it('reaches the help desk in their own words, and hears back in Spanish', async () => {
    const reply = await text(SAM.phone, 'necesito hablar con una persona');
    expect(reply.all).toMatch(/Abri el ticket HD-\d{6}-\w{4} del servicio de ayuda para ti\./);
  });
});
