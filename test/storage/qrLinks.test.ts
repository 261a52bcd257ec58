import { QrLinks } from '../../src/presentation/qrLinks';
import { SqliteStore } from '../../src/storage/sqliteStore';
import { cryptoRandom } from '../../src/verification/ports';
import { SecretBox } from '../../src/verification/secretBox';
import { FrozenClock } from '../support/clock';
import { testKey } from '../support/keys';

const BASE = 'http://127.0.0.1:3978';
const URI = 'otpauth://totp/Contoso:adele?secret=JBSWY3DPEHPK3PXP&issuer=Contoso';

/** QR_IMAGE_MODE=url: a link lives no longer than its card, nor than its enrollment. */
describe('QR image links', () => {
  const clock = new FrozenClock();
  let store: SqliteStore;
  let links: QrLinks;
  beforeEach(() => {
    store = new SqliteStore(':memory:', clock, cryptoRandom);
    links = new QrLinks(store, new SecretBox([testKey()], cryptoRandom), cryptoRandom, clock, BASE);
  });
  afterEach(() => store.close());

  const tokenOf = (image: string) => image.slice(`${BASE}/api/qr/`.length, -'.png'.length);

  it('a revoked link gives nothing, though never fetched; other links keep working', async () => {
    const [retired, current] = [await links.create(URI), await links.create(URI)];
    await links.revoke(links.handleOf(retired)!);
    expect(await links.take(tokenOf(retired))).toBeUndefined();
    expect(await links.take(tokenOf(current))).toBeInstanceOf(Buffer);
  });

  it('a handle is no working link, and revokes nothing but its own link', async () => {
    const image = await links.create(URI);
    const handle = links.handleOf(image)!;
    expect(handle).not.toContain(tokenOf(image));
    expect(await links.take(handle)).toBeUndefined();
    await links.revoke(tokenOf(image));
    expect(await links.take(tokenOf(image))).toBeInstanceOf(Buffer);
  });

  it('an image that is no link of its own (a data URI, another address) has no handle', () => {
    const token = 'A'.repeat(43);
    for (const image of ['data:image/png;base64,iVBORw0KGgo=', `http://elsewhere.example/api/qr/${token}.png`, `${BASE}/api/qr/x.png`]) {
      expect(links.handleOf(image)).toBeUndefined();
    }
    expect(links.handleOf(`${BASE}/api/qr/${token}.png`)).toMatch(/^k1\./);
  });

  it('a link stops when its enrollment ends, if that is sooner than its ten minutes', async () => {
    const image = await links.create(URI, clock.now() + 3 * 60_000);
    clock.advanceMinutes(3);
    expect(await links.take(tokenOf(image))).toBeUndefined();
  });
});
