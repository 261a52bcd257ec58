import { TWILIO_TIMEOUTS, TwilioSender } from '../../src/delivery/twilioSender';
import { createLogger } from '../../src/kit/log';
import { FaultProxy } from '../support/faultProxy';
import { TwilioDouble } from '../support/twilioDouble';

const SID = `AC${'1'.repeat(32)}`;
const TOKEN = 'test-auth-token';

describe('Twilio delivery, through the real twilio SDK against a local double', () => {
  let double: TwilioDouble;
  let sleeps: number[];
  let sender: TwilioSender;

  beforeEach(async () => {
    double = await new TwilioDouble().start();
    sleeps = [];
    sender = new TwilioSender(
      { accountSid: SID, authToken: TOKEN, from: '+14255550199', apiBaseUrl: double.url, publicBaseUrl: 'https://bot.contoso.com' },
      createLogger('silent'),
      {
        delaysMs: [250, 1000],
        sleep: async (ms) => {
          sleeps.push(ms);
        },
      },
    );
  });
  afterEach(() => double.stop());

  it('texts the body to the right number from ours, with the account credentials', async () => {
    expect(await sender.sendSms('+12015550123', '123456 is your Contoso verification code.')).toEqual({ ok: true });
    const [request] = double.messages();
    expect(request!.path).toBe(`/2010-04-01/Accounts/${SID}/Messages.json`);
    expect(request!.form).toMatchObject({ To: '+12015550123', From: '+14255550199', Body: '123456 is your Contoso verification code.' });
    expect(request!.authorization).toBe(`Basic ${Buffer.from(`${SID}:${TOKEN}`).toString('base64')}`);
  });

  it('places a call whose TwiML gathers the two digits of number matching and posts them to our public webhook', async () => {
    expect(
      await sender.placeCall('+12015550123', {
        callToken: 'dG9r.abc',
        greeting: 'Hello from Contoso.',
        noAnswer: 'Goodbye.',
        voice: 'en-US',
      }),
    ).toEqual({ ok: true });
    const [call] = double.calls();
    expect(call!.form).toMatchObject({
      To: '+12015550123',
      From: '+14255550199',
      StatusCallback: 'https://bot.contoso.com/api/voice/dG9r.abc/status',
      StatusCallbackMethod: 'POST',
    });
    const twiml = call!.form.Twiml!;
    expect(twiml).toContain('<Gather numDigits="2" finishOnKey="" action="https://bot.contoso.com/api/voice/dG9r.abc" method="POST"');
    expect(twiml).toContain('<Say language="en-US">Hello from Contoso.</Say></Gather><Say language="en-US">Goodbye.</Say>');
  });

  it('retries a 500 with backoff, and succeeds', async () => {
    double.failNext({ status: 500, body: { code: 20500, message: 'Internal Server Error', status: 500 } });
    expect(await sender.sendSms('+12015550123', 'x')).toEqual({ ok: true });
    expect(double.messages()).toHaveLength(2);
    expect(sleeps).toEqual([250]);
  });

  it('gives up after the retries and says the service is unavailable (not permanent)', async () => {
    const outage = { status: 503, body: { code: 20503, message: 'Service Unavailable', status: 503 } };
    double.failNext(outage, outage, outage);
    expect(await sender.sendSms('+12015550123', 'x')).toEqual({ ok: false, failure: 'unavailable', permanent: false });
    expect(sleeps).toEqual([250, 1000]);
  });

  it('does not retry a permanent refusal: 21211 is an invalid number', async () => {
    double.failNext({ status: 400, body: { code: 21211, message: "The 'To' number is not a valid phone number.", status: 400 } });
    expect(await sender.sendSms('+12015550123', 'x')).toEqual({ ok: false, failure: 'invalidNumber', permanent: true });
    expect(double.messages()).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('a refused call for a region is permanent and says so', async () => {
    double.failNext({ status: 400, body: { code: 21215, message: 'Geo permission', status: 400 } });
    expect(await sender.placeCall('+12015550123', { callToken: 't.t', greeting: 'x', noAnswer: 'y', voice: 'en-US' })).toEqual({
      ok: false,
      failure: 'unreachable',
      permanent: true,
    });
  });

  it('a time-out or a closed connection counts as transient', async () => {
    await double.stop();
    expect(await sender.sendSms('+12015550123', 'x')).toEqual({ ok: false, failure: 'unavailable', permanent: false });
    expect(sleeps).toEqual([250, 1000]);
    double = await new TwilioDouble().start(); // for afterEach
  });
});

describe('Twilio delivery when Twilio hangs (a fault proxy in front of the double)', () => {
  let double: TwilioDouble;
  let proxy: FaultProxy;
  const sender = (timeouts = { requestMs: 300, totalMs: 900 }) =>
    new TwilioSender(
      { accountSid: SID, authToken: TOKEN, from: '+14255550199', apiBaseUrl: proxy.url, publicBaseUrl: 'https://bot.contoso.com' },
      createLogger('silent'),
      { delaysMs: [50, 100], sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)), timeouts },
    );

  beforeEach(async () => {
    double = await new TwilioDouble().start();
    proxy = await new FaultProxy({ target: double.url }).start();
  });
  afterEach(async () => {
    await proxy.stop();
    await double.stop();
  });

  it('gives up on a request that gets no answer, and keeps every attempt within the total (unavailable, not permanent)', async () => {
    proxy.inject({ fault: { hang: true } });
    const started = Date.now();
    expect(await sender().sendSms('+12015550123', 'x')).toEqual({ ok: false, failure: 'unavailable', permanent: false });
    // Far below the SDK's own 30 s an attempt, with room for a loaded machine.
    expect(Date.now() - started).toBeLessThan(10_000);
    // Two attempts fit in 900 ms (300 + 50 + 300); a third would not.
    expect(proxy.seen).toHaveLength(2);
  });

  it('a slow first answer is given up and the retry goes through', async () => {
    proxy.inject({ fault: { hang: true }, times: 1 });
    expect(await sender().sendSms('+12015550123', 'x')).toEqual({ ok: true });
    expect(double.messages()).toHaveLength(1);
  });

  it('has a bounded time-out without a base URL too (production talks to Twilio itself): the SDK would wait 30 s', () => {
    const production = new TwilioSender(
      { accountSid: SID, authToken: TOKEN, from: '+14255550199', publicBaseUrl: 'https://bot.contoso.com' },
      createLogger('silent'),
    );
    const httpClient = (production as unknown as { client: { httpClient?: { defaultTimeout?: number } } }).client.httpClient;
    expect(httpClient?.defaultTimeout).toBe(TWILIO_TIMEOUTS.requestMs);
    expect(TWILIO_TIMEOUTS.totalMs).toBeLessThanOrEqual(10_000);
  });
});
