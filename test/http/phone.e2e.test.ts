import path from 'node:path';
import { Writable } from 'node:stream';
import twilio from 'twilio';
import { createLogger } from '../../src/kit/log';
import { SqliteStore } from '../../src/storage/sqliteStore';
import { cryptoRandom, systemClock } from '../../src/verification/ports';
import { appCodeFor } from '../support/authenticatorApp';
import { type BotClient, TEAMS_USER } from '../support/botClient';
import { BotFixture } from '../support/botFixture';
import { cardOf, cardText, imageOf, matchNumberIn } from '../support/cards';
import { FrozenClock } from '../support/clock';
import { callTokenOf, lastCall } from '../support/outbox';
import { decodeQrDataUri } from '../support/qr';
import { TwilioDouble, twilioSettings } from '../support/twilioDouble';

const SID = `AC${'2'.repeat(32)}`;
const TOKEN = 'e2e-auth-token';

/** Walks a new Teams user through the app step, to the Phone card. */
async function toPhoneStep(client: BotClient, now = Date.now()) {
  await client.open();
  await client.click('Next');
  await client.click('Next');
  await client.click('Next');
  const uri = decodeQrDataUri(String(imageOf(client.lastCard())?.url));
  await client.click('Next', { code: appCodeFor(uri, now) });
}

async function profileOf(dataDir: string) {
  const store = new SqliteStore(path.join(dataDir, 'security-info.sqlite'), systemClock, cryptoRandom);
  const doc = await store.get<{ profile: { methods: Array<{ kind: string }>; pendingPhone?: unknown } }>(
    'state',
    `aad:${TEAMS_USER.aadObjectId}`,
  );
  await store.close();
  return doc?.value.profile;
}

