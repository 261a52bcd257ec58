import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ADMIN_KEY, admin, campaignBody, cardOfActivity, DAY, guid, HOUR, PEOPLE, T0, writeDirectory } from '../campaigns/support';
import { appCodeFor } from '../support/authenticatorApp';
import { TEAMS_USER } from '../support/botClient';
import { BotFixture } from '../support/botFixture';
import { imageOf } from '../support/cards';
import { FrozenClock } from '../support/clock';
import { decodeQrDataUri } from '../support/qr';

const run = promisify(execFile);

describe('a registration campaign, from the admin API to the people it reaches in Teams', () => {
  let bot: BotFixture;
  const clock = new FrozenClock(T0);
  let api: ReturnType<typeof admin>;

  beforeAll(async () => {
    const directory = writeDirectory(PEOPLE);
    bot = await BotFixture.start(
      (connectorUrl) => ({ ADMIN_API_KEY: ADMIN_KEY, DIRECTORY_FILE: directory, TEAMS_SERVICE_URL: connectorUrl, ALLOWED_TENANT_ID: '' }),
      { clock, campaignQueueMs: 0 },
    );
    bot.connector.addMember({ ...TEAMS_USER, userPrincipalName: 'adele.vance@contoso.com' });
    // Teams refuses a chat with someone who never installed the app.
    bot.connector.answerNewConversation = (members) => (members.includes(guid(5)) ? { status: 403 } : undefined);
    api = admin(bot.app.url);
  });
  afterAll(() => bot.stop());

  it('refuses a request without the key, and a bad field by its name', async () => {
    expect((await api.call('POST', '/api/admin/campaigns', campaignBody(), null)).status).toBe(401);
    expect((await api.call('GET', '/api/admin/campaigns', undefined, `${ADMIN_KEY}x`)).status).toBe(401);
    expect((await api.call('GET', '/api/admin/summary', undefined, null)).status).toBe(401);
    expect((await api.call('GET', '/api/admin/reports/registration.csv', undefined, null)).status).toBe(401);
    const cases: Array<[object, string]> = [
      [{ snoozeDays: 15 }, 'snoozeDays'],
      [{ methods: ['carrierPigeon'] }, 'methods.0'],
      [{ deadline: 'next friday' }, 'deadline'],
      [{ deadline: new Date(T0 - DAY).toISOString() }, 'deadline'],
      [{ channels: ['fax'] }, 'channels.0'],
      [{ roles: ['astronaut'] }, 'roles'],
      [{ unexpected: true }, 'body'],
      // Typed before measured: a "length" that cannot be compared is a wrong type, not a crash.
      [{ name: { length: { toString: null, valueOf: null } } }, 'name'],
      [{ roles: { length: { toString: null } } }, 'roles'],
    ];
    for (const [change, field] of cases) {
      const response = await api.start(campaignBody(change));
      expect(response.status).toBe(400);
      expect(response.json.field).toBe(field);
      expect(response.json.error).toContain(field === 'body' ? 'unexpected' : field);
    }
    const { name: _, ...noName } = campaignBody();
    expect((await api.start(noName)).json.field).toBe('name');
  });

  let id = '';

  it('starts with 201 and an id, targeting roles or groups, less the excluded', async () => {
    const response = await api.start(campaignBody());
    expect(response.status).toBe(201);
    id = response.json.id;
    expect(id).toMatch(/^cmp-/);
    const view = await api.get(id);
    expect(view.status).toBe(200);
    // Employees and admins, and the Finance student; not Sam (a student outside Finance), not the excluded one.
    expect(view.json).toMatchObject({
      id,
      state: 'running',
      counts: { targeted: 5, reached: 0, opened: 0, completed: 0, snoozed: 0, unreachable: 0 },
    });
    expect((await api.get('cmp-doesnotexist')).status).toBe(404);
  });

  it('reaches people in directory order through the connector, in their tenant, outside their quiet hours, and reports who cannot be reached', async () => {
    const pass = await bot.app.campaigns.work();
    const asked = bot.connector.conversationRequests.map(([member]) => member);
    // Adele, Megan, (Night Owl: 01:00 in Los Angeles, later), No App (refused), the Finance student.
    expect(asked).toEqual([TEAMS_USER.aadObjectId, guid(2), guid(5), guid(7)]);
    expect(pass.sent).toBe(3);
    expect(bot.connector.created.map((c) => c.tenantId)).toEqual([undefined, undefined, undefined]);
    const card = cardOfActivity(bot.connector.received.at(-3)!)!;
    expect(card.actions).toEqual(['Set it up now', 'Not now']);
    expect(card.texts.join('\n')).toContain('Authenticator rollout');
    expect(card.texts.join('\n')).toContain('3 snoozes left');
    expect(card.texts.join('\n')).toContain('By: Saturday 12 December at 09:00 (Europe/London)');

    // Nothing more now: the one refused is not asked again.
    const again = await bot.app.campaigns.work();
    expect(again.sent).toBe(0);
    expect(bot.connector.conversationRequests).toHaveLength(4);
    expect((await api.get(id)).json.counts).toMatchObject({ targeted: 5, reached: 3, unreachable: 1 });

    // 08:00 in Los Angeles: Night Owl's turn.
    clock.set(Date.UTC(2026, 10, 28, 16, 0, 0));
    expect((await bot.app.campaigns.work()).sent).toBe(1);
    expect(bot.connector.conversationRequests.at(-1)).toEqual([guid(4)]);
  });

  it('"Not now" snoozes and says when the next reminder comes and how many snoozes are left; a second click of the same card changes nothing', async () => {
    const { client } = bot;
    // Adele's card is the first one sent.
    const adeleCard = bot.connector.received.find((a) => cardOfActivity(a))!;
    bot.connector.received.push(adeleCard);
    const replies = await client.click('Not now');
    expect(replies.map((r) => r.text)).toEqual([
      expect.stringMatching(/^OK, not now\. I'll remind you Monday 30 November at 16:00 \(Europe\/London\)\. 2 snoozes left\.$/),
    ]);
    bot.connector.received.push(adeleCard);
    const repeated = await client.click('Not now');
    expect(repeated[0]!.text).toContain('2 snoozes left');
    expect((await api.get(id)).json.counts).toMatchObject({ snoozed: 1, opened: 1 });
  });

  it('after the last snooze, the next contact says it is required and offers no "Not now"', async () => {
    const { client } = bot;
    for (const left of ['1 snooze left', 'That was your last snooze']) {
      clock.advance(2 * DAY + HOUR);
      await bot.app.campaigns.work();
      const card = [...bot.connector.received].reverse().find((a) => cardOfActivity(a))!;
      expect(cardOfActivity(card)!.actions).toContain('Not now');
      bot.connector.received.push(card);
      expect((await client.click('Not now'))[0]!.text).toContain(left);
    }
    clock.advance(2 * DAY + HOUR);
    const before = bot.connector.created.length;
    await bot.app.campaigns.work();
    // Once she has chatted with the bot, by her Teams user id (Teams takes either).
    expect(bot.connector.created.slice(before).map((c) => c.members[0]!.id)).toContain(TEAMS_USER.id);
    const last = [...bot.connector.received].reverse().find((a) => cardOfActivity(a) && JSON.stringify(a).includes('required'))!;
    const card = cardOfActivity(last)!;
    expect(card.actions).toEqual(['Set it up now']);
    expect(card.texts.join('\n')).toContain('This is required now');
  });

  it('"Set it up now" opens the wizard at the campaign\'s method; whoever completes is not contacted again', async () => {
    const { client } = bot;
    const [wizard] = await client.click('Set it up now');
    const texts = cardOfActivity(wizard!)!.texts;
    expect(texts[0]).toBe("Let's set up your authenticator app.");
    expect(texts).toContain('Microsoft Authenticator');
    expect((await api.get(id)).json.counts.opened).toBe(1);
    // Through the app's steps, as a person does.
    await client.click('Next');
    await client.click('Next');
    const uri = decodeQrDataUri(String(imageOf(client.lastCard())!.url));
    await client.click('Next', { code: appCodeFor(uri, clock.now()) });
    expect((await api.get(id)).json.counts).toMatchObject({ completed: 1, snoozed: 0 });
    clock.advance(7 * DAY);
    const before = bot.connector.conversationRequests.length;
    await bot.app.campaigns.work();
    // Others are reminded; Adele, by either of her ids, is not.
    const asked = bot.connector.conversationRequests.slice(before).flat();
    expect(asked).toContain(guid(4));
    expect(asked).not.toContain(TEAMS_USER.aadObjectId);
    expect(asked).not.toContain(TEAMS_USER.id);
  });

  it('pauses, resumes and stops; a paused campaign sends nothing; each action is audited', async () => {
    expect((await api.call('POST', `/api/admin/campaigns/${id}/pause`)).json).toEqual({ id, state: 'paused' });
    expect((await api.get(id)).json.state).toBe('paused');
    clock.advance(3 * DAY);
    const before = bot.connector.conversationRequests.length;
    expect((await bot.app.campaigns.work()).sent).toBe(0);
    expect(bot.connector.conversationRequests).toHaveLength(before);
    expect((await api.call('POST', `/api/admin/campaigns/${id}/pause`)).status).toBe(409);
    expect((await api.call('POST', `/api/admin/campaigns/${id}/resume`)).json.state).toBe('running');
    expect((await api.call('POST', `/api/admin/campaigns/${id}/stop`)).json.state).toBe('stopped');
    expect((await api.call('POST', `/api/admin/campaigns/${id}/resume`)).status).toBe(409);
    expect((await api.call('POST', `/api/admin/campaigns/${id}/explode`)).status).toBe(404);
    expect((await api.call('POST', '/api/admin/campaigns/cmp-nope/stop')).status).toBe(404);
    const audit = await api.call('GET', `/api/admin/audit?user=campaign:${id}`);
    expect(audit.json.events.map((e: { event: string }) => e.event)).toEqual([
      'campaign.started',
      'campaign.paused',
      'campaign.resumed',
      'campaign.stopped',
    ]);
    const adele = await api.call('GET', '/api/admin/audit?user=adele.vance@contoso.com');
    expect(adele.json.events.map((e: { event: string }) => e.event)).toEqual(
      expect.arrayContaining(['campaign.snoozed', 'campaign.opened']),
    );
  });

  it('the list, the summary and the CSV agree, and the CSV holds method kinds, never numbers', async () => {
    const list = await api.call('GET', '/api/admin/campaigns');
    expect(list.status).toBe(200);
    expect(list.json.campaigns).toEqual([expect.objectContaining({ id, name: 'Authenticator rollout', state: 'stopped' })]);
    const summary = await api.call('GET', '/api/admin/summary');
    expect(summary.status).toBe(200);
    expect(summary.json.campaigns[0].counts).toEqual(list.json.campaigns[0].counts);
    expect(summary.json.people.total).toBe(PEOPLE.length);
    expect(Object.keys(summary.json.people.byStatus)).toEqual(['registered', 'inProgress', 'snoozed', 'notReached', 'unreachable']);
    expect(summary.json.people.byStatus.unreachable).toBe(1);
    expect(summary.json.filters.roles).toEqual(expect.arrayContaining(['employee', 'student', 'admin']));
    expect(summary.json.filters.groups).toEqual(['Finance']);
    expect(summary.json.completions).toHaveLength(30);
    expect(summary.json.tickets).toEqual({ open: 0, claimed: 0 });
    expect(summary.json.queue).toMatchObject({ pending: 0, retryAfterUntil: null });
    expect(summary.json.queue.sentLastHour).toBeGreaterThanOrEqual(0);
    const students = await api.call('GET', '/api/admin/summary?role=student');
    expect(students.json.people.total).toBe(2);
    expect((await api.call('GET', '/api/admin/summary?method=pigeon')).json.field).toBe('method');

    const csv = await api.call('GET', '/api/admin/reports/registration.csv');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const [header, ...rows] = csv.text.trim().split('\r\n');
    expect(header).toBe(
      'userPrincipalName,userDisplayName,role,isAdmin,methodsRegistered,userPreferredMethodForSecondaryAuthentication,isMfaRegistered,isMfaCapable,isSsprRegistered,isSsprCapable,lastUpdatedDateTime,status,campaign,campaignStatus,snoozesUsed,lastContactedDateTime',
    );
    expect(rows).toHaveLength(PEOPLE.length);
    const adele = rows.find((r) => r.startsWith('adele.vance@contoso.com'))!.split(',');
    // Her app is registered (the campaign is done) but not yet the phone her role also requires.
    expect(adele.slice(4, 8)).toEqual(['authenticatorApp', 'authenticatorApp', 'true', 'false']);
    expect(adele[11]).toBe('inProgress');
    expect(adele[13]).toBe('completed');
    expect(adele[14]).toBe('3');
    const noApp = rows.find((r) => r.startsWith('no.app@contoso.com'))!.split(',');
    expect(noApp[13]).toBe('unreachable');
    // Statuses in the CSV add up to the summary's.
    const statuses = rows.map((r) => r.split(',')[11]);
    for (const [status, count] of Object.entries(summary.json.people.byStatus))
      expect(statuses.filter((s) => s === status)).toHaveLength(count as number);
    for (const person of PEOPLE) for (const phone of person.phones) expect(csv.text).not.toContain(phone.slice(2));
    // Everyone's registration in one file: each read is in the audit log.
    const reads = await api.call('GET', '/api/admin/audit?user=report:registration');
    expect(reads.json.events).toEqual([
      expect.objectContaining({ event: 'admin.action', userId: 'admin api key', detail: 'registration report read by admin api key' }),
    ]);
  });

  it('`npm run campaign -- start --file` starts one from YAML through the same API, and names a mistake in the file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'campaign-yaml-'));
    const good = path.join(dir, 'good.yaml');
    fs.writeFileSync(
      good,
      [
        'name: From YAML',
        'roles: [student]',
        'methods: [phone]',
        `startsAt: ${new Date(clock.now()).toISOString()}`,
        `deadline: "${new Date(clock.now() + 7 * DAY).toISOString()}"`,
      ].join('\n'),
    );
    const bad = path.join(dir, 'bad.yaml');
    fs.writeFileSync(
      bad,
      [
        'name: Bad',
        'roles: [student]',
        'methods: [phone]',
        'startsAt: 2026-12-01T09:00:00Z',
        'deadline: 2026-12-15T09:00:00Z',
        'snoozeDays: 30',
      ].join('\n'),
    );
    const cli = (...args: string[]) =>
      run(process.execPath, [path.join('node_modules', 'tsx', 'dist', 'cli.mjs'), 'src/cli/campaign.ts', ...args, '--url', bot.app.url], {
        cwd: path.join(__dirname, '..', '..'),
        env: { ...process.env, ADMIN_API_KEY: ADMIN_KEY, DATA_DIR: bot.dataDir },
      });
    const { stdout } = await cli('start', '--file', good);
    const id = /Started (cmp-\w+)\./.exec(stdout)![1]!;
    expect(stdout).toContain('From YAML');
    expect((await api.get(id)).json).toMatchObject({ state: 'running', counts: { targeted: 2 } });
    await expect(cli('start', '--file', bad)).rejects.toMatchObject({ stderr: expect.stringContaining('snoozeDays') });
    expect((await cli('list')).stdout).toContain(id);
    expect((await cli('pause', id)).stdout).toContain('paused');
  });
});
