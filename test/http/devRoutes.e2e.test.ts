import { BotFixture } from '../support/botFixture';

const SAM = '+12015550142'; // on file in the sample directory

describe('the dev SMS route (local mode), sent bodies that are not texts', () => {
  let bot: BotFixture;
  beforeAll(async () => {
    bot = await BotFixture.start();
  });
  afterAll(() => bot.stop());

  const devSms = (body: unknown) =>
    fetch(`${bot.app.url}/api/dev/sms`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it.each([
    ['a number that is an object with a length that cannot be compared', { from: { length: { toString: null } }, text: 'menu' }],
    ['a text that is an object with a length that cannot be compared', { from: SAM, text: { length: { toString: null, valueOf: null } } }],
    ['a number that is an object with a numeric length', { from: { length: 12 }, text: 'menu' }],
  ])('answers %s with 400, and texts still work', async (_what, body) => {
    const refused = await devSms(body);
    expect(refused.status).toBe(400);
    expect(await refused.text()).not.toMatch(/TypeError|primitive/);
    const menu = await devSms({ from: SAM, text: 'menu' });
    expect(menu.status).toBe(200);
    expect(((await menu.json()) as { replies: string[] }).replies.join('\n')).toContain('Reply with a number');
  });
});
