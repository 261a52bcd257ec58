import fs from 'node:fs';
import type http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { Activity } from 'botbuilder';
import { TicketBook } from '../../src/helpdesk/tickets';
import { SqliteStore, sqliteFileIn } from '../../src/storage/sqliteStore';
import { cryptoRandom } from '../../src/verification/ports';
import { appCodeFor } from '../support/authenticatorApp';
import { type BotClient, TEAMS_USER } from '../support/botClient';
import { BotFixture } from '../support/botFixture';
import { cardOf, cardText, fact, imageOf, saidIn } from '../support/cards';
import { FrozenClock } from '../support/clock';
import { LoopbackServer } from '../support/loopback';
import { decodeQrDataUri } from '../support/qr';

const CHANNEL = '19:helpdesk@thread.tacv2';
const AGENT = { id: '29:alex', name: 'Alex Agent', aadObjectId: 'agent-object-id-1' };
const OTHER_AGENT = { id: '29:bo', name: 'Bo Agent', aadObjectId: 'agent-object-id-2' };
const STRANGER = { id: '29:eve', name: 'Eve Else', aadObjectId: 'not-an-agent' };
const KEY = 'an-admin-key-for-the-tests-0123456789';
const WRONG_CODE = '135790';

/** Where the help-desk webhook posts land. */
class WebhookSink extends LoopbackServer {
  readonly posts: Array<{ type: string; ticket: Record<string, unknown> }> = [];

  protected handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      this.posts.push(JSON.parse(body));
      res.statusCode = 204;
      res.end();
    });
  }
}