describe('"Call me" with Twilio configured (the real SDK against a local double)', () => {
  let bot: BotFixture;
  let double: TwilioDouble;
  let client: BotClient;
  let publicBaseUrl: string;
  const clock = new FrozenClock(Date.now());
  const logged: string[] = [];

  beforeAll(async () => {
    double = await new TwilioDouble().start();
    const sink = new Writable({
      write(chunk, _encoding, done) {
        logged.push(String(chunk));
        done();
      },
    });
    bot = await BotFixture.start(
      twilioSettings({ sid: SID, token: TOKEN }, double.url),
      { clock, log: createLogger('warn', sink) },
      { publicUrl: true },
    );
    ({ client, publicBaseUrl } = bot);
    await toPhoneStep(client, clock.now());
  });
  afterAll(async () => {
    await bot.stop();
    await double.stop();
  });

  /** Posts a webhook as Twilio does: form-encoded, signed for `signedUrl`. */
  const webhook = (url: string, params: Record<string, string>, signedUrl = url, token = TOKEN) =>
    fetch(url.replace(publicBaseUrl, bot.app.url), {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilio.getExpectedTwilioSignature(token, signedUrl, params),
      },
      body: new URLSearchParams(params).toString(),
    });

  let gatherUrl = '';
  let statusUrl = '';

  it('places the call through Twilio with a Gather whose action is our public webhook', async () => {
    const [calling] = await client.click('Next', { country: 'US', number: '201 555 0123', method: 'voice' });
    expect(cardText(cardOf(calling))).toContain("We're calling +1 ••• ••• 0123 now.");
    const [call] = double.calls();
    expect(call!.form).toMatchObject({ To: '+12015550123', From: '+14255550199' });
    gatherUrl = /action="([^"]+)"/.exec(call!.form.Twiml!)![1]!.replace(/&amp;/g, '&');
    statusUrl = call!.form.StatusCallback!;
    expect(gatherUrl.startsWith(`${publicBaseUrl}/api/voice/`)).toBe(true);
    expect(statusUrl).toBe(`${gatherUrl}/status`);
  });

  it('refuses webhooks that are unsigned, signed with another token, or signed for another URL: 403, nothing changes', async () => {
    const params = { CallSid: 'CA1', Digits: '#' };
    const unsigned = await fetch(gatherUrl.replace(publicBaseUrl, bot.app.url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(params).toString(),
    });
    expect(unsigned.status).toBe(403);
    expect((await webhook(gatherUrl, params, gatherUrl, 'another-token')).status).toBe(403);
    expect((await webhook(gatherUrl, params, `${publicBaseUrl}/api/voice/other`)).status).toBe(403);
    expect((await webhook(gatherUrl, { ...params, Digits: '1' }, gatherUrl)).status).toBe(200); // sanity: a signed wrong key is heard...
    const flood = await Promise.all(Array.from({ length: 25 }, () => webhook(gatherUrl, params, `${gatherUrl}?x=1`)));
    expect(flood.map((r) => r.status)).toEqual(Array(25).fill(403));
    const profile = await profileOf(bot.dataDir);
    expect(profile?.methods.map((m) => m.kind)).toEqual(['authenticatorApp']); // ...and nothing registered the phone
    // The refusals were logged, but never the call's token (it is in the URL).
    const token = decodeURIComponent(gatherUrl.split('/api/voice/')[1]!);
    expect(logged.join('')).toContain('voice webhook without a valid Twilio signature refused');
    expect(logged.join('')).not.toContain(token.split('.')[1]!);
  });

  it('the end of that call tells nothing new; the number the chat shows, entered on a new call, registers the phone, and the chat moves on by itself', async () => {
    const before = bot.connector.received.length;
    expect((await webhook(statusUrl, { CallSid: 'CA1', CallStatus: 'completed' })).status).toBe(204);
    expect(bot.connector.received.length).toBe(before); // the wrong key was already told when it was pressed

    clock.advance(61_000);
    const again = await client.click('Call me again');
    const match = matchNumberIn(cardOf(again.find((a) => cardOf(a))));
    const second = double.calls()[1]!;
    const secondGather = /action="([^"]+)"/.exec(second.form.Twiml!)![1]!;
    expect(secondGather).not.toBe(gatherUrl);
    // The first call's URL is dead: its token was replaced.
    expect(await (await webhook(gatherUrl, { CallSid: 'CA1', Digits: '#' })).text()).toContain('no longer valid');

    const mark = bot.connector.received.length;
    const response = await webhook(secondGather, { CallSid: 'CA2', Digits: match });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/xml');
    expect(await response.text()).toContain('<Say language="en-US">Thank you. Your phone is verified. You can hang up now.</Say><Hangup/>');
    expect(cardText(cardOf(bot.connector.received.slice(mark)[0]))).toContain('Call answered');
    expect((await profileOf(bot.dataDir))?.methods.map((m) => m.kind)).toEqual(['authenticatorApp', 'phone']);

    // Twilio's "completed" after the # changes nothing and wakes no one.
    const end = bot.connector.received.length;
    expect((await webhook(`${secondGather}/status`, { CallSid: 'CA2', CallStatus: 'completed' })).status).toBe(204);
    expect(bot.connector.received.length).toBe(end);
  });
});

describe('"Call me" in dev outbox mode', () => {
  let bot: BotFixture;

  beforeAll(async () => {
    bot = await BotFixture.start();
    await toPhoneStep(bot.client);
  });
  afterAll(() => bot.stop());

  it('the documented dev route answers the call; the proactive "Call answered" reaches the chat', async () => {
    const calling = await bot.client.click('Next', { country: 'US', number: '201 555 0123', method: 'voice' });
    const call = lastCall(bot.outbox);
    const token = callTokenOf(call);
    // Without Twilio there is no signature to check: the real webhooks refuse everything.
    const forged = await fetch(`${bot.app.url}/api/voice/${encodeURIComponent(token)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'x' },
      body: 'Digits=%23',
    });
    expect(forged.status).toBe(403);

    const before = bot.connector.received.length;
    const answered = await fetch(call.answerUrl!.replace(/^http:\/\/localhost:\d+/, bot.app.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ digits: matchNumberIn(cardOf(calling.find((a) => cardOf(a)))) }),
    });
    expect(await answered.json()).toEqual({ outcome: 'verified' });
    const proactive = bot.connector.received.slice(before);
    expect(cardText(cardOf(proactive[0]))).toContain('Call answered');
    expect(proactive[0]!.conversation?.id).toBe(`a:personal-${TEAMS_USER.id}`);

    const [success] = await bot.client.click('Next');
    expect(cardText(cardOf(success))).toContain('Success!');
  });
});
