import { BotFixture } from '../support/botFixture';
import { FrozenClock } from '../support/clock';
import { ADMIN_KEY, admin, campaignBody, guid, T0, writeDirectory } from './support';

const PEOPLE = 10_000;

describe('a campaign for 10,000 people', () => {
  let bot: BotFixture;
  const clock = new FrozenClock(T0);

  beforeAll(async () => {
    const directory = writeDirectory(
      Array.from({ length: PEOPLE }, (_, i) => ({
        upn: `person${i}@contoso.com`,
        displayName: `Person ${i}`,
        role: 'employee',
        phones: [],
        aadObjectId: guid(10_000 + i),
        timeZone: 'Europe/London',
      })),
    );
    bot = await BotFixture.start(
      (connectorUrl) => ({
        ADMIN_API_KEY: ADMIN_KEY,
        DIRECTORY_FILE: directory,
        TEAMS_SERVICE_URL: connectorUrl,
        CAMPAIGN_TEAMS_PER_SECOND: '50',
      }),
      { clock, campaignQueueMs: 0 },
    );
  });
  afterAll(() => bot.stop());

  it('enqueues everyone, and a pass of the queue sends within the rate', async () => {
    const api = admin(bot.app.url);
    const startedAt = performance.now();
    const started = await api.start(campaignBody({ roles: ['employee'], groups: [], exclude: [] }));
    const startMs = performance.now() - startedAt;
    expect(started.status).toBe(201);
    expect((await api.get(started.json.id)).json.counts).toMatchObject({ targeted: PEOPLE, reached: 0 });

    const passAt = performance.now();
    const pass = await bot.app.campaigns.work();
    const passMs = performance.now() - passAt;
    expect(pass.sent).toBe(50);
    expect(bot.connector.created).toHaveLength(50);

    const summaryAt = performance.now();
    const summary = await api.call('GET', '/api/admin/summary');
    const summaryMs = performance.now() - summaryAt;
    expect(summary.json.queue).toMatchObject({ pending: PEOPLE - 50, sentLastHour: 50 });
    expect(summary.json.campaigns[0].counts).toMatchObject({ targeted: PEOPLE, reached: 50 });
    console.log(
      `campaign for ${PEOPLE} people (SQLite): started and enqueued in ${Math.round(startMs)} ms; a queue pass over the backlog (50 sent) in ${Math.round(passMs)} ms; the summary in ${Math.round(summaryMs)} ms`,
    );
  });
});
