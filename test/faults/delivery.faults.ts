import { SqliteStore, sqliteFileIn } from '../../src/storage/sqliteStore';
import { cryptoRandom, systemClock } from '../../src/verification/ports';
import { BotFixture } from '../support/botFixture';
import { FaultProxy, type SeenRequest } from '../support/faultProxy';
import { TwilioDouble, twilioSettings } from '../support/twilioDouble';
import { enrollThroughFaults, FaultPerson, LEAKED, methodsOf, nextMove, phoneFor, stepOf, twilioCodes } from './support';

const SID = `AC${'2'.repeat(32)}`;

/** Texts through the real twilio SDK to a fault proxy in front of the Twilio double; replies through a fault proxy in front of the connector stub. */
describe('Twilio and the channel failing under the real bot', () => {
  let bot: BotFixture;
  let twilio: TwilioDouble;
  let twilioProxy: FaultProxy;
  let channelProxy: FaultProxy;
  let store: SqliteStore;
  let people = 0;

  beforeAll(async () => {
    twilio = await new TwilioDouble().start();
    twilioProxy = await new FaultProxy({ target: twilio.url }).start();
    bot = await BotFixture.start(
      {
        ...twilioSettings({ sid: SID, token: 'faults-auth-token' }, twilioProxy.url),
      },
      {},
      { publicUrl: true },
    );
    channelProxy = await new FaultProxy({ target: bot.connector.url }).start();
    store = new SqliteStore(sqliteFileIn(bot.dataDir), systemClock, cryptoRandom);
  });
  afterAll(async () => {
    await store.close();
    await bot.stop();
    await channelProxy.stop();
    await twilioProxy.stop();
    await twilio.stop();
  });
  afterEach(() => {
    twilioProxy.clear();
    channelProxy.clear();
  });

  const person = () => {
    people += 1;
    return new FaultPerson(() => bot.app.url, bot.connector, `delivery-${people}`, phoneFor(300 + people), channelProxy.url);
  };
  const codes = () => twilioCodes(twilio);

  async function walkTo(p: FaultPerson, step: ReturnType<typeof stepOf>) {
    if (!p.lastCard()) await p.open();
    for (let i = 0; i < 10 && stepOf(p.lastCard()) !== step; i++) await p.post(nextMove(p, codes())!);
    expect(stepOf(p.lastCard())).toBe(step);
  }

  const texts = (r: SeenRequest) => r.path.endsWith('/Messages.json');

  describe('Twilio', () => {
    it.each([
      ['a 503 on every attempt', { status: 503, body: { code: 20503, message: 'Service Unavailable', status: 503 } }],
      ['a 429 on every attempt', { status: 429, body: { code: 20429, message: 'Too Many Requests', status: 429 } }],
      ['no answer (a hung request)', { hang: true as const }],
      ['a connection dropped before Twilio saw the request', { drop: 'before' as const }],
    ])(
      '%s: the person is told nothing was sent and to try again, within 10 s; the retry texts a code and they finish',
      async (_name, fault) => {
        const p = person();
        await walkTo(p, 'phone');
        twilioProxy.inject({ when: texts, fault });
        const started = Date.now();
        const sent = await p.click('Next', { country: 'US', number: p.phone, method: 'sms' });
        twilioProxy.clear();
        expect(Date.now() - started).toBeLessThan(10_000);
        expect(sent.said).toContain("We couldn't reach our phone service just now. Please try again in a minute.");
        expect(sent.said.join(' ')).not.toMatch(LEAKED);
        expect(stepOf(p.lastCard())).toBe('phone');
        // Nothing reached the person, and no code is waiting for them.
        expect(codes()(p.e164)).toEqual([]);
        const run = await enrollThroughFaults(p, codes());
        expect(run.done).toBe(true);
        expect(codes()(p.e164)).toHaveLength(1);
        expect(await methodsOf(store, p.personId)).toEqual({ authenticatorApp: 1, phone: 1 });
      },
    );

    it('one 5xx or 429 is retried at once: the person never notices', async () => {
      const p = person();
      await walkTo(p, 'phone');
      twilioProxy.inject({ when: texts, fault: { status: 500 }, times: 1 });
      twilioProxy.inject({ when: texts, fault: { status: 429 }, times: 1 });
      const sent = await p.click('Next', { country: 'US', number: p.phone, method: 'sms' });
      expect(stepOf(p.lastCard())).toBe('code');
      expect(sent.said.join(' ')).not.toMatch(/couldn't|went wrong/);
      expect((await enrollThroughFaults(p, codes())).done).toBe(true);
    });

    it("Twilio's answer lost after it took the text: the retry texts the same code again, and that code works", async () => {
      const p = person();
      await walkTo(p, 'phone');
      twilioProxy.inject({ when: texts, fault: { drop: 'after' }, times: 1 });
      await p.click('Next', { country: 'US', number: p.phone, method: 'sms' });
      expect(stepOf(p.lastCard())).toBe('code');
      const texted = codes()(p.e164);
      expect(texted).toHaveLength(2);
      expect(new Set(texted).size).toBe(1);
      expect((await enrollThroughFaults(p, codes())).done).toBe(true);
      expect(await methodsOf(store, p.personId)).toEqual({ authenticatorApp: 1, phone: 1 });
    });
  });

  describe("the channel's connector", () => {
    const sends = (r: SeenRequest) => r.method === 'POST' && /\/activities/.test(r.path);
    const updates = (r: SeenRequest) => r.method === 'PUT';

    it('a 5xx on a reply is retried by the client: the person sees the next card', async () => {
      const p = person();
      await p.open();
      channelProxy.inject({ when: sends, fault: { status: 502 }, times: 1 });
      await p.post(nextMove(p, codes())!);
      expect(stepOf(p.lastCard())).toBe('getTheApp');
    });

    it.each([
      ['answers 503 every time', { status: 503 }],
      ['never answers', { hang: true as const }],
    ])(
      'a channel that %s: the turn ends within 15 s (Bot Framework waits no longer), the step is kept, and the person goes on once it is back',
      async (_name, fault) => {
        const p = person();
        await walkTo(p, 'setUpAccount');
        channelProxy.inject({ when: sends, fault });
        const started = Date.now();
        const sent = await p.click('Next');
        channelProxy.clear();
        expect(Date.now() - started).toBeLessThan(15_000);
        expect(sent.status).toBe(200);
        // The card never reached the chat; the step was saved. The person writes again and is shown where they are.
        const again = await p.send({ text: 'hi' });
        expect(again.said.join(' ')).not.toMatch(LEAKED);
        expect((await enrollThroughFaults(p, codes())).done).toBe(true);
        expect(await methodsOf(store, p.personId)).toEqual({ authenticatorApp: 1, phone: 1 });
      },
    );

    it.each([
      ['a 503', { status: 503 }],
      ['no answer', { hang: true as const }],
    ])(
      '%s when the QR card is replaced after the app is registered: the person still gets the next step, in time',
      async (_name, fault) => {
        const p = person();
        await walkTo(p, 'qr');
        channelProxy.inject({ when: updates, fault });
        const started = Date.now();
        const sent = await p.post(nextMove(p, codes())!);
        channelProxy.clear();
        expect(Date.now() - started).toBeLessThan(15_000);
        expect(sent.said).toContain('Your code was accepted: Microsoft Authenticator is registered.');
        expect(stepOf(p.lastCard())).toBe('phone');
        expect((await enrollThroughFaults(p, codes())).done).toBe(true);
        expect(await methodsOf(store, p.personId)).toEqual({ authenticatorApp: 1, phone: 1 });
      },
    );
  });
});
