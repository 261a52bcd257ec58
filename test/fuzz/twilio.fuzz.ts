import fc from 'fast-check';
import twilio from 'twilio';
import { MAX_BODY_BYTES } from '../../src/channels/server';
import type { BotFixture } from '../support/botFixture';
import { FrozenClock } from '../support/clock';
import { HELP_DESK_CHANNEL, SAM as SAM_STUDENT, SMS_SID as SID, SmsBot, SMS_TOKEN as TOKEN } from '../support/smsBot';
import { BOT_NUMBER, type TwilioDouble } from '../support/twilioDouble';
import { ErrorLog, expectAnswered, fuzz, RejectionWatch, SEED, seededRandom, trim } from './fuzzing';
import { anyText, bytewise, headerValue, hugeString, junk, oddString } from './junk';
import { enrollsNormally, Person, REQUEST_TIMEOUT_MS, teamsUser } from './person';
import { fitsOneSegment } from './segments';

/** Sam Student: a phone on file in the sample directory, who registers it by text at the end. */
const SAM = SAM_STUDENT.phone;
/** Megan Bowen: a phone on file, who reaches the help desk by text while an agent writes to her. */
const MEGAN = '+14255550101';
const AGENT = { id: '29:alex', name: 'Alex Agent', aadObjectId: 'agent-1' };

/** What an agent may write: anything, and text without spaces to break at (a long link, Chinese, a run of emoji). */
const agentText = fc.oneof(
  anyText,
  fc.constantFrom(
    `https://contoso.sharepoint.com/sites/it/${'a'.repeat(180)}`,
    '请打开微软身份验证器应用并扫描二维码然后输入应用显示的六位数代码如果您需要帮助请随时回复这条消息我们的服务台会尽快与您联系谢谢您的耐心等待'.repeat(
      2,
    ),
    '😀'.repeat(60),
    `Try this: ${'👍'.repeat(40)} thanks`,
    'Zoë '.repeat(30),
    `See   the   table:\n${'col\t'.repeat(30)}\n${' '.repeat(400)}end`,
    `ok${' '.repeat(300)}then`,
  ),
  fc.string({ unit: fc.constantFrom('字', '😀', 'é', 'a', '€', ' ', '👩‍👩‍👧'), minLength: 60, maxLength: 400 }),
);

/** How a generated webhook is signed: as Twilio signs it, or in one of the ways a forger would. */
type Signing = 'twilio' | 'none' | 'otherToken' | 'otherUrl' | 'alteredBody' | { readonly header: string };

const signing: fc.Arbitrary<Signing> = fc.oneof(
  { weight: 8, arbitrary: fc.constant('twilio' as const) },
  { weight: 1, arbitrary: fc.constantFrom('none' as const, 'otherToken' as const, 'otherUrl' as const, 'alteredBody' as const) },
  { weight: 1, arbitrary: fc.record({ header: fc.oneof(oddString, fc.base64String({ maxLength: 40 })) }) },
);

/** Form fields: Twilio's names with generated values, repeated fields, and names Twilio never sends. */
function formFields(known: Record<string, fc.Arbitrary<string>>): fc.Arbitrary<Array<[string, string]>> {
  const value = (right: fc.Arbitrary<string>) =>
    fc.oneof({ weight: 4, arbitrary: right }, { weight: 2, arbitrary: anyText }, { weight: 1, arbitrary: hugeString });
  return fc
    .tuple(
      fc.record(Object.fromEntries(Object.entries(known).map(([key, right]) => [key, value(right)])), { requiredKeys: [] }),
      fc.array(fc.tuple(fc.constantFrom(...Object.keys(known)), value(fc.constant(''))), { maxLength: 2 }),
      fc.array(fc.tuple(fc.oneof(oddString, fc.constantFrom('__proto__', 'constructor', 'a[b]', 'a[]', 'ApiVersion')), oddString), {
        maxLength: 3,
      }),
    )
    .map(([named, repeated, unknown]) => [...Object.entries(named), ...repeated, ...unknown] as Array<[string, string]>);
}

