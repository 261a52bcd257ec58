import fs from 'node:fs';
import path from 'node:path';
import type { Activity } from 'botbuilder';
import { appCodeFor } from '../support/authenticatorApp';
import { type BotClient, TEAMS_USER } from '../support/botClient';
import { BotFixture } from '../support/botFixture';
import { cardOf, cardText, imageOf, saidIn } from '../support/cards';
import { lastTextedCode } from '../support/outbox';
import { decodeQrDataUri } from '../support/qr';

describe('the bot over HTTP, as Teams reaches it', () => {
  let bot: BotFixture;
  let client: BotClient;

  beforeAll(async () => {
    bot = await BotFixture.start({ ORG_NAME: 'Contoso' });
    bot.connector.addMember({ ...TEAMS_USER, userPrincipalName: 'adele.vance@contoso.com' });
    client = bot.client;
  });
  afterAll(() => bot.stop());

  let secret = '';
  const send = (extra: Partial<Activity>) => client.send(extra);
  const click = (title: string, inputs: Record<string, string> = {}) => client.click(title, inputs);
  const post = (body: unknown, contentType?: string) => client.post(body, contentType);

  it('runs the whole wizard: the app from the QR code pixels (across a restart, QR removed afterwards), then the phone by text', async () => {
    const [welcome] = await send({ type: 'conversationUpdate', membersAdded: [{ id: '28:bot', name: 'Security info' }] });
    expect(cardText(cardOf(welcome))).toContain('More information required');
    // The UPN comes from the Teams roster, not the display name.
    expect(cardText(cardOf(welcome))).toContain('adele.vance@contoso.com');

    await click('Next');
    await click('Next');
    const [qrActivity] = await click('Next');
    const uri = decodeQrDataUri(String(imageOf(cardOf(qrActivity))?.url));
    secret = new URL(uri).searchParams.get('secret')!;
    expect(decodeURIComponent(new URL(uri).pathname)).toBe('/Contoso:adele.vance@contoso.com');

    // The bot restarts between the QR code and the code: nothing is lost.
    await bot.restart();

    const replies = await click('Next', { code: appCodeFor(uri, Date.now()) });
    expect(saidIn(replies)).toContain('Your code was accepted: Microsoft Authenticator is registered.');
    expect(cardText(cardOf(replies.at(-1)))).toContain('What phone number would you like to use?');

    const update = bot.connector.updates.find((u) => u.id === qrActivity!.id);
    expect(cardText(cardOf(update))).toContain('is registered');
    expect(JSON.stringify(update)).not.toContain(secret);

    // The phone step, with the code read from the dev outbox as a person trying the bot would.
    const [enterCode] = await click('Next', { country: 'US', number: '201-555-0123', method: 'sms' });
    expect(cardText(cardOf(enterCode))).toContain('+1 ••• ••• 0123');
    await click('Next', { code: lastTextedCode(bot.outbox) });
    const [success] = await click('Next');
    expect(cardText(cardOf(success))).toContain('Success!');

    const done = await click('Done');
    expect(saidIn(done)).toContain(
      'You are all set. Your security info is up to date: you can close this chat, or say "security info" to see it.',
    );
    const summary = await send({ text: 'hello' });
    expect(cardText(cardOf(summary[0]))).toContain('Your security info is set up');
  });

  it('keeps the secret out of the database file', async () => {
    const files = fs.readdirSync(bot.dataDir).filter((f) => f.startsWith('security-info.sqlite'));
    const bytes = files.map((f) => fs.readFileSync(path.join(bot.dataDir, f)).toString('latin1')).join('');
    expect(bytes).toContain('sealedSecret');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(bytes).not.toContain(secret);
    expect(bytes).not.toMatch(/otpauth:/);
  });

  it.each([
    ['malformed JSON', 400, '{"type": "message",', 'application/json'],
    ['an array', 400, '[1,2,3]', 'application/json'],
    [
      'an activity without a type',
      400,
      JSON.stringify({ channelId: 'msteams', from: { id: 'x' }, conversation: { id: 'y' } }),
      'application/json',
    ],
    ['a form body (messages take JSON only)', 415, 'type=message', 'application/x-www-form-urlencoded'],
    ['an unknown content type', 415, 'hello', 'text/plain'],
    ['an oversized body', 413, JSON.stringify({ type: 'message', text: 'x'.repeat(300 * 1024) }), 'application/json'],
  ])('refuses %s with %i, and the process stays up', async (_what, status, body, contentType) => {
    expect(await post(body, contentType)).toBe(status);
    expect((await fetch(`${bot.app.url}/healthz`)).status).toBe(200);
  });
});
