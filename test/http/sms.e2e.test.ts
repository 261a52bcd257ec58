import { smsLength } from '../../src/presentation/smsText';
import { appCodeFor } from '../support/authenticatorApp';
import { BotClient, TEAMS_USER } from '../support/botClient';
import { BotFixture } from '../support/botFixture';
import { cardOf, cardText, imageOf } from '../support/cards';
import { FrozenClock } from '../support/clock';
import { decodeQrDataUri } from '../support/qr';
import { HELP_DESK_CHANNEL, numberOf, SAM, SmsBot } from '../support/smsBot';
import { BOT_NUMBER, type TwilioDouble } from '../support/twilioDouble';

const ADELE_PHONE = '+12015550123';

describe('the assistant by SMS (Twilio webhook, the real SDK against a local double)', () => {
  let sms: SmsBot;
  let bot: BotFixture;
  let double: TwilioDouble;
  const clock = new FrozenClock(Date.now());

  beforeAll(async () => {
    sms = await SmsBot.start({ clock });
    ({ bot, double } = sms);
  });
  afterAll(() => sms.stop());

  const text = (...args: Parameters<SmsBot['text']>) => sms.text(...args);
  const textedCode = (to: string) => sms.textedCode(to);

  it('answers an unknown number with one neutral reply that says nothing of any account', async () => {
    const stranger = await text('+12015550177', 'hello');
    const another = await text('+447400123456', 'menu');
    expect(stranger.status).toBe(200);
    expect(stranger.messages).toHaveLength(1);
    expect(stranger.all).toContain('contact the help desk: +1 425 555 0111');
    expect(another.messages).toEqual(stranger.messages);
    expect(stranger.all).not.toMatch(/not found|no account|unknown/i);
  });

  it('refuses unsigned, wrongly signed and malformed webhooks: nothing happens', async () => {
    const unsigned = await fetch(`${bot.app.url}/api/sms`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ From: SAM.phone, To: BOT_NUMBER, Body: 'menu', MessageSid: 'SM1' }).toString(),
    });
    expect(unsigned.status).toBe(403);
    expect((await text(SAM.phone, 'menu', { token: 'another-token' })).status).toBe(403);
    expect((await text(SAM.phone, 'menu', { signedFor: `${bot.publicBaseUrl}/api/other` })).status).toBe(403);
    expect(double.messages()).toHaveLength(0);
  });

  it('registers the phone it is texted from, by a code texted to it, in one-segment replies', async () => {
    const menu = await text(SAM.phone, 'hi');
    expect(menu.all).toBe(
      [
        'Contoso security info',
        'Reply with a number:',
        '1. Register this phone',
        '2. Set up an authenticator app',
        '3. See my security info',
        '4. Done',
        '5. I need help',
      ].join('\n'),
    );
    const sent = await text(SAM.phone, '1');
    expect(sent.all).toBe(
      [
        'We texted a 6-digit code to +1 *** *** 0142. Reply with it.',
        '1. Send',
        '2. Resend code',
        '3. Back to the menu',
        '4. I need help',
      ].join('\n'),
    );
    expect(sent.messages).toHaveLength(1);
    expect(double.messages().at(-1)?.form).toMatchObject({ To: SAM.phone, From: BOT_NUMBER });

    expect((await text(SAM.phone, '000000')).all).toContain("That code didn't work");
    const registered = await text(SAM.phone, textedCode(SAM.phone));
    expect(registered.all).toContain('Your phone +1 *** *** 0142 is registered.');
    expect(registered.all).not.toContain('Register this phone');

    for (const message of [...menu.messages, ...sent.messages, ...registered.messages]) {
      expect(smsLength(message)).toEqual({ length: message.length, segment: 160 }); // GSM-7: bullets became *
      expect(message.length).toBeLessThanOrEqual(160);
    }
  });

  it('never sets up an authenticator app by text: it says where to do it', async () => {
    const menu = await text(SAM.phone, 'menu');
    const option = numberOf(menu.all, 'Set up an authenticator app');
    const reply = await text(SAM.phone, option);
    expect(reply.all).toContain('its key must never travel by text');
    expect(reply.all).toContain('open Microsoft Teams');
    expect(
      double
        .messages()
        .map((m) => m.form.Body)
        .join('\n'),
    ).not.toMatch(/otpauth|secret/i);
  });

  it('keeps the conversation by number across a restart, and Teams then shows the same security info', async () => {
    await bot.restart();
    const menu = await text(SAM.phone, 'menu');
    expect(menu.all).not.toContain('Register this phone');
    const info = await text(SAM.phone, numberOf(menu.all, 'See my security info'));
    expect(info.all).toContain('Phone: +1 *** *** 0142');

    const samInTeams = { id: '29:sam', name: 'Sam Student', aadObjectId: '0c2b7f3e-1111-4c0e-9b4a-6a1d2e3f4a5b' };
    bot.connector.addMember({ ...samInTeams, userPrincipalName: SAM.upn });
    const teams = new BotClient(bot.app.url, bot.connector, samInTeams);
    await teams.send({ text: 'security info' });
    expect(cardText(teams.lastCard())).toContain('+1 ••• ••• 0142');

    // And texts still reach the same person, now kept under their Teams identity.
    const again = await text(SAM.phone, 'menu');
    expect(again.all).not.toContain('Register this phone');
  });

  it('STOP opts the number out of every text, codes included, until START', async () => {
    const stop = await text(SAM.phone, 'STOP');
    expect(stop.all).toContain("You're unsubscribed");
    expect((await text(SAM.phone, 'menu')).messages).toEqual([]);
    const before = double.messages().length;
    expect((await text(SAM.phone, 'HELP')).all).toContain('Help desk: +1 425 555 0111');
    expect(double.messages()).toHaveLength(before);
    const start = await text(SAM.phone, 'start');
    expect(start.all).toContain('subscribed');
    expect((await text(SAM.phone, 'menu')).all).toContain('Reply with a number:');
  });

  it('a lost authenticator app reported by text opens a help-desk ticket and removes nothing: texts and answers are weaker than the app', async () => {
    // Adele set up an app, a phone and security questions in Teams.
    bot.connector.addMember({ ...TEAMS_USER, userPrincipalName: 'adele.vance@contoso.com' });
    const teams = new BotClient(bot.app.url, bot.connector);
    await teams.open();
    await teams.click('Next');
    await teams.click('Next');
    await teams.click('Next');
    const uri = decodeQrDataUri(String(imageOf(teams.lastCard())?.url));
    await teams.click('Next', { code: appCodeFor(uri, clock.now()) });
    await teams.click('Next', { country: 'US', number: '201 555 0123', method: 'sms' });
    await teams.click('Next', { code: textedCode(ADELE_PHONE) });
    await teams.send({ text: 'security info' });
    await teams.click('Add sign-in method');
    await teams.click('Next', { method: 'securityQuestions' });
    await teams.click('Done', { question1: 'q13', answer1: 'Rex', question2: 'q15', answer2: 'Lyon', question3: 'q3', answer3: 'Fiesta' });
    clock.advance(30 * 60_000);

    // Someone texting from the number the directory has for her (a sender anyone can forge) tries to register it: a proof first.
    const outboxBefore = double.messages().length;
    const fromDirectory = await text('+14255550100', 'menu');
    const asked = await text('+14255550100', numberOf(fromDirectory.all, 'Register this phone'));
    expect(asked.all).toContain("Before your security info changes, prove it's you.");
    expect(asked.all).toContain('A code from Microsoft Authenticator');
    expect(
      double
        .messages()
        .slice(outboxBefore)
        .some((m) => m.form.To === '+14255550100'),
    ).toBe(false);

    // Someone texting from her number (the sender of a text can be forged) says the app is lost.
    const menu = await text(ADELE_PHONE, 'menu');
    const lost = await text(ADELE_PHONE, numberOf(menu.all, 'I lost my authenticator app'));
    expect(lost.all).toContain('A lost authenticator app is replaced with the help desk');
    const ticket = /HD-\d{6}-[A-Z0-9]{4}/.exec(lost.all)?.[0];
    expect(lost.all).toContain(`I opened help-desk ticket ${ticket} for you.`);
    expect(lost.all).not.toMatch(/Question 1|Reply with it/);
    const post = bot.connector.received.find((a) => a.conversation?.id === HELP_DESK_CHANNEL && JSON.stringify(a).includes(String(ticket)));
    expect(JSON.stringify(post)).toContain('Adele Vance');

    // Nothing changed: Teams still shows the app.
    await teams.send({ text: 'security info' });
    expect(cardText(cardOf(bot.connector.received.filter((a) => a.conversation?.id !== HELP_DESK_CHANNEL).at(-1)))).toContain(
      'Microsoft Authenticator',
    );
  });

  it("reaches the help desk by text: a ticket, and the agent's messages arrive as texts", async () => {
    const menu = await text(SAM.phone, 'menu');
    const option = numberOf(menu.all, 'I need help');
    const opened = await text(SAM.phone, option);
    const ticket = /HD-\d{6}-[A-Z0-9]{4}/.exec(opened.all)?.[0];
    expect(opened.all).toContain(`I opened help-desk ticket ${ticket} for you.`);
    const post = bot.connector.received.find((a) => a.conversation?.id === HELP_DESK_CHANNEL && JSON.stringify(a).includes(String(ticket)));
    expect(JSON.stringify(post)).toContain('Sam Student');

    const agent = { id: '29:alex', name: 'Alex Agent', aadObjectId: 'agent-1' };
    await bot.client.inChannelThread(HELP_DESK_CHANNEL, String(post!.id), agent, { value: { action: 'claim', ticket } });
    expect(double.messages().at(-1)?.form).toMatchObject({
      To: SAM.phone,
      Body: expect.stringContaining('Alex Agent from the help desk is with you now'),
    });
    await text(SAM.phone, 'My app is gone');
    expect(bot.connector.received.at(-1)?.text).toBe('**Sam Student (by text: the sender of a text can be forged):** My app is gone');
    expect((await text(SAM.phone, 'end chat')).all).toContain("you're back with me");
  });

  it('answers a flood from one number with one warning, then silence, and texts nothing out', async () => {
    const flooder = '+12015550188';
    const texted = double.messages().length;
    const replies = [];
    for (let i = 0; i < 25; i++) replies.push(await text(flooder, `hello ${i}`));
    // An unknown number: the neutral reply once a day, then nothing; over the limit, one warning.
    expect(replies[0]!.all).toContain('helps by text only from phones registered to an account');
    expect(replies.slice(1, 20).map((r) => r.messages)).toEqual(Array(19).fill([]));
    expect(replies[20]!.all).toContain('Too many messages');
    expect(replies.slice(21).map((r) => r.messages)).toEqual(Array(4).fill([]));
    expect(double.messages()).toHaveLength(texted);
  });

  it('takes a webhook delivered twice (same MessageSid) once, a replay after midnight too', async () => {
    const sid = 'SM-replayed-once';
    const first = await text(SAM.phone, 'menu', { sid });
    expect(first.all).toContain('Reply with a number:');
    expect((await text(SAM.phone, 'menu', { sid })).messages).toEqual([]);
    const day = 24 * 60 * 60_000;
    clock.set((Math.floor(clock.now() / day) + 1) * day + 60_000);
    expect((await text(SAM.phone, 'menu', { sid })).messages).toEqual([]);
  });
});

describe("Azure Bot Service's SMS channel on /api/messages", () => {
  let bot: BotFixture;
  beforeAll(async () => {
    bot = await BotFixture.start();
  });
  afterAll(() => bot.stop());

  const sms = (from: string, text: string) =>
    bot.client.send({
      channelId: 'sms',
      from: { id: from, name: from },
      recipient: { id: BOT_NUMBER, name: BOT_NUMBER },
      conversation: { id: from, isGroup: false, conversationType: 'personal', name: '' },
      channelData: undefined,
      text,
    });

  it('runs the same gate and text dialogs: plain text replies, no cards', async () => {
    const [menu] = await sms(SAM.phone, 'hello');
    expect(menu?.attachments ?? []).toEqual([]);
    expect(menu?.text).toContain('1. Register this phone');
    const [stranger] = await sms('+12015550177', 'hello');
    expect(stranger?.text).toContain('helps by text only from phones registered to an account');
    const [stopped] = await sms(SAM.phone, 'stop');
    expect(stopped?.text).toContain("You're unsubscribed");
    expect(await sms(SAM.phone, 'menu')).toEqual([]);
  });
});
