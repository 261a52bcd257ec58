import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { documentIdsOf } from '../../src/cli/rekey';
import { loadConfig } from '../../src/config';
import { QrLinks } from '../../src/presentation/qrLinks';
import { Aliases } from '../../src/storage/aliases';
import { StoreCounters } from '../../src/storage/counters';
import { SqliteStore, sqliteFileIn } from '../../src/storage/sqliteStore';
import { cryptoRandom } from '../../src/verification/ports';
import { type EncryptionKey, SecretBox } from '../../src/verification/secretBox';
import { FrozenClock } from '../support/clock';
import { testKey } from '../support/keys';

const ADELE_PHONE = '+12015550123';
const OTHER_PHONE = '+12015550177';
const DAY = 24 * 60 * 60_000;

/** Documents named by keyed hashes, across a key rotation (A, then B before A, then B alone). */
describe('documents named by keyed hashes across a key rotation', () => {
  const clock = new FrozenClock();
  const [a, b] = [testKey('a'), testKey('b')];
  let dataDir: string;
  let store: SqliteStore;
  let listing: Awaited<ReturnType<typeof documentIdsOf>>;
  beforeEach(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rotation-'));
    store = new SqliteStore(sqliteFileIn(dataDir), clock, cryptoRandom);
    listing = await documentIdsOf(loadConfig({ DATA_DIR: dataDir }));
  });
  afterEach(async () => {
    listing.close();
    await store.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const box = (...keys: EncryptionKey[]) => new SecretBox(keys, cryptoRandom);
  /** What `npm run rekey` lists. */
  const ids = (collection: 'aliases' | 'counters') => listing.ids(collection);

  it('a per-destination cap keeps counting across a rotation within its window, and after a rekey with the new key alone', async () => {
    const counters = new StoreCounters(store);
    const cap = (secretBox: SecretBox) => counters.take(secretBox.keyedNames(ADELE_PHONE).of('sends:destination:'), 3, clock.now() + DAY);
    expect([await cap(box(a)), await cap(box(a))]).toEqual([true, true]);
    expect([await cap(box(b, a)), await cap(box(b, a))]).toEqual([true, false]);
    expect(await counters.rekey(await ids('counters'), box(b, a))).toEqual({ moved: 1, current: 1, unknown: 0 });
    expect(await cap(box(b))).toBe(false);
    // Every take counted (a refused one too: counting is one atomic step), none lost to the rotation: 2 + 2 + 1, then this one.
    expect(await counters.increment(box(b).keyedNames(ADELE_PHONE).of('sends:destination:'), clock.now() + DAY)).toBe(6);
  });

  it('a number’s record found under an older key moves under the primary key the first time it changes, and its old copy goes', async () => {
    await new Aliases(store, box(a)).linkPhone(ADELE_PHONE, 'aad:adele');
    const rotated = new Aliases(store, box(b, a));
    await rotated.setOptedOut(ADELE_PHONE, true, clock.now());
    expect(await ids('aliases')).toEqual(box(b).keyedNames(ADELE_PHONE).of('phone:').names);
    expect(await new Aliases(store, box(b)).phone(ADELE_PHONE)).toEqual({ personId: 'aad:adele', optedOut: true });
  });

  it('a rekey moves records written before they kept their number when a profile knows it, and counts the others as unknown', async () => {
    // Records as this version's predecessor wrote them: no sealed number.
    for (const phone of [ADELE_PHONE, OTHER_PHONE]) {
      await store.put('aliases', `phone:${box(a).keyedHash(phone)}`, { personIds: [`owner of ${phone}`] });
    }
    const rotated = new Aliases(store, box(b, a));
    expect(await rotated.rekey(await ids('aliases'), [ADELE_PHONE])).toEqual({ moved: 1, current: 0, unknown: 1 });
    const alone = new Aliases(store, box(b));
    expect((await alone.phone(ADELE_PHONE)).personId).toBe(`owner of ${ADELE_PHONE}`);
    expect((await alone.phone(OTHER_PHONE)).personId).toBeUndefined();
    // Moved, it keeps its number now: the next rotation needs no profile.
    const c = testKey('c');
    expect(await new Aliases(store, box(c, b)).rekey(await ids('aliases'), [])).toMatchObject({ moved: 1, unknown: 1 });
    expect((await new Aliases(store, box(c)).phone(ADELE_PHONE)).personId).toBe(`owner of ${ADELE_PHONE}`);
  });

  it('a QR link made just before a rotation still gives its image once after it', async () => {
    const links = (secretBox: SecretBox) => new QrLinks(store, secretBox, cryptoRandom, clock, 'http://127.0.0.1:1');
    const image = await links(box(a)).create('otpauth://totp/Contoso:adele?secret=JBSWY3DPEHPK3PXP&issuer=Contoso');
    const token = image.split('/').at(-1)!.replace('.png', '');
    const png = await links(box(b, a)).take(token);
    expect(PNG.sync.read(png!).width).toBeGreaterThan(0);
    expect(await links(box(b, a)).take(token)).toBeUndefined();
  });
});
