import fs from 'node:fs';
import path from 'node:path';
import { BotClient } from '../support/botClient';
import { BotFixture } from '../support/botFixture';
import { cardOf, imageOf } from '../support/cards';
import { decodeQrPng } from '../support/qr';

describe('QR_IMAGE_MODE=url: the QR code served by the bot', () => {
  let bot: BotFixture;
  beforeAll(async () => {
    bot = await BotFixture.start({ QR_IMAGE_MODE: 'url' }, {}, { publicUrl: true });
  });
  afterAll(() => bot.stop());

  it('puts an unguessable link in the card that gives the QR once, uncached, and keeps no usable link or URI in the store', async () => {
    const { client, publicBaseUrl, dataDir } = bot;
    await client.open();
    await client.click('Next');
    await client.click('Next');
    const [qr] = await client.click('Next');
    const image = imageOf(cardOf(qr))!;
    const url = String(image.url);
    expect(url).toMatch(new RegExp(`^${publicBaseUrl}/api/qr/[A-Za-z0-9_-]{43}\\.png$`));
    expect(image.altText).toMatch(/QR code/);

    const first = await fetch(url);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('image/png');
    expect(first.headers.get('cache-control')).toBe('no-store');
    const uri = decodeQrPng(Buffer.from(await first.arrayBuffer()));
    expect(uri).toMatch(/^otpauth:\/\/totp\//);

    expect((await fetch(url)).status).toBe(404);
    expect((await fetch(`${publicBaseUrl}/api/qr/${'A'.repeat(43)}.png`)).status).toBe(404);
    expect((await fetch(`${publicBaseUrl}/api/qr/..%2F..%2Fetc.png`)).status).toBe(404);

    const bytes = fs
      .readdirSync(dataDir)
      .filter((f) => f.startsWith('security-info.sqlite'))
      .map((f) => fs.readFileSync(path.join(dataDir, f)).toString('latin1'))
      .join('');
    expect(bytes).not.toContain('otpauth');
    expect(bytes).not.toContain(url.split('/').at(-1)!.replace('.png', ''));
  });

  it('stops a link the moment its card leaves the chat (Back, cancel), though it was never fetched', async () => {
    const client = new BotClient(bot.app.url, bot.connector, { id: '29:qr-back', name: 'Quinn Back', aadObjectId: 'aad-qr-back' });
    const qrLink = async () => String(imageOf(cardOf((await client.click('Next'))[0]))!.url);
    await client.open();
    await client.click('Next');
    await client.click('Next');

    const leftByBack = await qrLink();
    await client.click('Back');
    expect((await fetch(leftByBack)).status).toBe(404);

    const cancelled = await qrLink();
    expect(cancelled).not.toBe(leftByBack);
    await client.send({ text: 'cancel' });
    expect((await fetch(cancelled)).status).toBe(404);
  });
});
