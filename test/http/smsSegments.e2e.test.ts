import twilio from 'twilio';
import { toSmsMessages } from '../../src/presentation/smsText';
import { BotFixture } from '../support/botFixture';
import { FrozenClock } from '../support/clock';
import { BOT_NUMBER, TwilioDouble, twilioSettings } from '../support/twilioDouble';

const SID = `AC${'4'.repeat(32)}`;
const TOKEN = 'segments-auth-token';
const MEGAN = '+14255550101'; // on file in the sample directory
const HELP_DESK_CHANNEL = '19:helpdesk@thread.tacv2';
const AGENT = { id: '29:alex', name: 'Alex Agent', aadObjectId: 'agent-1' };

/** Whether a text is one segment as carriers count it: 160 GSM-7 characters (extension ones two), or else 70 UTF-16 units. */
function oneSegment(text: string): boolean {
  const basic = new Set(
    '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
  );
  const extended = new Set('^{}\\[~]|€');
  const characters = [...text];
  if (characters.every((ch) => basic.has(ch) || extended.has(ch))) {
    return characters.reduce((n, ch) => n + (extended.has(ch) ? 2 : 1), 0) <= 160;
  }
  return text.length <= 70;
}

describe("an agent's messages to someone who texts the bot", () => {
  let bot: BotFixture;
  let double: TwilioDouble;
  let thread = '';
  let sids = 0;

  /** Megan texts the bot, as Twilio delivers a text; returns the TwiML answer. */
  async function text(body: string): Promise<string> {
    const params = { MessageSid: `SM${String(++sids).padStart(32, '0')}`, AccountSid: SID, From: MEGAN, To: BOT_NUMBER, Body: body };
    const response = await fetch(`${bot.app.url}/api/sms`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilio.getExpectedTwilioSignature(TOKEN, `${bot.publicBaseUrl}/api/sms`, params),
      },
      body: new URLSearchParams(params).toString(),
    });
    return response.text();
  }

  /** The agent writes in the ticket's thread; returns the texts Twilio was asked to send for it. */
  async function agentWrites(words: string): Promise<string[]> {
    const before = double.messages().length;
    expect(await bot.client.inChannelThread(HELP_DESK_CHANNEL, thread, AGENT, { text: words })).toBe(200);
    return double
      .messages()
      .slice(before)
      .map((m) => m.form.Body ?? '');
  }

  beforeAll(async () => {
    double = await new TwilioDouble().start();
    bot = await BotFixture.start(
      (connectorUrl) => ({
        ...twilioSettings({ sid: SID, token: TOKEN }, double.url),
        HELPDESK_CHANNEL_ID: HELP_DESK_CHANNEL,
        HELPDESK_SERVICE_URL: connectorUrl,
        HELPDESK_AGENT_IDS: AGENT.aadObjectId,
      }),
      { clock: new FrozenClock(Date.now()) },
      { publicUrl: true },
    );
    // Megan asks for help by text; an agent claims her ticket in the help desk's channel.
    const option = /(\d+)\. I need help/.exec(await text('menu'))?.[1];
    const before = bot.connector.received.length;
    await text(option ?? 'menu');
    const post = bot.connector.received.slice(before).find((a) => a.conversation?.id === HELP_DESK_CHANNEL);
    const ticket = /HD-\d{6}-[A-Z0-9]{4}/.exec(JSON.stringify(post))?.[0];
    thread = String(post?.id);
    await bot.client.inChannelThread(HELP_DESK_CHANNEL, thread, AGENT, { value: { action: 'claim', ticket } });
    expect(double.messages().at(-1)?.form).toMatchObject({ To: MEGAN, Body: expect.stringContaining('is with you now') });
  });
  afterAll(async () => {
    await bot?.stop();
    await double?.stop();
  });

  it('arrive in texts of one segment each when a word is longer than a segment: a long link is cut where a segment ends, whole when read in order', async () => {
    const link = `https://contoso.sharepoint.com/sites/it/Shared%20Documents/${'reset-guide-'.repeat(15)}final.pdf`;
    const texts = await agentWrites(`Please read ${link} and tell me`);
    expect(texts.length).toBeGreaterThan(1);
    for (const sent of texts) expect(oneSegment(sent)).toBe(true);
    expect(texts.join('').replace(/\s/g, '')).toContain(link);
  });

  it('arrive in texts of one segment each in a script without spaces and in emoji, an emoji counting two UTF-16 units as carriers count it', async () => {
    const chinese =
      '请打开微软身份验证器应用并扫描二维码然后输入应用显示的六位数代码如果您需要帮助请随时回复这条消息我们的服务台会尽快与您联系';
    const emoji = '👍'.repeat(50);
    for (const words of [chinese, emoji, `Done ${emoji} thanks`]) {
      const texts = await agentWrites(words);
      for (const sent of texts) expect(oneSegment(sent)).toBe(true);
      expect(texts.join('')).toContain(words.replace('Done ', '').replace(' thanks', ''));
    }
  });

  it('arrive without a text of blanks or one that ends in them, whatever runs of spaces, tabs or line ends they hold', async () => {
    const texts = await agentWrites(`ok${' '.repeat(300)}then\r\n${'\t'.repeat(200)}call us\r\n\r\n${'\u000b'.repeat(100)} back`);
    expect(texts.length).toBeGreaterThan(0);
    for (const sent of texts) {
      expect(oneSegment(sent)).toBe(true);
      expect(sent).toBe(sent.trimEnd());
      expect(sent.trim()).not.toBe('');
    }
    expect(texts.join(' ').split(/\s+/)).toEqual(['Help', 'desk', '(Alex', 'Agent):', 'ok', 'then', 'call', 'us', 'back']);
  });

  it('are cut into texts in time proportional to their length, however many blanks they hold', () => {
    // A pattern for the blanks at line ends backtracked over every run of spaces: 120,000 of them took about 12 s.
    const started = performance.now();
    const texts = toSmsMessages(`Help desk (Alex Agent): ${' '.repeat(120_000)}done\n${'\t'.repeat(120_000)}x`);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(texts.join(' ').split(/\s+/)).toEqual(['Help', 'desk', '(Alex', 'Agent):', 'done', 'x']);
  });
});
