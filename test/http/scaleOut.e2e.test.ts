import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config';
import { type App, startApp } from '../../src/index';
import { createLogger } from '../../src/kit/log';
import type { StoreCost } from '../../src/storage/metering';
import { appCodeFor } from '../support/authenticatorApp';
import { BotClient } from '../support/botClient';
import { cardOf, cardText, imageOf, saidIn } from '../support/cards';
import { FrozenClock } from '../support/clock';
import { ConnectorStub } from '../support/connectorStub';
import { LOCAL_COSMOS_KEY, type LocalCosmos, startLocalCosmos } from '../support/cosmos';
import { lastTextedCode } from '../support/outbox';
import { decodeQrDataUri } from '../support/qr';

/** Where the two instances keep their data: one Cosmos DB, or one SQLite file (two connections, as two processes on one disk). */
const stores: Array<[string, () => Promise<{ env: Record<string, string>; agent?: LocalCosmos['agent']; stop(): Promise<void> }>]> = [
  [
    'Cosmos DB',
    async () => {
      const cosmos = await startLocalCosmos();
      return {
        env: { STORE: 'cosmos', COSMOS_ENDPOINT: cosmos.endpoint, COSMOS_KEY: LOCAL_COSMOS_KEY, COSMOS_DATABASE: 'scale-out' },
        agent: cosmos.agent,
        stop: () => cosmos.stop(),
      };
    },
  ],
  ['SQLite', async () => ({ env: { STORE: 'sqlite' }, stop: async () => {} })],
];

/** Two bot instances on one store, as behind a load balancer; one person's turns alternate between them. */
describe.each(stores)('two instances on one %s store', (storeName, openStore) => {
  let store: Awaited<ReturnType<typeof openStore>>;
  let connector: ConnectorStub;
  let dataDir: string;
  const apps: App[] = [];
  const clock = new FrozenClock(Date.now());
  const costs: Array<{ type: string; cost: StoreCost }> = [];

  beforeAll(async () => {
    store = await openStore();
    connector = await new ConnectorStub().start();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bot-scale-'));
    const env = {
      PORT: '0',
      DATA_DIR: dataDir,
      ...store.env,
      ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
      LOG_LEVEL: 'debug',
      ADMIN_API_KEY: 'scale-out-admin-key-for-tests',
    };
    const logs = new Writable({
      write(chunk, _enc, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) {
          const entry = JSON.parse(line);
          if (entry.msg === 'turn cost') costs.push({ type: entry.activityType, cost: entry.storeCost });
        }
        done();
      },
    });
    for (let i = 0; i < 2; i++) {
      apps.push(await startApp(loadConfig(env), { clock, log: createLogger('debug', logs), cosmosAgent: store.agent }));
    }
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
    await connector.stop();
    await store.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** A client whose every request goes to the other instance than the last one. */
  const alternating = (user: { id: string; name: string; aadObjectId: string }) =>
    new BotClient(apps[0]!.url, connector, user).rotateAcross(apps.map((a) => a.url));

  const outbox = () => path.join(dataDir, 'outbox.jsonl');

  /** From the first contact to a code texted to `number` (the phone step, chosen as a different method). */
  async function toThePhoneCode(person: BotClient, number: string) {
    await person.open();
    await person.click('Next');
    await person.click('I want to set up a different method');
    await person.click('Next', { method: 'phone' });
    await person.click('Next', { country: 'US', number, method: 'sms' });
  }

  it('runs the whole wizard with every turn on the other instance, one store read and at most one write per ordinary turn', async () => {
    const person = alternating({ id: '29:scale-1', name: 'Scale One', aadObjectId: 'aad-scale-1' });
    costs.length = 0;
    await person.open(); // first contact
    await person.click('Next'); // More information required → Start by getting the app
    await person.click('Next'); // → Set up your account
    const ordinary = costs.splice(0);
    await person.click('Next'); // → Scan the QR code
    const uri = decodeQrDataUri(String(imageOf(person.lastCard())?.url));
    await person.click('Next', { code: appCodeFor(uri, clock.now()) });
    await person.click('Next', { country: 'US', number: '201 555 0123', method: 'sms' });
    await person.click('Next', { code: lastTextedCode(outbox()) });
    const [success] = await person.click('Next');
    expect(cardText(cardOf(success))).toContain('Success!');

    expect(ordinary).toHaveLength(3);
    for (const { cost } of ordinary) {
      expect(cost.reads).toBe(1);
      expect(cost.writes).toBeLessThanOrEqual(1);
      // Cosmos DB charges request units; SQLite has none to count.
      if (storeName === 'Cosmos DB') expect(cost.requestUnits).toBeGreaterThan(0);
    }
  });

  it('the wrong-code limit holds across instances: the 5th wrong code kills the code, whichever instance sees it', async () => {
    const person = alternating({ id: '29:scale-2', name: 'Scale Two', aadObjectId: 'aad-scale-2' });
    await toThePhoneCode(person, '201 555 0124');
    const right = lastTextedCode(outbox());
    const wrong = right === '000000' ? '111111' : '000000';
    const said: string[] = [];
    for (let i = 0; i < 5; i++) said.push(String(saidIn(await person.send({ text: wrong }))[0]));
    expect(said.slice(0, 4).map((t) => /(\d) tr/.exec(t)?.[1])).toEqual(['4', '3', '2', '1']);
    expect(said[4]).toMatch(/Too many wrong codes/);
    expect(String((await person.send({ text: right }))[0]?.text)).not.toMatch(/registered/);
  });

  it('forty wrong codes sent at once, spread over both instances, are compared at most attemptsPerCode times (the audit log counts them)', async () => {
    const user = { id: '29:scale-4', name: 'Scale Four', aadObjectId: 'aad-scale-4' };
    connector.addMember({ ...user, userPrincipalName: 'scale.four@contoso.com' });
    const person = alternating(user);
    await toThePhoneCode(person, '201 555 0126');
    const right = lastTextedCode(outbox());
    const wrong = right === '000000' ? '111111' : '000000';
    // Forty turns of one person at once: each reads the same document, and the slower ones lose their save and run again.
    await Promise.all(Array.from({ length: 40 }, () => person.post(person.activity({ text: wrong }))));
    const audit = await fetch(`${apps[0]!.url}/api/admin/audit?user=scale.four@contoso.com`, {
      headers: { authorization: 'Bearer scale-out-admin-key-for-tests' },
    });
    const { events } = (await audit.json()) as { events: Array<{ event: string }> };
    expect(events.filter((e) => e.event === 'verification.failed')).toHaveLength(5);
    expect(String((await person.send({ text: right }))[0]?.text)).not.toMatch(/registered/);
  });

  it('the resend cooldown and the daily cap hold across instances', async () => {
    const person = alternating({ id: '29:scale-3', name: 'Scale Three', aadObjectId: 'aad-scale-3' });
    await toThePhoneCode(person, '201 555 0125');
    clock.advance(30_000);
    expect((await person.click('Resend code'))[0]?.text).toBe('Please wait 30 seconds before asking for another code or call.');
    let sent = 1;
    for (let i = 0; i < 12; i++) {
      clock.advance(60_000);
      const [reply] = await person.click('Resend code');
      if (reply?.text?.startsWith('We sent a new code')) sent += 1;
      else expect(reply?.text).toMatch(/most texts and calls we can send in a day/);
    }
    expect(sent).toBe(10);
  });
});
