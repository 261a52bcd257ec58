import fc from 'fast-check';
import { BotFixture } from '../support/botFixture';
import { submitActions } from '../support/cards';
import { FrozenClock } from '../support/clock';
import { lastTextedCode } from '../support/outbox';
import { ErrorLog, expectAnswered, fuzz, RejectionWatch, SEED, seededRandom, trim } from './fuzzing';
import { ABSENT, anyText, field, hugeString, junk, oddString, present } from './junk';
import { enrollsNormally, Person, teamsUser } from './person';
import { submitPlan, submitValue } from './submits';

/** Stands for the connector stub's URL in a generated activity (known only once it runs). */
const CONNECTOR = 'connector-stub';

/**
 * Where the bot may be told to reply: the connector stub, or places that go
 * nowhere (no scheme, a closed loopback port). Never a host on the network.
 */
const serviceUrl = fc.oneof(
  { weight: 12, arbitrary: fc.constant(CONNECTOR) },
  { weight: 1, arbitrary: fc.constantFrom(ABSENT, '', 'not a url', 'urn:twilio:sms', 'http://127.0.0.1:9/', 42, null) },
);

/** Who sends: mostly the person who enrolls at the end, or the other Teams users; or someone made up. */
const sender = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('person', 'person', 'person', 'other-1', 'other-2') },
  {
    weight: 1,
    arbitrary: fc.record(
      { id: fc.oneof(oddString, hugeString, junk), name: fc.oneof(oddString, junk), aadObjectId: fc.oneof(oddString, junk) },
      { requiredKeys: [] },
    ),
  },
);

const activityPlan = fc.record({
  type: field(
    fc.constantFrom(
      'message',
      'message',
      'message',
      'message',
      'conversationUpdate',
      'invoke',
      'event',
      'messageReaction',
      'typing',
      'installationUpdate',
      'endOfConversation',
      'messageUpdate',
      'messageDelete',
      'trace',
      'handoff',
      'command',
    ),
  ),
  id: field(fc.oneof(fc.constantFrom('replayed-1', 'replayed-2', 'replayed-3'), oddString)),
  channelId: field(
    fc.oneof(
      { weight: 6, arbitrary: fc.constant('msteams') },
      {
        weight: 3,
        arbitrary: fc.constantFrom(
          'emulator',
          'webchat',
          'sms',
          'directline',
          'aad',
          'upn',
          'AAD',
          'Upn',
          'slack',
          '__proto__',
          'constructor',
          '',
        ),
      },
      { weight: 1, arbitrary: oddString },
    ),
  ),
  serviceUrl,
  from: field(sender),
  conversation: field(
    fc.record(
      {
        id: fc.oneof({ weight: 4, arbitrary: fc.constant('own') }, { weight: 1, arbitrary: fc.oneof(oddString, junk) }),
        conversationType: fc.oneof(fc.constantFrom('personal', 'personal', 'groupChat', 'channel'), oddString, junk),
        tenantId: fc.oneof(fc.constant('contoso-tenant'), oddString, junk),
        isGroup: fc.oneof(fc.boolean(), junk),
      },
      { requiredKeys: ['id'] },
    ),
  ),
  recipient: field(fc.constantFrom({ id: '28:bot', name: 'Security info' })),
  channelData: field(
    fc.oneof(
      fc.constant({ tenant: { id: 'contoso-tenant' } }),
      fc.record({ tenant: fc.record({ id: fc.oneof(oddString, junk) }) }),
      fc.record({ channel: fc.record({ id: fc.oneof(fc.constant('19:helpdesk@thread.tacv2'), oddString) }), tenant: junk }),
      junk,
    ),
  ),
  text: field(anyText),
  value: fc.oneof({ weight: 3, arbitrary: fc.constant(ABSENT) }, { weight: 3, arbitrary: submitPlan }, { weight: 1, arbitrary: junk }),
  name: field(fc.oneof(fc.constantFrom('ContinueConversation', 'adaptiveCard/action', 'task/fetch', 'signin/verifyState'), oddString)),
  membersAdded: field(
    fc.array(fc.oneof(fc.constantFrom({ id: '28:bot', name: 'Security info' }, { id: 'own' }), fc.record({ id: oddString }), junk), {
      maxLength: 3,
    }),
  ),
  membersRemoved: field(junk),
  attachments: field(junk),
  entities: field(junk),
  locale: field(oddString),
  timestamp: field(fc.oneof(fc.constant('2026-11-28T09:00:00.000Z'), oddString)),
  replyToId: field(oddString),
});