/** The parameters as the server reads them from the form body (and Twilio signs them): repeated names as lists. */
function paramsOf(body: string): Record<string, string | string[]> {
  const params: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const had = Object.hasOwn(params, key) ? params[key] : undefined;
    Object.defineProperty(params, key, {
      value: had === undefined ? value : [...(Array.isArray(had) ? had : [had]), value],
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return params;
}

/**
 * Whether the server's form parser (restify's, over `qs`) reads these fields
 * as Twilio signed them: no brackets, no lists over 20, and no names of
 * Object.prototype's own (`qs` drops "toString", "constructor"...; Twilio
 * sends none of those).
 */
function plainForm(fields: Array<[string, string]>): boolean {
  const counts = new Map<string, number>();
  for (const [key] of fields) counts.set(key, (counts.get(key) ?? 0) + 1);
  return fields.every(([key]) => /^[A-Za-z0-9_]+$/.test(key) && !(key in Object.prototype)) && [...counts.values()].every((n) => n <= 20);
}

describe("Twilio's webhooks, sent generated forms, signed and not", () => {
  let sms: SmsBot;
  let bot: BotFixture;
  let double: TwilioDouble;
  let caller: Person;
  const clock = new FrozenClock();
  const rejections = new RejectionWatch();
  const errors = new ErrorLog();
  const checks = { rejections, errors, url: () => bot.app.url };
  /** Call tokens seen in the calls the bot placed, oldest first. */
  const callTokens: string[] = [];

  beforeAll(async () => {
    rejections.start();
    sms = await SmsBot.start({ clock, random: seededRandom(SEED), log: errors.logger }, { agentIds: AGENT.aadObjectId });
    ({ bot, double } = sms);
    caller = new Person(bot, teamsUser(bot, 0, 'caller'), '201 555 0177');
  });
  afterAll(async () => {
    rejections.stop();
    await sms?.stop();
  });

  /** Posts a form to a webhook path, signed as `how` says; returns the status (413 expected over the size limit). */
  async function webhook(route: string, fields: Array<[string, string]>, how: Signing, real = true): Promise<number> {
    const body = new URLSearchParams(fields).toString();
    const publicUrl = `${bot.publicBaseUrl}${route}`;
    const params = paramsOf(body);
    const sign = (token: string, url: string) => twilio.getExpectedTwilioSignature(token, url, params);
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
    let sent = body;
    if (how === 'twilio') headers['x-twilio-signature'] = sign(TOKEN, publicUrl);
    else if (how === 'otherToken') headers['x-twilio-signature'] = sign('another-token', publicUrl);
    else if (how === 'otherUrl') headers['x-twilio-signature'] = sign(TOKEN, `${bot.publicBaseUrl}/api/other`);
    else if (how === 'alteredBody') {
      headers['x-twilio-signature'] = sign(TOKEN, publicUrl);
      sent = `${body}&Body=altered`;
    } else if (typeof how === 'object') {
      // A header fetch cannot send (outside Latin-1) is sent as its UTF-8 bytes read as Latin-1, as a raw client would.
      headers['x-twilio-signature'] = headerValue(how.header);
    }
    const response = await fetch(`${bot.app.url}${route}`, {
      method: 'POST',
      headers,
      body: sent,
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    await response.arrayBuffer();
    // Over the size limit, a route's form is refused before anything reads it (a made-up path may be refused first: 404, 431).
    const tooBig = Buffer.byteLength(sent) > MAX_BODY_BYTES;
    if (tooBig && real && response.status !== 413) throw new Error(`a form of ${Buffer.byteLength(sent)} bytes got ${response.status}`);
    return tooBig ? 0 : response.status;
  }

  let sids = 0;
  /** Someone texts the bot, as Twilio delivers a text; returns the TwiML answer. */
  async function text(from: string, body: string): Promise<string> {
    const fields: Array<[string, string]> = [
      ['MessageSid', `SMtext${String(++sids).padStart(28, '0')}`], // not one the fuzz sends: a repeated MessageSid is a retry, ignored
      ['AccountSid', SID],
      ['From', from],
      ['To', BOT_NUMBER],
      ['Body', body],
    ];
    const response = await fetch(`${bot.app.url}/api/sms`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilio.getExpectedTwilioSignature(TOKEN, `${bot.publicBaseUrl}/api/sms`, Object.fromEntries(fields)),
      },
      body: new URLSearchParams(fields).toString(),
    });
    return response.text();
  }

  /** The code Twilio was last asked to text to a number. */
  function textedCode(to: string): string {
    const body = double
      .messages()
      .filter((m) => m.form.To === to)
      .at(-1)?.form.Body;
    const code = /\b(\d{6})\b/.exec(body ?? '')?.[1];
    if (!code) throw new Error(`no code texted to ${to}`);
    return code;
  }

  /** Every signed webhook of plain fields is taken (200, 204); every other one is refused with 403 and changes nothing. */
  function expectSigningHonoured(status: number, how: Signing, fields: Array<[string, string]>, taken: number, sentBefore: number): void {
    if (how === 'twilio') {
      if (plainForm(fields) && status !== taken) throw new Error(`a webhook signed as Twilio signs it got ${status}`);
    } else {
      if (status !== 403) throw new Error(`a webhook signed ${JSON.stringify(how)} got ${status}, not 403`);
      if (double.requests.length !== sentBefore) throw new Error('a refused webhook made the bot text or call');
    }
  }

  it('/api/sms: no server error, no failed turn, no unhandled rejection; unsigned and forged ones change nothing; the heap stays bounded', async () => {
    const sms = fc.record({
      how: signing,
      fields: formFields({
        MessageSid: fc.oneof(
          fc.constantFrom('SM00000000000000000000000000000001', 'SM00000000000000000000000000000002'),
          fc.stringMatching(/^SM[0-9a-f]{32}$/),
        ),
        AccountSid: fc.constantFrom(SID, `AC${'0'.repeat(32)}`),
        From: fc.constantFrom(SAM, SAM, '+14255550100', '+12015550123', '+447400123456', '+15005550006', 'not a number'),
        To: fc.constantFrom(BOT_NUMBER),
        Body: anyText,
        NumMedia: fc.constantFrom('0', '1'),
      }),
    });
    await fuzz(
      'smsWebhook',
      sms,
      async ({ how, fields }) => {
        const before = double.requests.length;
        const status = await webhook('/api/sms', fields, how);
        if (status === 0) return; // over the size limit: refused before anything read it
        expectAnswered(status, 'POST /api/sms');
        expectSigningHonoured(status, how, fields, 200, before);
      },
      checks,
      { betweenRounds: () => trim(double.requests) },
    );
  });

  it('/api/voice/:token and its /status: no server error, no failed turn, no unhandled rejection; unsigned and forged ones change nothing; the heap stays bounded', async () => {
    // A call to answer: the caller's phone, by "I want to set up a different method" (the app stays for the enrollment at the end).
    const placeCall = async () => {
      await caller.say('start over');
      await caller.click('Next');
      await caller.click('I want to set up a different method');
      await caller.click('Next', { method: 'phone' });
      clock.advance(61_000); // the resend cooldown of the number
      await caller.click('Next', { country: 'US', number: caller.phone, method: 'voice' });
      const twiml = double.calls().at(-1)?.form.Twiml ?? '';
      const token = /\/api\/voice\/([^"/?&]+)/.exec(twiml)?.[1];
      if (token && !callTokens.includes(token)) callTokens.push(token);
    };
    await placeCall();
    if (callTokens.length === 0) throw new Error('no call was placed');

    const voice = fc.record({
      how: signing,
      status: fc.boolean(),
      token: fc.oneof(
        { weight: 4, arbitrary: fc.nat().map((back) => ({ back })) },
        {
          weight: 1,
          arbitrary: fc
            .oneof(
              oddString,
              hugeString,
              junk.map((j) => JSON.stringify(j) ?? ''),
            )
            .map((forged) => ({ forged: bytewise(forged) })),
        },
        {
          weight: 1,
          arbitrary: fc
            .constantFrom('%', '%zz', '%E0%A4%A', '%C0%AF', '%00', '..%2F..%2Fetc', '%2e%2e', 'a.b', '.', '..')
            .map((forged) => ({ forged })),
        },
      ),
      newCall: fc.boolean(),
      fields: formFields({
        CallSid: fc.stringMatching(/^CA[0-9a-f]{32}$/),
        AccountSid: fc.constantFrom(SID),
        Digits: fc.oneof(fc.constantFrom('#', '*', '', '0', '00', '99', '1#', '##'), fc.stringMatching(/^\d{2}$/)),
        CallStatus: fc.constantFrom('completed', 'no-answer', 'busy', 'failed', 'canceled', 'in-progress', 'ringing', 'queued'),
        From: fc.constantFrom(BOT_NUMBER),
        To: fc.constantFrom('+12015550177'),
      }),
    });
    await fuzz(
      'voiceWebhooks',
      voice,
      async ({ how, status: toStatus, token, newCall, fields }) => {
        if (newCall) await placeCall();
        const raw = 'back' in token ? callTokens[callTokens.length - 1 - (token.back % callTokens.length)]! : token.forged;
        // The number the chat shows would register the phone: the caller keeps it for the enrollment at the end.
        const shown = caller.matchNumber();
        const safe = fields.map(
          ([key, value]) => [key, key === 'Digits' && value.replace(/#/g, '') === shown ? '*' : value] as [string, string],
        );
        const before = double.requests.length;
        const route = `/api/voice/${raw}${toStatus ? '/status' : ''}`;
        const status = await webhook(route, safe, how, 'back' in token);
        if (status === 0) return; // over the size limit: refused before anything read it
        expectAnswered(status, `POST /api/voice/:token${toStatus ? '/status' : ''}`);
        // A forged token may not be a path segment at all (too long: 431; a slash: another route): only the real ones must be taken.
        if ('back' in token) expectSigningHonoured(status, how, safe, toStatus ? 204 : 200, before);
        else if (how !== 'twilio' && status < 400) throw new Error(`an unsigned webhook with a made-up token got ${status}`);
      },
      checks,
      { betweenRounds: () => trim(double.requests) },
    );
  });

  it("an agent's messages to someone who texts: no server error, no failed turn; every text the bot sends fits one segment; the heap stays bounded", async () => {
    // Megan texts for help; an agent claims her ticket in the help desk's channel and writes to her there.
    const menu = await text(MEGAN, 'menu');
    const option = /(\d+)\. I need help/.exec(menu)?.[1];
    if (!option) throw new Error(`Megan's menu:\n${menu}`);
    const before = bot.connector.received.length;
    await text(MEGAN, option);
    const post = bot.connector.received.slice(before).find((a) => a.conversation?.id === HELP_DESK_CHANNEL);
    const ticket = /HD-\d{6}-[A-Z0-9]{4}/.exec(JSON.stringify(post))?.[0];
    if (!post || !ticket) throw new Error('no ticket was posted in the help desk channel');
    expectAnswered(
      await bot.client.inChannelThread(HELP_DESK_CHANNEL, String(post.id), AGENT, { value: { action: 'claim', ticket } }),
      'a claim',
    );
    if (!double.messages().some((m) => m.form.To === MEGAN && /is with you now/.test(m.form.Body ?? '')))
      throw new Error('the claim was not texted to Megan');

    await fuzz(
      'agentTexts',
      agentText,
      async (words) => {
        const sent = double.requests.length;
        const status = await bot.client.inChannelThread(HELP_DESK_CHANNEL, String(post.id), AGENT, { text: words });
        expectAnswered(status, 'an agent message');
        const texts = double.requests.slice(sent).map((request) => request.form.Body ?? '');
        for (const body of texts) {
          if (!fitsOneSegment(body))
            throw new Error(`a text of more than one segment (${body.length} UTF-16 units): ${JSON.stringify(body).slice(0, 300)}`);
          if (/\s$/.test(body) || !body.trim())
            throw new Error(`a text that ends in blanks (paid for, never read): ${JSON.stringify(body).slice(0, 300)}`);
        }
      },
      checks,
      {
        betweenRounds: () => {
          trim(double.requests);
          trim(bot.connector.received);
        },
      },
    );
  });

  it('leaves the people able to go on as anyone does: the caller enrolls from the start to Success, Sam registers his phone by text', async () => {
    clock.advance(25 * 60 * 60_000); // past any lockout window and into a new day of sends
    await enrollsNormally(caller, clock, textedCode);
    await text(SAM, 'START');
    const menu = await text(SAM, 'menu');
    if (!menu.includes('Register this phone')) throw new Error(`Sam's menu:\n${menu}`);
    const line = menu.split('\n').find((l) => l.includes('Register this phone'))!;
    await text(SAM, /(\d+)\. Register this phone/.exec(line)![1]!);
    const registered = await text(SAM, textedCode(SAM));
    if (!registered.includes('is registered')) throw new Error(`Sam's phone was not registered:\n${registered}`);
    rejections.check();
  });
});
