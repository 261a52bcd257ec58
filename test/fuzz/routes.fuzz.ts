import fc from 'fast-check';
import { MAX_BODY_BYTES } from '../../src/channels/server';
import { BotFixture } from '../support/botFixture';
import { imageOf } from '../support/cards';
import { FrozenClock } from '../support/clock';
import { callTokenOf, lastTextedCode, readOutbox } from '../support/outbox';
import { decodeQrPng } from '../support/qr';
import { ErrorLog, expectAnswered, fuzz, RejectionWatch, SEED, seededRandom, trim } from './fuzzing';
import { anyKey, anyText, bytewise, headerValue, hugeString, junk, oddString } from './junk';
import { enrollsNormally, Person, REQUEST_TIMEOUT_MS, teamsUser } from './person';

const KEY = 'admin-key-for-the-fuzz-tests-0123456789';
/** Sam Student: a phone on file in the sample directory, who registers it through the dev SMS route at the end. */
const SAM = '+12015550142';

/** A path segment a client made up: odd text encoded, or raw encodings a parser may choke on. */
const madeUpSegment = fc.oneof(
  fc.oneof(oddString, hugeString, fc.base64String({ minLength: 40, maxLength: 48 })).map(bytewise),
  fc.stringMatching(/^[A-Za-z0-9_-]{43}$/),
  fc.constantFrom('%', '%zz', '%E0%A4%A', '%C0%AF', '%00', '..%2F..%2Fetc', '%2e%2e', '.png', '..png', 'a.png.png', ''),
);