describe('help desk: from a lockout to an agent, a Temporary Access Pass and a new enrollment', () => {
  let bot: BotFixture;
  let webhook: WebhookSink;
  let adele: BotClient;
  let policyDir: string;
  const clock = new FrozenClock(Date.now());
  let secret = '';
  let ticketId = '';

  /** What the connector received in one conversation (the help-desk channel, a thread, Adele's chat). */
  const inConversation = (id: string | ((id: string) => boolean)) =>
    bot.connector.received.filter((a) => (typeof id === 'string' ? a.conversation?.id === id : id(a.conversation?.id ?? '')));
  const adeleChat = () => inConversation(`a:personal-${TEAMS_USER.id}`);
  const thread = () => inConversation((id) => id.startsWith(`${CHANNEL};messageid=`));

  /** An agent (or anyone) in the help-desk channel, as Teams delivers it. */
  const inChannel = (from: typeof AGENT, extra: Partial<Activity>, rootId: string) =>
    bot.client.inChannelThread(CHANNEL, rootId, from, extra);
  let rootId = '';
  const click = (from: typeof AGENT, action: string, inputs: Record<string, string> = {}) =>
    inChannel(from, { value: { action, ticket: ticketId, ...inputs } }, rootId);

  beforeAll(async () => {
    webhook = await new WebhookSink().start();
    policyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-'));
    // The shipped example, with verification locking after 3 failures instead of 10.
    const example = fs.readFileSync(path.join(__dirname, '..', '..', 'policy.example.yaml'), 'utf8');
    fs.writeFileSync(path.join(policyDir, 'policy.yaml'), example.replace(/lockoutThreshold: 10\b/, 'lockoutThreshold: 3'));
    bot = await BotFixture.start(
      (connectorUrl) => ({
        HELPDESK_CHANNEL_ID: CHANNEL,
        HELPDESK_SERVICE_URL: connectorUrl,
        HELPDESK_AGENT_IDS: `someone-else, ${AGENT.aadObjectId}`,
        HELPDESK_WEBHOOK_URL: webhook.url,
        HELPDESK_REPOST_MINUTES: '15',
        POLICY_FILE: path.join(policyDir, 'policy.yaml'),
        ADMIN_API_KEY: KEY,
      }),
      { clock },
    );
    bot.connector.addMember({ ...TEAMS_USER, userPrincipalName: 'adele.vance@contoso.com' });
    adele = bot.client;
  });
  afterAll(async () => {
    await bot.stop();
    await webhook.stop();
    fs.rmSync(policyDir, { recursive: true, force: true });
  });

  it('a person stuck on wrong codes is locked out, and a ticket opens by itself: channel card, handoff event, webhook', async () => {
    await adele.open();
    await adele.click('Next');
    await adele.click('Next');
    await adele.click('Next');
    secret = new URL(decodeQrDataUri(String(imageOf(adele.lastCard())?.url))).searchParams.get('secret')!;
    await adele.click('Next', { code: WRONG_CODE });
    await adele.click('Next', { code: WRONG_CODE });
    const replies = await adele.click('Next', { code: WRONG_CODE });
    const told = replies.map((r) => r.text ?? '').join('\n');
    expect(told).toMatch(/Verification is locked on your account, so I opened help-desk ticket (HD-\d{6}-[A-Z0-9]{4})/);
    ticketId = /HD-\d{6}-[A-Z0-9]{4}/.exec(told)![0];
    expect(told).toContain('A help-desk agent will write to you here.');

    const [post] = inConversation(CHANNEL);
    const card = cardText(cardOf(post));
    expect(card).toContain(`Ticket ${ticketId} · open`);
    expect(fact(cardOf(post), 'Person')).toBe('Adele Vance (adele.vance@contoso.com)');
    expect(fact(cardOf(post), 'Reason')).toBe('Locked out after failed verifications');
    expect(fact(cardOf(post), 'Policy')).toBe('Sign-in: not met · Password reset: not met · locked');
    expect(card).toMatch(/Bot: \[scanQrCode\][\s\S]*Person: \[verify\][\s\S]*didn't work/);
    rootId = String(post!.id);

    const handoff = adeleChat().find((a) => a.type === 'event' && a.name === 'handoff.initiate');
    expect(handoff?.value).toMatchObject({ ticketId, reason: 'locked' });
    const transcript = handoff?.attachments?.[0]?.content as { activities: Array<{ text: string }> };
    expect(transcript.activities.map((a) => a.text)).toContain('[verify]');

    expect(webhook.posts.map((p) => p.type)).toEqual(['ticket.opened']);
    expect(webhook.posts[0]!.ticket).toMatchObject({ id: ticketId, state: 'open', reason: 'locked', upn: 'adele.vance@contoso.com' });
    // No secret, code or full number anywhere the help desk sees.
    for (const seen of [JSON.stringify(post), JSON.stringify(handoff), JSON.stringify(webhook.posts)]) {
      expect(seen).not.toContain(secret);
      expect(seen).not.toContain(WRONG_CODE);
    }
  });

  it('asking again points to the open ticket instead of opening another', async () => {
    const replies = await adele.send({ text: 'help desk' });
    expect(saidIn(replies).join('\n')).toContain(`Your help-desk ticket ${ticketId} is open already.`);
    expect(webhook.posts).toHaveLength(1);
  });

  it('refuses (and logs) clicks and messages from someone who is not an agent', async () => {
    const before = adeleChat().length;
    expect(await click(STRANGER, 'claim')).toBe(200);
    expect(bot.connector.received.at(-1)?.text).toBe('Only help-desk agents can act on tickets.');
    await click(STRANGER, 'issuePass', { lifetimeMinutes: '60', singleUse: 'true' });
    expect(bot.connector.received.at(-1)?.text).toBe('Only help-desk agents can act on tickets.');
    expect(adeleChat()).toHaveLength(before);
    expect(webhook.posts).toHaveLength(1);
  });

  it('an agent claims the ticket: the card changes, the person is told, and messages are relayed both ways', async () => {
    await click(AGENT, 'claim');
    expect(adeleChat().at(-1)?.text).toContain(`Alex Agent from the help desk is with you now (ticket ${ticketId})`);
    expect(cardText(cardOf(bot.connector.updates.at(-1)))).toContain(`Ticket ${ticketId} · claimed`);
    await click(AGENT, 'claim');
    expect(bot.connector.received.at(-1)?.text).toContain('was claimed by Alex Agent already');

    const replies = await adele.send({ text: 'I lost my phone with the app on it' });
    expect(replies.filter((r) => r.conversation?.id === `a:personal-${TEAMS_USER.id}`)).toEqual([]); // the bot stays out of it
    expect(thread().at(-1)?.text).toBe('**Adele Vance:** I lost my phone with the app on it');

    await inChannel(
      AGENT,
      {
        text: '<at>Security info</at> Hi Adele, I will call you on the number we have on file.',
        entities: [{ type: 'mention', mentioned: { id: '28:bot', name: 'Security info' }, text: '<at>Security info</at>' }],
      },
      rootId,
    );
    expect(adeleChat().at(-1)?.text).toBe('Help desk (Alex Agent): Hi Adele, I will call you on the number we have on file.');

    // A code typed into the chat never reaches the channel.
    const code = await adele.send({ text: '482 913' });
    expect(saidIn(code).join('\n')).toContain('That looks like a code or a pass, so I did not pass it on');
    expect(JSON.stringify(thread())).not.toContain('482 913');
  });

  let pass = '';
  it('an agent issues a Temporary Access Pass: shown once to the agent alone, never in the channel or the chat, stored only hashed', async () => {
    await click(AGENT, 'issuePass', { lifetimeMinutes: '60', singleUse: 'true' });
    const [privateChat] = bot.connector.created;
    expect(privateChat?.members.map((m) => m.id)).toEqual([AGENT.id]);
    expect(thread().at(-1)?.text).toBe('Alex Agent issued a Temporary Access Pass for Adele Vance; it is in your private chat with me.');
    const shown = inConversation(privateChat!.id).at(-1)?.text ?? '';
    expect(shown).toMatch(
      /Temporary Access Pass for Adele Vance \(ticket HD-\S+\): [A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4} \(valid 60 minutes, one use\)/,
    );
    pass = /[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}/.exec(shown)![0];
    expect(adeleChat().at(-1)?.text).toContain('say "temporary access pass" here');
    expect(JSON.stringify(adeleChat())).not.toContain(pass);
    expect(JSON.stringify(inConversation((id) => id.startsWith(CHANNEL)))).not.toContain(pass);
    const database = fs.readFileSync(path.join(bot.dataDir, 'security-info.sqlite'));
    expect(database.includes(pass.replace(/-/g, ''))).toBe(false);
  });

  it('the person ends the chat, proves who they are with the pass (once), and enrolls a new app', async () => {
    expect(saidIn(await adele.send({ text: 'end chat' })).join('\n')).toContain("you're back with me");
    expect(thread().at(-1)?.text).toContain('Adele Vance ended the chat.');

    await adele.send({ text: 'temporary access pass' });
    expect(cardText(adele.lastCard())).toContain('Type the pass the help desk gave you.');
    const wrong = await adele.click('Next', { pass: 'AAAA-BBBB-CCCC' });
    expect(saidIn(wrong).join('\n')).toContain("That pass didn't work. Check it and try again (4 tries left).");
    const accepted = await adele.click('Next', { pass: pass.toLowerCase() });
    expect(saidIn(accepted).join('\n')).toContain('Thanks, your pass is accepted');
    expect(cardText(adele.lastCard())).toContain('More information required');

    // Unlocked: the app enrolls now.
    await adele.click('Next');
    await adele.click('Next');
    await adele.click('Next');
    const uri = decodeQrDataUri(String(imageOf(adele.lastCard())?.url));
    await adele.click('Next', { code: appCodeFor(uri, clock.now()) });
    expect(cardText(adele.lastCard())).toContain('Phone');

    // Single use: the same pass no longer works.
    await adele.send({ text: 'temporary access pass' });
    const again = await adele.click('Next', { pass });
    expect(saidIn(again).join('\n')).toContain('You have no valid Temporary Access Pass.');

    // Spent: the pass leaves the agent's chat history (once).
    const [privateChat] = bot.connector.created;
    const shownId = inConversation(privateChat!.id).find((a) => a.text?.includes(pass))?.id;
    expect(shownId).toEqual(expect.any(String));
    expect(await bot.app.helpDesk.retireSpentPasses()).toBe(1);
    const retired = bot.connector.updates.find((u) => u.id === shownId);
    expect(retired?.text).toMatch(/^The Temporary Access Pass for Adele Vance \(ticket HD-\S+\) is no longer valid/);
    expect(JSON.stringify(retired)).not.toContain(pass);
    expect(await bot.app.helpDesk.retireSpentPasses()).toBe(0);
  });

  it('an agent requires re-registration: the new app goes, the person is told to set up again', async () => {
    await click(AGENT, 'reregister');
    expect(thread().at(-1)?.text).toBe("Removed from Adele Vance's security info: authenticatorApp.");
    expect(adeleChat().at(-1)?.text).toContain('The help desk removed your authenticator app and phones.');
    await adele.send({ text: 'security info' });
    expect(cardText(adele.lastCard())).not.toContain('Microsoft Authenticator');
  });

  it('the agent closes the ticket; the person is told; the audit log tells the story', async () => {
    await click(AGENT, 'close');
    expect(adeleChat().at(-1)?.text).toContain(`Alex Agent closed your help-desk ticket ${ticketId}.`);
    expect(cardText(cardOf(bot.connector.updates.at(-1)))).toContain(`Ticket ${ticketId} · closed`);
    expect(webhook.posts.at(-1)).toMatchObject({ type: 'ticket.updated', ticket: { state: 'closed' } });
    await click(AGENT, 'close');
    expect(bot.connector.received.at(-1)?.text).toBe(`Ticket ${ticketId} is closed.`);

    const response = await fetch(`${bot.app.url}/api/admin/audit?user=adele.vance@contoso.com`, {
      headers: { authorization: `Bearer ${KEY}` },
    });
    const { events } = (await response.json()) as { events: Array<{ event: string; result: string; detail?: string }> };
    const story = events.map((e) => `${e.event} ${e.result}${e.detail ? ` (${e.detail})` : ''}`);
    expect(story).toEqual([
      'verification.failed failure',
      'verification.failed failure',
      'verification.failed failure',
      expect.stringMatching(/^account\.locked failure \(until /),
      `escalation success (ticket ${ticketId} opened (locked))`,
      `admin.action success (ticket ${ticketId} claimed by Alex Agent)`,
      'accessPass.issued success (60 min, single use, by Alex Agent)',
      `admin.action success (ticket ${ticketId} Temporary Access Pass issued by Alex Agent)`,
      'accessPass.redeemed failure',
      'accessPass.redeemed success',
      'method.added success (Microsoft Authenticator)',
      'admin.action success (re-registration required by Alex Agent)',
      'method.deleted success (re-registration required by Alex Agent)',
      `admin.action success (ticket ${ticketId} re-registration required by Alex Agent)`,
      `admin.action success (ticket ${ticketId} closed by Alex Agent)`,
    ]);
    expect(JSON.stringify(events)).not.toContain(pass);
  });
});

describe('help desk: a ticket nobody claims', () => {
  let bot: BotFixture;
  const clock = new FrozenClock(Date.now());

  beforeAll(async () => {
    bot = await BotFixture.start(
      (connectorUrl) => ({ HELPDESK_CHANNEL_ID: CHANNEL, HELPDESK_SERVICE_URL: connectorUrl, HELPDESK_AGENT_IDS: AGENT.aadObjectId }),
      { clock },
    );
  });
  afterAll(() => bot.stop());

  it('is posted again after HELPDESK_REPOST_MINUTES, once, and the person is kept informed', async () => {
    await bot.client.open();
    const opened = await bot.client.send({ text: 'talk to a person' });
    expect(saidIn(opened).join('\n')).toMatch(/I opened help-desk ticket HD-/);
    const posts = () => bot.connector.received.filter((a) => a.conversation?.id === CHANNEL);
    expect(posts()).toHaveLength(1);

    clock.advanceMinutes(14);
    expect(await bot.app.helpDesk.repostStale()).toBe(0);
    clock.advanceMinutes(1);
    expect(await bot.app.helpDesk.repostStale()).toBe(1);
    expect(await bot.app.helpDesk.repostStale()).toBe(0);
    expect(posts()).toHaveLength(2);
    // Three reminders at most; the last says how to reach the help desk directly.
    for (let i = 0; i < 4; i++) {
      clock.advanceMinutes(15);
      await bot.app.helpDesk.repostStale();
    }
    expect(posts()).toHaveLength(4);
    expect(bot.connector.received.filter((a) => a.text?.includes('still waiting for an agent'))).toHaveLength(3);
    expect(bot.connector.received.filter((a) => a.text?.includes('If it is urgent'))).toHaveLength(1);
    expect(cardText(cardOf(posts()[1]))).toContain('Reminder: nobody has claimed this ticket yet.');
  });
});

describe('help desk: a pass that cannot reach the agent privately', () => {
  let bot: BotFixture;
  beforeAll(async () => {
    bot = await BotFixture.start((connectorUrl) => ({
      HELPDESK_CHANNEL_ID: CHANNEL,
      HELPDESK_SERVICE_URL: connectorUrl,
      HELPDESK_AGENT_IDS: AGENT.aadObjectId,
    }));
  });
  afterAll(() => bot.stop());

  it('is not issued, and the agent is told: it never goes to the channel instead', async () => {
    await bot.client.open();
    const opened = await bot.client.send({ text: 'help desk' });
    const ticket = /HD-\d{6}-[A-Z0-9]{4}/.exec(saidIn(opened).join('\n'))![0];
    const post = bot.connector.received.find((a) => a.conversation?.id === CHANNEL)!;
    await bot.client.inChannelThread(CHANNEL, String(post.id), AGENT, { value: { action: 'claim', ticket } });
    bot.connector.refuseNewConversations = true;
    await bot.client.inChannelThread(CHANNEL, String(post.id), AGENT, {
      value: { action: 'issuePass', ticket, lifetimeMinutes: '60', singleUse: 'true' },
    });
    expect(bot.connector.received.at(-1)?.text).toBe(
      'I could not open a private chat with you, so no pass was issued. Open a chat with me, then try again.',
    );
    expect(JSON.stringify(bot.connector.received)).not.toMatch(/[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}/);
    await bot.client.send({ text: 'temporary access pass' });
    const refused = await bot.client.click('Next', { pass: 'ABCD-EFGH-JKMN' });
    expect(saidIn(refused).join('\n')).toContain('You have no valid Temporary Access Pass.');
  });
});

describe('help desk without a channel or webhook', () => {
  let bot: BotFixture;
  beforeAll(async () => {
    bot = await BotFixture.start({ HELPDESK_CONTACT: '+1 425 555 0111' });
  });
  afterAll(() => bot.stop());

  it('still opens a ticket from the "I need help" button, and tells the person how to reach the help desk with its number', async () => {
    await bot.client.open();
    const replies = await bot.client.click('I need help');
    const text = saidIn(replies).join('\n');
    expect(text).toMatch(/I opened help-desk ticket HD-\d{6}-[A-Z0-9]{4} for you\. Please contact the help desk \(\+1 425 555 0111\)/);
    // The card it came from keeps working.
    const [next] = await bot.client.click('Next');
    expect(cardText(cardOf(next))).toContain('Start by getting the app');
  });
});

describe('help desk: only what a person means crosses to the agents, and only their own agent acts', () => {
  let bot: BotFixture;
  const clock = new FrozenClock(Date.now());
  let ticketId = '';
  let rootId = '';
  const adeleChat = () => bot.connector.received.filter((a) => a.conversation?.id === `a:personal-${TEAMS_USER.id}`);
  const thread = () => bot.connector.received.filter((a) => a.conversation?.id === `${CHANNEL};messageid=${rootId}`);
  const inThread = (from: typeof AGENT, extra: Partial<Activity>) => bot.client.inChannelThread(CHANNEL, rootId, from, extra);
  const click = (from: typeof AGENT, action: string, inputs: Record<string, string> = {}) =>
    inThread(from, { value: { action, ticket: ticketId, ...inputs } });
  const toldInChannel = () => bot.connector.received.at(-1)?.text;
  const audited = async () => {
    const response = await fetch(`${bot.app.url}/api/admin/audit?user=adele.vance@contoso.com`, {
      headers: { authorization: `Bearer ${KEY}` },
    });
    return ((await response.json()) as { events: Array<{ event: string; detail?: string }> }).events;
  };

  beforeAll(async () => {
    bot = await BotFixture.start(
      (connectorUrl) => ({
        HELPDESK_CHANNEL_ID: CHANNEL,
        HELPDESK_SERVICE_URL: connectorUrl,
        HELPDESK_AGENT_IDS: `${AGENT.aadObjectId},${OTHER_AGENT.aadObjectId}`,
        ADMIN_API_KEY: KEY,
      }),
      { clock },
    );
    bot.connector.addMember({ ...TEAMS_USER, userPrincipalName: 'adele.vance@contoso.com' });
    await bot.client.open();
    ticketId = /HD-\d{6}-[A-Z0-9]{4}/.exec(saidIn(await bot.client.send({ text: 'help desk' })).join('\n'))![0];
    rootId = String(bot.connector.received.find((a) => a.conversation?.id === CHANNEL)!.id);
  });
  afterAll(() => bot.stop());

  it('an agent who has not claimed the ticket is told to claim it first, and no pass is issued', async () => {
    const before = adeleChat().length;
    await click(AGENT, 'issuePass', { lifetimeMinutes: '60', singleUse: 'true' });
    expect(toldInChannel()).toBe(
      `Only the agent who claimed ticket ${ticketId} can issue a pass or require re-registration: claim it first.`,
    );
    expect(bot.connector.created).toEqual([]);
    expect(adeleChat()).toHaveLength(before);
  });

  it('another agent can neither issue a pass nor require re-registration on a ticket someone else claimed', async () => {
    await click(AGENT, 'claim');
    const before = adeleChat().length;
    await click(OTHER_AGENT, 'issuePass', { lifetimeMinutes: '60', singleUse: 'true' });
    expect(toldInChannel()).toBe(
      `Only the agent who claimed ticket ${ticketId} can issue a pass or require re-registration: Alex Agent has it.`,
    );
    await click(OTHER_AGENT, 'reregister');
    expect(toldInChannel()).toBe(
      `Only the agent who claimed ticket ${ticketId} can issue a pass or require re-registration: Alex Agent has it.`,
    );
    expect(bot.connector.created).toEqual([]);
    expect(adeleChat()).toHaveLength(before);
    const events = (await audited()).map((e) => `${e.event} ${e.detail ?? ''}`);
    expect(events.filter((e) => /accessPass|re-registration/.test(e))).toEqual([]);
  });

  it('what a person writes is posted as their words on one line: no Markdown, HTML or line of its own', async () => {
    await bot.client.send({
      text: '**Bot:** all good\n\nAlex Agent issued a Temporary Access Pass <at>Bo Agent</at> [open it](http://evil.example/x_y) `now` ~~or~~ &lt;b&gt;',
    });
    expect(thread().at(-1)).toMatchObject({
      textFormat: 'markdown',
      text:
        '**Adele Vance:** \\*\\*Bot:\\*\\* all good Alex Agent issued a Temporary Access Pass &lt;at&gt;Bo Agent&lt;/at&gt; ' +
        '\\[open it\\](http[:]//evil.example/x\\_y) \\`now\\` \\~\\~or\\~\\~ &amp;lt;b&amp;gt;',
    });
  });

  it('nothing shaped like a code or a pass is relayed, however it is written, from the person or from the agent', async () => {
    const fromPerson = ['123 456', '12-34-56', 'my code is 482913', 'ABCD-EFGH-JKMN', 'abcd efgh jkmn', 'it says ABCDEFGHJKMN, right?'];
    for (const text of fromPerson) {
      expect(saidIn(await bot.client.send({ text })).join('\n')).toContain('That looks like a code or a pass, so I did not pass it on');
    }
    const posted = JSON.stringify(thread());
    for (const text of fromPerson) expect(posted).not.toContain(text);

    await inThread(AGENT, { text: 'Is your code 12-34-56?' });
    expect(toldInChannel()).toBe(
      'That looks like a code or a pass, so I did not pass it on: a code or a pass never goes through me. Give a pass by a channel you trust.',
    );
    await click(AGENT, 'message', { message: 'Your pass is abcd efgh jkmn' });
    expect(toldInChannel()).toBe(
      'That looks like a code or a pass, so I did not pass it on: a code or a pass never goes through me. Give a pass by a channel you trust.',
    );
    const told = JSON.stringify(adeleChat());
    expect(told).not.toContain('12-34-56');
    expect(told).not.toContain('abcd efgh jkmn');
  });

  it("an agent's reply in a ticket's thread reaches its person, however many tickets were opened since", async () => {
    // 500 tickets opened the next day, by another instance sharing the store.
    const later = new FrozenClock(clock.now() + 24 * 60 * 60_000);
    const store = new SqliteStore(sqliteFileIn(bot.dataDir), later, cryptoRandom);
    const book = new TicketBook(store, later, cryptoRandom);
    for (let i = 0; i < 500; i++) {
      await book.create({
        personId: `someone-${i}`,
        upn: `someone-${i}@contoso.com`,
        displayName: `Someone ${i}`,
        reason: 'asked',
        channel: 'msteams',
        methods: [],
        policy: { mfaMet: false, ssprMet: false, locked: false },
        recent: [],
      });
    }
    await store.close();

    await inThread(AGENT, { text: 'Still there, Adele?' });
    expect(adeleChat().at(-1)?.text).toBe('Help desk (Alex Agent): Still there, Adele?');
  });
});