type ActivityPlan = typeof activityPlan extends fc.Arbitrary<infer T> ? T : never;

/** A body that is not an activity at all: broken JSON, other JSON types. */
const notAnActivity = fc.oneof(
  fc.constantFrom(
    '{"type": "message",',
    '',
    'null',
    '[]',
    '"message"',
    '{"type":"message","from":{"id":"x"}}}',
    '{"__proto__":{"type":"message"}}',
  ),
  junk.map((value) => JSON.stringify(value) ?? 'undefined'),
);

describe('/api/messages, sent generated activities', () => {
  let bot: BotFixture;
  let person: Person;
  const others: Person[] = [];
  const clock = new FrozenClock();
  const rejections = new RejectionWatch();
  const errors = new ErrorLog();

  beforeAll(async () => {
    rejections.start();
    bot = await BotFixture.start({}, { clock, random: seededRandom(SEED), log: errors.logger });
    person = new Person(bot, teamsUser(bot, 0));
    others.push(new Person(bot, teamsUser(bot, 1)), new Person(bot, teamsUser(bot, 2)));
    await person.open();
  });
  afterAll(async () => {
    rejections.stop();
    await bot?.stop();
  });

  /** The activity a plan stands for, as the person would send it, with the fields the plan changes. */
  function activityOf(plan: ActivityPlan): { body: Record<string, unknown>; replyReachable: boolean } {
    const who = plan.from === 'person' ? person : plan.from === 'other-1' ? others[0]! : plan.from === 'other-2' ? others[1]! : undefined;
    const base = (who ?? person).activity({});
    const conversation =
      plan.conversation && typeof plan.conversation === 'object' && (plan.conversation as { id: unknown }).id === 'own'
        ? { ...(plan.conversation as object), id: base.conversation!.id }
        : plan.conversation;
    const value =
      plan.value && typeof plan.value === 'object' && 'nonce' in plan.value && 'fields' in plan.value
        ? submitValue(
            plan.value as Parameters<typeof submitValue>[0],
            submitActions((who ?? person).card).map((a) => a.data),
            (who ?? person).nonces,
          )
        : plan.value;
    const membersAdded = Array.isArray(plan.membersAdded)
      ? plan.membersAdded.map((m) => (m && typeof m === 'object' && (m as { id?: unknown }).id === 'own' ? base.from : m))
      : plan.membersAdded;
    const body = present({
      ...base,
      ...plan,
      from: who ? base.from : plan.from,
      serviceUrl: plan.serviceUrl === CONNECTOR ? bot.connector.url : plan.serviceUrl,
      conversation,
      value,
      membersAdded,
    });
    return { body, replyReachable: body.serviceUrl === bot.connector.url };
  }

  it('answers every generated activity without a server error, a failed turn or an unhandled rejection; the heap stays bounded', async () => {
    const someone = fc.oneof(
      {
        weight: 12,
        // Sent once, or delivered again while the first is still running (a channel's retry): the copies race for the person.
        arbitrary: fc.record({
          plan: activityPlan,
          copies: fc.oneof({ weight: 6, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.integer({ min: 2, max: 3 }) }),
        }),
      },
      { weight: 1, arbitrary: notAnActivity.map((raw) => ({ raw })) },
    );
    await fuzz(
      'activities',
      someone,
      async (input) => {
        if ('raw' in input) {
          const { status } = await person.post(input.raw);
          if (status !== 400 && status !== 413) throw new Error(`a body that is not an activity got ${status}`);
          return;
        }
        const { body, replyReachable } = activityOf(input.plan);
        const answers = await Promise.all(Array.from({ length: input.copies }, () => person.post(body)));
        for (const { status } of answers) {
          expectAnswered(status, `POST /api/messages (type ${JSON.stringify(body.type)?.slice(0, 40)}, ${input.copies} at once)`);
        }
        // Replies to a serviceUrl nobody listens on fail, and the bot says so at error level: that is the client's doing.
        if (!replyReachable) errors.take();
      },
      { rejections, errors, url: () => bot.app.url },
      {
        betweenRounds: () => {
          trim(bot.connector.received);
          trim(bot.connector.updates);
        },
      },
    );
  });

  it('leaves the person able to enroll as anyone does, from the start to Success', async () => {
    clock.advance(25 * 60 * 60_000); // past any lockout window and into a new day of sends
    await enrollsNormally(person, clock, (to) => lastTextedCode(bot.outbox, to));
    rejections.check();
  });
});