describe('the QR image links, the admin route and the dev routes, sent generated requests', () => {
  let bot: BotFixture;
  let qrPerson: Person;
  let caller: Person;
  const clock = new FrozenClock();
  const rejections = new RejectionWatch();
  const errors = new ErrorLog();
  const checks = { rejections, errors, url: () => bot.app.url };

  beforeAll(async () => {
    rejections.start();
    bot = await BotFixture.start(
      { QR_IMAGE_MODE: 'url', ADMIN_API_KEY: KEY },
      { clock, random: seededRandom(SEED), log: errors.logger },
      { publicUrl: true },
    );
    qrPerson = new Person(bot, teamsUser(bot, 0, 'qr'), '201 555 0166');
    caller = new Person(bot, teamsUser(bot, 0, 'caller'), '201 555 0177');
  });
  afterAll(async () => {
    rejections.stop();
    await bot?.stop();
  });

  async function request(method: string, path: string, init: { headers?: Record<string, string>; body?: string } = {}) {
    const response = await fetch(`${bot.app.url}${path}`, { method, ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    return { status: response.status, type: response.headers.get('content-type') ?? '', bytes: Buffer.from(await response.arrayBuffer()) };
  }

  it('/api/qr/:token.png: no server error; a link shows its QR code once, then never; made-up links get nothing; the heap stays bounded', async () => {
    /** Links of QR cards shown to the person, newest last, and whether each was fetched. */
    const links: Array<{ path: string; taken: boolean; retired: boolean }> = [];
    const showQr = async () => {
      for (const link of links) link.retired = true; // a new QR card retires the one before it
      await qrPerson.say('start over');
      await qrPerson.click('Next');
      await qrPerson.click('Next');
      await qrPerson.click('Next');
      const url = String(imageOf(qrPerson.card)?.url ?? '');
      if (!url.startsWith(`${bot.publicBaseUrl}/api/qr/`)) throw new Error(`no QR link on the card: ${url.slice(0, 80)}`);
      links.push({ path: url.slice(bot.publicBaseUrl.length), taken: false, retired: false });
    };
    const qr = fc.record({
      showNew: fc.boolean(),
      method: fc.constantFrom('GET', 'GET', 'GET', 'HEAD', 'POST', 'DELETE'),
      link: fc.oneof(
        { weight: 3, arbitrary: fc.nat().map((back) => ({ back })) },
        { weight: 2, arbitrary: madeUpSegment.map((madeUp) => ({ madeUp })) },
      ),
    });
    await showQr();
    await fuzz(
      'qrLinks',
      qr,
      async ({ showNew, method, link }) => {
        if (showNew) await showQr();
        const known = 'back' in link ? links[links.length - 1 - (link.back % links.length)]! : undefined;
        const path = 'back' in link ? known!.path : `/api/qr/${link.madeUp}`;
        const response = await request(method, path);
        expectAnswered(response.status, `${method} /api/qr/:file`);
        if (known && method === 'GET') {
          const shows = !known.taken && !known.retired;
          if (shows && (response.status !== 200 || response.type !== 'image/png')) throw new Error(`a fresh link got ${response.status}`);
          if (shows && !decodeQrPng(response.bytes).startsWith('otpauth://totp/')) throw new Error('a fresh link showed no QR code');
          if (!shows && response.status !== 404)
            throw new Error(`a link ${known.taken ? 'fetched before' : 'of a retired card'} got ${response.status}`);
          known.taken = true;
        } else if (response.status === 200) {
          throw new Error(`${method} ${path.slice(0, 80)} got 200`);
        }
      },
      checks,
      { betweenRounds: () => trim(bot.connector.received) },
    );
  });

  it('/api/admin/audit: no server error; never an answer without the key; the heap stays bounded', async () => {
    const admin = fc.record({
      auth: fc.oneof(
        { weight: 3, arbitrary: fc.constant(`Bearer ${KEY}`) },
        {
          weight: 2,
          arbitrary: fc.oneof(
            fc.constantFrom(
              '',
              'Bearer',
              'Bearer ',
              `bearer ${KEY}`,
              `Bearer  ${KEY}`,
              `Bearer ${KEY} `,
              `Bearer ${KEY}x`,
              `Bearer ${KEY.slice(0, -1)}`,
              `Basic ${Buffer.from(`admin:${KEY}`).toString('base64')}`,
              `Bearer ${KEY}\tx`,
            ),
            oddString.map((s) => `Bearer ${s}`),
            hugeString.map((s) => `Bearer ${s.slice(0, 8000)}`),
          ),
        },
        { weight: 1, arbitrary: fc.constant(undefined) },
      ),
      query: fc.array(
        fc.tuple(fc.oneof(fc.constantFrom('user', 'user', 'user', 'limit', '__proto__', 'user[]', 'user[a]'), oddString), anyText),
        { maxLength: 3 },
      ),
      method: fc.constantFrom('GET', 'GET', 'GET', 'HEAD', 'POST'),
    });
    await fuzz(
      'adminRoute',
      admin,
      async ({ auth, query, method }) => {
        const search = new URLSearchParams(query.map(([k, v]) => [k, v.slice(0, 4000)])).toString();
        const headers: Record<string, string> = auth === undefined ? {} : { authorization: headerValue(auth) };
        const response = await request(method, `/api/admin/audit${search ? `?${search}` : ''}`, { headers });
        expectAnswered(response.status, `${method} /api/admin/audit`);
        // HTTP drops the spaces around a header's value.
        const keyed = headers.authorization?.trim() === `Bearer ${KEY}`;
        // Refused: for want of the key, or (a huge header or query) before any route runs.
        if (method === 'GET' && !keyed && response.status !== 401 && response.status !== 431)
          throw new Error(`a read without the key got ${response.status}`);
        if (response.status === 200 && (!keyed || method !== 'GET')) throw new Error(`${method} without the key answered 200`);
      },
      checks,
    );
  });

  it('/admin, its sign-in and assets (local mode, key form): no server error; no session without the key; no page without a session', async () => {
    const cookie = fc.oneof(
      fc.constant(undefined),
      fc
        .tuple(fc.constantFrom('admin_session', 'admin_login', 'admin_signin', 'x'), fc.oneof(oddString, hugeString, madeUpSegment))
        .map(([n, v]) => `${n}=${v.slice(0, 4000)}`),
    );
    const page = fc.record({
      target: fc.oneof(
        fc.constantFrom('/admin', '/admin/login', '/admin/login/entra', '/admin/callback', '/admin/logout', '/admin/login/key'),
        madeUpSegment.map((segment) => `/admin/assets/${segment}`),
        fc
          .tuple(fc.constantFrom('code', 'state', 'error', 'iss'), oddString)
          .map(([k, v]) => `/admin/callback?${new URLSearchParams([[k, v]])}`),
      ),
      method: fc.constantFrom('GET', 'GET', 'POST', 'HEAD'),
      cookie,
      fields: fc.array(fc.tuple(fc.constantFrom('key', 'csrf', '__proto__', 'key[]'), fc.oneof(oddString, fc.constant(KEY))), {
        maxLength: 3,
      }),
    });
    await fuzz(
      'adminPages',
      page,
      async ({ target, method, cookie, fields }) => {
        const headers: Record<string, string> = cookie === undefined ? {} : { cookie: headerValue(cookie) };
        const body = method === 'POST' ? new URLSearchParams(fields.map(([k, v]) => [k, v.slice(0, 4000)])).toString() : undefined;
        if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
        const response = await fetch(`${bot.app.url}${target}`, {
          method,
          headers,
          body,
          redirect: 'manual',
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        await response.arrayBuffer();
        expectAnswered(response.status, `${method} ${target}`);
        // Made-up cookies never pass for a session; the key form never signs in without its own token.
        if (response.headers.getSetCookie().some((line) => line.startsWith('admin_session=') && !line.startsWith('admin_session=;'))) {
          throw new Error(`${method} ${target} opened a session`);
        }
        if (target === '/admin' && response.status === 200) throw new Error('the dashboard answered without a session');
      },
      checks,
    );
  });

  it('/api/admin/campaigns, /summary and the report: no server error; a bad body is a 400 naming its field; never an answer without the key', async () => {
    const valid = {
      name: 'Fuzzed',
      roles: ['employee'],
      methods: ['authenticatorApp'],
      startsAt: '2026-12-01T09:00:00Z',
      deadline: '2026-12-15T09:00:00Z',
    };
    const body = fc.oneof(
      junk,
      // A valid campaign with one field replaced by junk, or an extra one.
      fc
        .tuple(
          fc.constantFrom(...Object.keys(valid), 'snoozeDays', 'maxSnoozes', 'channels', 'quietHours', 'groups', 'exclude', 'timeZone'),
          junk,
        )
        .map(([field, value]) => ({ ...valid, [field]: value })),
      fc.tuple(anyKey, junk).map(([field, value]) => ({ ...valid, [field]: value })),
    );
    const cases = fc.record({
      keyed: fc.boolean(),
      route: fc.oneof(
        fc.constant({ method: 'POST', path: '/api/admin/campaigns' }),
        fc.constant({ method: 'GET', path: '/api/admin/campaigns' }),
        madeUpSegment.map((id) => ({ method: 'GET', path: `/api/admin/campaigns/${id}` })),
        fc.tuple(madeUpSegment, fc.constantFrom('pause', 'resume', 'stop', 'explode', '')).map(([id, action]) => ({
          method: 'POST',
          path: `/api/admin/campaigns/${id}/${action}`,
        })),
        fc.array(fc.tuple(fc.constantFrom('role', 'group', 'method', 'method[]', '__proto__'), anyText), { maxLength: 3 }).map((query) => ({
          method: 'GET',
          path: `/api/admin/summary?${new URLSearchParams(query.map(([k, v]) => [k, v.slice(0, 2000)]))}`,
        })),
        fc.constant({ method: 'GET', path: '/api/admin/reports/registration.csv' }),
      ),
      body,
    });
    await fuzz(
      'campaignRoutes',
      cases,
      async ({ keyed, route, body }) => {
        const headers: Record<string, string> = keyed ? { authorization: `Bearer ${KEY}` } : {};
        const withBody = route.method === 'POST' && route.path === '/api/admin/campaigns';
        if (withBody) headers['content-type'] = 'application/json';
        const response = await request(route.method, route.path, { headers, body: withBody ? JSON.stringify(body) : undefined });
        expectAnswered(response.status, `${route.method} ${route.path}`);
        // Without the key: refused (401), or turned away before any route runs (a huge URL: 431; an unknown route or verb).
        if (!keyed && response.status < 300) throw new Error(`${route.method} ${route.path} without the key answered ${response.status}`);
        if (keyed && withBody && response.status === 400) {
          const answer = JSON.parse(response.bytes.toString('utf8')) as { error?: unknown; field?: unknown };
          if (typeof answer.field !== 'string' || typeof answer.error !== 'string' || !answer.error.includes(answer.field))
            throw new Error(`a 400 that names no field: ${response.bytes.toString('utf8').slice(0, 200)}`);
        }
      },
      checks,
    );
  });

  it('/api/dev/sms and /api/dev/calls/:token/answer (local mode): no server error, no failed turn, no unhandled rejection; the heap stays bounded', async () => {
    const callTokens: string[] = [];
    const placeCall = async () => {
      await caller.say('start over');
      await caller.click('Next');
      await caller.click('I want to set up a different method');
      await caller.click('Next', { method: 'phone' });
      clock.advance(61_000); // the resend cooldown of the number
      await caller.click('Next', { country: 'US', number: caller.phone, method: 'voice' });
      const calls = readOutbox(bot.outbox).filter((e) => e.channel === 'voice');
      const token = calls.length > 0 ? callTokenOf(calls.at(-1)!) : undefined;
      if (token && !callTokens.includes(token)) callTokens.push(token);
    };
    await placeCall();
    if (callTokens.length === 0) throw new Error('no call was placed');

    const json = (right: fc.Arbitrary<Record<string, unknown>>) =>
      fc.oneof(
        { weight: 6, arbitrary: right.map((body) => JSON.stringify(body)) },
        { weight: 1, arbitrary: junk.map((body) => JSON.stringify(body) ?? 'null') },
        { weight: 1, arbitrary: fc.constantFrom('{', '', '{"from":', '[]', 'null', '{"__proto__":{"from":"+12015550142"}}') },
      );
    const dev = fc.oneof(
      fc.record({
        route: fc.constant('sms' as const),
        body: json(
          fc.record(
            {
              from: fc.oneof(fc.constantFrom(SAM, SAM, '+14255550100', '+15005550006', 'not a number'), oddString, junk),
              text: fc.oneof(anyText, junk),
            },
            { requiredKeys: [] },
          ),
        ),
      }),
      fc.record({
        route: fc.constant('call' as const),
        newCall: fc.boolean(),
        token: fc.oneof(
          { weight: 3, arbitrary: fc.nat().map((back) => ({ back })) },
          { weight: 1, arbitrary: madeUpSegment.map((madeUp) => ({ madeUp })) },
        ),
        body: json(
          fc.record(
            { digits: fc.oneof(fc.constantFrom('#', '*', '', '1#'), fc.stringMatching(/^\d{1,3}$/), oddString, junk) },
            { requiredKeys: [] },
          ),
        ),
      }),
    );
    await fuzz(
      'devRoutes',
      dev,
      async (input) => {
        const headers = { 'content-type': 'application/json' };
        if (input.route === 'sms') {
          const response = await request('POST', '/api/dev/sms', { headers, body: input.body });
          expectAnswered(response.status, 'POST /api/dev/sms');
          const expected = Buffer.byteLength(input.body) > MAX_BODY_BYTES ? [413] : [200, 400];
          if (!expected.includes(response.status)) throw new Error(`POST /api/dev/sms got ${response.status}`);
          return;
        }
        if (input.newCall) await placeCall();
        const path =
          'back' in input.token
            ? encodeURIComponent(callTokens[callTokens.length - 1 - (input.token.back % callTokens.length)]!)
            : input.token.madeUp;
        // The number the chat shows would register the phone: the caller keeps it for the enrollment at the end.
        const shown = caller.matchNumber();
        const body = shown && input.body.includes(shown) ? input.body.split(shown).join('**') : input.body;
        const response = await request('POST', `/api/dev/calls/${path}/answer`, { headers, body });
        expectAnswered(response.status, 'POST /api/dev/calls/:token/answer');
      },
      checks,
      { betweenRounds: () => trim(bot.connector.received) },
    );
  });

  it('leaves the people able to go on as anyone does: both enroll from the start to Success (the QR code by its link), Sam registers his phone by text', async () => {
    clock.advance(25 * 60 * 60_000); // past any lockout window and into a new day of sends
    const codeTextedTo = (to: string) => lastTextedCode(bot.outbox, to);
    await enrollsNormally(qrPerson, clock, codeTextedTo);
    await enrollsNormally(caller, clock, codeTextedTo);
    const text = async (words: string) => {
      const response = await request('POST', '/api/dev/sms', {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ from: SAM, text: words }),
      });
      return ((JSON.parse(response.bytes.toString()) as { replies: string[] }).replies ?? []).join('\n');
    };
    await text('START');
    // A generated text plainly in Spanish may have settled Sam's language: he names his, as anyone can.
    await text('English');
    const menu = await text('menu');
    const option = /(\d+)\. Register this phone/.exec(menu)?.[1];
    if (!option) throw new Error(`Sam's menu:\n${menu}`);
    await text(option);
    const registered = await text(lastTextedCode(bot.outbox, SAM));
    if (!registered.includes('is registered')) throw new Error(`Sam's phone was not registered:\n${registered}`);
    rejections.check();
  });
});
