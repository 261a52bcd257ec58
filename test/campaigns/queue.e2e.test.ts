import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { type App, startApp } from '../../src/index';
import { createLogger } from '../../src/kit/log';
import { FrozenClock } from '../support/clock';
import { ConnectorStub } from '../support/connectorStub';
import { LOCAL_COSMOS_KEY, type LocalCosmos, startLocalCosmos } from '../support/cosmos';
import { ADMIN_KEY, admin, campaignBody, DAY, guid, T0, writeDirectory } from './support';

const PEOPLE = 40;
const RATE = 10;

/** Forty employees in London, in directory order. */
const directory = () =>
  writeDirectory(
    Array.from({ length: PEOPLE }, (_, i) => ({
      upn: `person${String(i).padStart(3, '0')}@contoso.com`,
      displayName: `Person ${i}`,
      role: 'employee',
      phones: [],
      aadObjectId: guid(1000 + i),
      timeZone: 'Europe/London',
    })),
  );

const everyone = Array.from({ length: PEOPLE }, (_, i) => guid(1000 + i));

const stores: Array<[string, () => Promise<{ env: Record<string, string>; agent?: LocalCosmos['agent']; stop(): Promise<void> }>]> = [
  ['SQLite', async () => ({ env: { STORE: 'sqlite' }, stop: async () => {} })],
  [
    'Cosmos DB',
    async () => {
      const cosmos = await startLocalCosmos();
      return {
        env: { STORE: 'cosmos', COSMOS_ENDPOINT: cosmos.endpoint, COSMOS_KEY: LOCAL_COSMOS_KEY, COSMOS_DATABASE: 'campaigns' },
        agent: cosmos.agent,
        stop: () => cosmos.stop(),
      };
    },
  ],
];

describe.each(stores)('the campaign send queue on one %s store', (_name, openStore) => {
  let store: Awaited<ReturnType<typeof openStore>>;
  let connector: ConnectorStub;
  let dataDir: string;
  let env: Record<string, string>;
  const clock = new FrozenClock(T0);
  const apps: App[] = [];
  const launch = async () => {
    const app = await startApp(loadConfig(env), { clock, log: createLogger('silent'), cosmosAgent: store.agent, campaignQueueMs: 0 });
    apps.push(app);
    return app;
  };
  const close = async (app: App) => {
    await app.close();
    apps.splice(apps.indexOf(app), 1);
  };

  beforeEach(async () => {
    store = await openStore();
    connector = await new ConnectorStub().start();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bot-queue-'));
    env = {
      PORT: '0',
      DATA_DIR: dataDir,
      ...store.env,
      ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
      ADMIN_API_KEY: ADMIN_KEY,
      DIRECTORY_FILE: directory(),
      TEAMS_SERVICE_URL: connector.url,
      CAMPAIGN_TEAMS_PER_SECOND: String(RATE),
    };
    clock.set(T0);
  });

  afterEach(async () => {
    for (const app of [...apps]) await close(app);
    await connector.stop();
    await store.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const asked = () => connector.conversationRequests.map(([member]) => member!);

  it('two instances working together send each person one message, never two, within the shared rate', async () => {
    const [a, b] = [await launch(), await launch()];
    expect((await admin(a.url).start(campaignBody({ roles: ['employee'], groups: [], exclude: [] }))).status).toBe(201);
    let seconds = 0;
    while (connector.created.length < PEOPLE && seconds < 20) {
      const before = connector.created.length;
      const passes = await Promise.all([a.campaigns.work(), b.campaigns.work(), a.campaigns.work(), b.campaigns.work()]);
      const sent = passes.reduce((n, p) => n + p.sent, 0);
      expect(sent).toBe(connector.created.length - before);
      // Ten a second between the two of them, however many passes ran.
      expect(sent).toBeLessThanOrEqual(RATE);
      clock.advance(1000);
      seconds++;
    }
    expect([...asked()].sort()).toEqual([...everyone].sort());
    expect(seconds).toBe(PEOPLE / RATE);
    // Nothing is due until the first reminder, a week before the deadline.
    expect((await Promise.all([a.campaigns.work(), b.campaigns.work()])).map((p) => p.sent)).toEqual([0, 0]);
    clock.set(T0 + 7 * DAY);
    while ((await a.campaigns.work()).sent > 0) clock.advance(1000);
    expect(asked()).toHaveLength(2 * PEOPLE);
    expect(new Set(asked().slice(PEOPLE))).toEqual(new Set(everyone));
  });

  it('a restart mid-queue carries on where the store is: the rest are reached, nobody twice', async () => {
    let app = await launch();
    const { id } = (await admin(app.url).start(campaignBody({ roles: ['employee'], groups: [], exclude: [] }))).json;
    expect((await app.campaigns.work()).sent).toBe(RATE);
    // The first ten in directory order.
    expect(new Set(asked())).toEqual(new Set(everyone.slice(0, RATE)));
    await close(app);
    app = await launch();
    expect((await admin(app.url).get(id)).json.counts).toMatchObject({ targeted: PEOPLE, reached: RATE });
    for (let second = 1; (await app.campaigns.work()).sent > 0 || second < 2; second++) clock.advance(1000);
    expect([...asked()].sort()).toEqual([...everyone].sort());
    expect((await admin(app.url).get(id)).json.counts).toMatchObject({ targeted: PEOPLE, reached: PEOPLE });
  });

  it("honours a 429's Retry-After on every instance: nothing more is asked of the connector until it has passed, then the person is reached once", async () => {
    const [a, b] = [await launch(), await launch()];
    let throttled = 1;
    connector.answerNewConversation = ([member]) =>
      member === everyone[0] && throttled-- > 0 ? { status: 429, headers: { 'retry-after': '120' } } : undefined;
    await admin(a.url).start(campaignBody({ roles: ['employee'], groups: [], exclude: [] }));
    const first = await a.campaigns.work();
    // The 429 came back while a few other sends were in flight (8 at a time); nothing new was started after it.
    expect(asked()[0]).toBe(everyone[0]);
    expect(asked().length).toBeLessThanOrEqual(8);
    expect(first.sent).toBe(asked().length - 1);
    // One request for the person throttled: the connector client did not retry by itself.
    expect(asked().filter((member) => member === everyone[0])).toHaveLength(1);
    const summary = await admin(b.url).call('GET', '/api/admin/summary');
    expect(summary.json.queue).toMatchObject({ pending: PEOPLE - first.sent, retryAfterUntil: new Date(T0 + 120_000).toISOString() });
    const before = asked().length;
    clock.advance(60_000);
    expect((await b.campaigns.work()).sent).toBe(0);
    expect((await a.campaigns.work()).sent).toBe(0);
    expect(asked()).toHaveLength(before);
    clock.advance(61_000);
    expect((await b.campaigns.work()).sent).toBe(RATE);
    expect(asked()[before]).toBe(everyone[0]);
    expect(connector.created.filter((c) => c.members[0]!.id === everyone[0])).toHaveLength(1);
    do clock.advance(1000);
    while ((await a.campaigns.work()).sent > 0);
    expect(connector.created).toHaveLength(PEOPLE);
  });
});
