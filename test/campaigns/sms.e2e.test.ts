import { BotFixture } from '../support/botFixture';
import { FrozenClock } from '../support/clock';
import { readOutbox } from '../support/outbox';
import { ADMIN_KEY, admin, campaignBody, guid, T0, writeDirectory } from './support';

const PEOPLE = [
  // No object id: only a text can reach her.
  { upn: 'text.only@contoso.com', displayName: 'Text Only', role: 'employee', phones: ['+14255550110'], timeZone: 'Europe/London' },
  // Teams refuses (the app is not installed): the text comes instead.
  {
    upn: 'no.app@contoso.com',
    displayName: 'No App',
    role: 'employee',
    phones: ['+14255550111'],
    aadObjectId: guid(11),
    timeZone: 'Europe/London',
  },
  // Said STOP to our texts, and has no Teams: nobody can reach him.
  { upn: 'stopped@contoso.com', displayName: 'Stopped', role: 'employee', phones: ['+14255550112'], timeZone: 'Europe/London' },
  // Reached in Teams: no text.
  {
    upn: 'teams@contoso.com',
    displayName: 'In Teams',
    role: 'employee',
    phones: ['+14255550113'],
    aadObjectId: guid(13),
    timeZone: 'Europe/London',
  },
];

describe('a campaign that may text people', () => {
  let bot: BotFixture;
  const clock = new FrozenClock(T0);

  beforeAll(async () => {
    bot = await BotFixture.start(
      (connectorUrl) => ({
        ADMIN_API_KEY: ADMIN_KEY,
        DIRECTORY_FILE: writeDirectory(PEOPLE),
        TEAMS_SERVICE_URL: connectorUrl,
        CAMPAIGN_SMS_PER_SECOND: '10',
      }),
      { clock, campaignQueueMs: 0 },
    );
    bot.connector.answerNewConversation = (members) => (members.includes(guid(11)) ? { status: 403 } : undefined);
  });
  afterAll(() => bot.stop());

  it('texts those Teams cannot reach, where the directory has a mobile, never a number that said STOP', async () => {
    const stop = await fetch(`${bot.app.url}/api/dev/sms`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: '+14255550112', text: 'STOP' }),
    });
    expect(stop.status).toBe(200);
    const api = admin(bot.app.url);
    const { id } = (await api.start(campaignBody({ roles: ['employee'], groups: [], exclude: [], channels: ['teams', 'sms'] }))).json;
    // Each pass moves everyone one channel on: Teams, then a text, then nothing.
    for (let pass = 0; pass < 3; pass++) {
      await bot.app.campaigns.work();
      clock.advance(1000);
    }
    const texts = readOutbox(bot.outbox).filter(
      (e) => e.channel === 'sms' && e.body.includes('please set up your authenticator app (Authenticator rollout)'),
    );
    expect(texts.map((t) => t.to).sort()).toEqual(['+14255550110', '+14255550111']);
    expect(texts[0]!.body).toContain('Reply STOP to opt out');
    expect(bot.connector.created.map((c) => c.members[0]!.id)).toEqual([guid(13)]);
    expect((await api.get(id)).json.counts).toMatchObject({ targeted: 4, reached: 3, unreachable: 1 });
  });
});
