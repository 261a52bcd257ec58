import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { TEAMS_USER } from '../support/botClient';
import { BotFixture } from '../support/botFixture';
import { lastTextedCode } from '../support/outbox';

const KEY = 'admin-key-for-tests-0123456789abcdef';
const run = promisify(execFile);

describe('the audit log, read by an admin', () => {
  let bot: BotFixture;

  beforeAll(async () => {
    bot = await BotFixture.start({ ADMIN_API_KEY: KEY });
    bot.connector.addMember({ ...TEAMS_USER, userPrincipalName: 'adele.vance@contoso.com' });
    // Adele (an employee in the sample directory) starts with her phone, and mistypes the code once.
    const { client, outbox } = bot;
    await client.open();
    await client.click('Next');
    await client.click('I want to set up a different method');
    await client.click('Next', { method: 'phone' });
    await client.click('Next', { country: 'US', number: '201 555 0123', method: 'sms' });
    await client.click('Next', { code: lastTextedCode(outbox) === '000000' ? '111111' : '000000' });
    await client.click('Next', { code: lastTextedCode(outbox) });
  });
  afterAll(() => bot.stop());

  const get = (query: string, key?: string) =>
    fetch(`${bot.app.url}/api/admin/audit${query}`, { headers: key ? { authorization: `Bearer ${key}` } : {} });

  it('refuses a request without the key or with another one', async () => {
    expect((await get('?user=adele.vance@contoso.com')).status).toBe(401);
    expect((await get('?user=adele.vance@contoso.com', `${KEY}x`)).status).toBe(401);
    expect((await get('', KEY)).status).toBe(400);
  });

  it('lists what happened to one person, masked, oldest first', async () => {
    const response = await get('?user=Adele.Vance@contoso.com', KEY);
    expect(response.status).toBe(200);
    const { events } = (await response.json()) as { events: Array<Record<string, unknown>> };
    expect(events.map((e) => [e.event, e.method, e.result, e.via])).toEqual([
      ['verification.failed', 'phone', 'failure', 'msteams'],
      ['method.added', 'phone', 'success', 'msteams'],
    ]);
    expect(events[1]).toMatchObject({ upn: 'adele.vance@contoso.com', detail: '+1 ••• ••• 0123' });
    expect(JSON.stringify(events)).not.toContain('2015550123');
  });

  it('records each successful read in the log it read: who, what, when', async () => {
    const before = Date.now();
    expect((await get('?user=megan.bowen@contoso.com', KEY)).status).toBe(200);
    const after = Date.now();
    const response = await get('?user=megan.bowen@contoso.com', KEY);
    const { events } = (await response.json()) as { events: Array<Record<string, unknown>> };
    expect(events).toEqual([
      {
        at: expect.any(Number),
        userId: 'admin api key',
        upn: 'megan.bowen@contoso.com',
        event: 'admin.action',
        result: 'success',
        via: 'admin',
        detail: 'audit log read by admin api key',
      },
    ]);
    expect(events[0]!.at).toBeGreaterThanOrEqual(before);
    expect(events[0]!.at).toBeLessThanOrEqual(after);
  });

  it('`npm run audit -- --user` prints the same from the data folder, with the read above', async () => {
    const { stdout } = await run(
      process.execPath,
      [path.join('node_modules', 'tsx', 'dist', 'cli.mjs'), 'src/cli/audit.ts', '--user', 'adele.vance@contoso.com'],
      {
        cwd: path.join(__dirname, '..', '..'),
        env: { ...process.env, DATA_DIR: bot.dataDir },
      },
    );
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^\S+Z {2}verification\.failed {2}failure {2}phone {2}- {2}via msteams$/);
    expect(lines[1]).toMatch(/method\.added {2}success {2}phone {2}\+1 ••• ••• 0123 {2}via msteams$/);
    expect(lines[2]).toMatch(/admin\.action {2}success {2}- {2}audit log read by admin api key {2}via admin$/);
  });
});
