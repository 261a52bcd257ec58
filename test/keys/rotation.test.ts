import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { rekeyStore } from '../../src/cli/rekey';
import { loadConfig } from '../../src/config';
import { type App, startApp } from '../../src/index';
import { createLogger } from '../../src/kit/log';
import { appCodeFor } from '../support/authenticatorApp';
import { BotClient } from '../support/botClient';
import { cardOf, cardText, imageOf, saidIn } from '../support/cards';
import { FrozenClock } from '../support/clock';
import { ConnectorStub } from '../support/connectorStub';
import { LOCAL_COSMOS_KEY, type LocalCosmos, startLocalCosmos } from '../support/cosmos';
import { lastTextedCode } from '../support/outbox';
import { decodeQrDataUri } from '../support/qr';

const ADELE = { id: '29:rot-adele', name: 'Adele Vance', aadObjectId: 'aad-rot-adele', phone: '+12015550123' };
const BEN = { id: '29:rot-ben', name: 'Ben Walters', aadObjectId: 'aad-rot-ben' };
const DAN = { id: '29:rot-dan', name: 'Dan Jump', aadObjectId: 'aad-rot-dan' };
/** Two people who ask for codes to one number, a day's worth between them. */
const PAT = { id: '29:rot-pat', name: 'Pat Sender', aadObjectId: 'aad-rot-pat' };
const QUINN = { id: '29:rot-quinn', name: 'Quinn Sender', aadObjectId: 'aad-rot-quinn' };
const SHARED_NUMBER = '201 555 0155';
/** A number that texted STOP. */
const STOPPED = '+12015550177';
/** A number that texts a lot. */
const CHATTY = '+12015550188';

const keyA = `a:${randomBytes(32).toString('base64')}`;
const keyB = `b:${randomBytes(32).toString('base64')}`;

interface Backend {
  env: Record<string, string>;
  agent?: LocalCosmos['agent'];
  stop(): Promise<void>;
}

const backends: Array<[string, () => Promise<Backend>]> = [
  ['SQLite', async () => ({ env: {}, stop: async () => {} })],
  [
    'Cosmos DB',
    async () => {
      const cosmos = await startLocalCosmos();
      return {
        env: { STORE: 'cosmos', COSMOS_ENDPOINT: cosmos.endpoint, COSMOS_KEY: LOCAL_COSMOS_KEY, COSMOS_DATABASE: 'rotation' },
        agent: cosmos.agent,
        stop: () => cosmos.stop(),
      };
    },
  ],
];

/**
 * A key rotation with live data: everything made under key A, then the bot
 * restarted with `B,A`, then `npm run rekey`, then the bot with `B` alone.
 */
describe.each(backends)('a key rotation on %s', (_name, openBackend) => {
  const clock = new FrozenClock(Date.UTC(2026, 10, 28, 9, 0));
  let backend: Backend;
  let connector: ConnectorStub;
  let dataDir: string;
  let app: App | undefined;

  const env = (keys: string) => ({ PORT: '0', DATA_DIR: dataDir, ENCRYPTION_KEYS: keys, ...backend.env });
  const outbox = () => path.join(dataDir, 'outbox.jsonl');

  async function runWith(keys: string): Promise<void> {
    await app?.close();
    app = await startApp(loadConfig(env(keys)), { clock, log: createLogger('silent'), cosmosAgent: backend.agent });
    for (const client of Object.values(clients)) client.appUrl = app.url;
  }

  /** What the bot texts back to `from` (the dev SMS route). */
  async function text(from: string, body: string): Promise<string[]> {
    const response = await fetch(`${app!.url}/api/dev/sms`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from, text: body }),
    });
    return ((await response.json()) as { replies: string[] }).replies;
  }

  const clients: Record<string, BotClient> = {};

  /** Opens the wizard up to its QR card; returns the otpauth URI the app scans. */
  async function showQrCode(client: BotClient): Promise<string> {
    await client.open();
    await client.click('Next');
    await client.click('Next');
    await client.click('Next');
    return decodeQrDataUri(String(imageOf(client.lastCard())?.url));
  }

  /** Types the code the app shows (typed, as a click would carry the nonce of whichever card the connector saw last). */
  /** Asks for a code by text to the shared number, then `resends` more, a minute apart; returns what was said to the last. */
  async function askForCodes(client: BotClient, resends: number): Promise<string> {
    await client.open();
    await client.click('Next');
    await client.click('I want to set up a different method');
    await client.click('Next', { method: 'phone' });
    let said = saidIn(await client.click('Next', { country: 'US', number: SHARED_NUMBER, method: 'sms' }));
    for (let i = 0; i < resends; i++) {
      clock.advance(60_000);
      said = saidIn(await client.click('Resend code'));
    }
    return said.join('\n');
  }

  async function enterAppCode(client: BotClient, uri: string): Promise<string> {
    return saidIn(await client.send({ text: appCodeFor(uri, clock.now()) })).join('\n');
  }

  const pending: Record<string, string> = {};

  beforeAll(async () => {
    backend = await openBackend();
    connector = await new ConnectorStub().start();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rotation-'));
    for (const person of [ADELE, BEN, DAN, PAT, QUINN]) clients[person.name] = new BotClient('', connector, person);
    await runWith(keyA);

    // Under key A: Pat's codes (minutes apart), then, in the next ten minutes, what counts per ten minutes or waits a quarter of an hour.
    expect(await askForCodes(clients[PAT.name]!, 5)).toContain('We sent a new code');
    clock.set(Date.UTC(2026, 10, 28, 9, 10));
    // Adele registers an app and her phone; Ben and Dan stop at their QR codes.
    const adele = clients[ADELE.name]!;
    expect(await enterAppCode(adele, await showQrCode(adele))).toContain('Your code was accepted');
    await adele.click('Next', { country: 'US', number: '201 555 0123', method: 'sms' });
    await adele.click('Next', { code: lastTextedCode(outbox(), ADELE.phone) });
    const [success] = await adele.click('Next');
    expect(cardText(cardOf(success))).toContain('Success!');
    pending[BEN.name] = await showQrCode(clients[BEN.name]!);
    pending[DAN.name] = await showQrCode(clients[DAN.name]!);
    expect(await text(STOPPED, 'STOP')).toEqual([expect.stringContaining("You're unsubscribed")]);
    for (let i = 0; i < 20; i++) await text(CHATTY, 'hello');
  });

  afterAll(async () => {
    await app?.close();
    await connector.stop();
    await backend.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('with a new key first (B,A): a STOP holds, a registered phone finds its owner, limits keep counting, a secret sealed under A opens', async () => {
    await runWith(`${keyB},${keyA}`);
    expect(await text(STOPPED, 'menu')).toEqual([]);
    expect((await text(ADELE.phone, 'menu')).join('\n')).toContain('Reply with a number:');
    expect(await text(CHATTY, 'hello')).toEqual(['Too many messages. Please wait 10 minutes, then try again.']);
    expect(await enterAppCode(clients[BEN.name]!, pending[BEN.name]!)).toContain('Your code was accepted');
  });

  it('with B,A: the daily cap of a number counts the codes sent to it under A', async () => {
    expect(await askForCodes(clients[QUINN.name]!, 3)).toContain('We sent a new code');
    clock.advance(60_000);
    expect(saidIn(await clients[QUINN.name]!.click('Resend code')).join('\n')).toMatch(/most texts and calls we can send in a day/);
  });

  it('npm run rekey moves everything under B, and a second run finds nothing left to move', async () => {
    const config = loadConfig(env(`${keyB},${keyA}`));
    const { counts, primaryKeyId } = await rekeyStore(config, { log: createLogger('silent'), clock, cosmosAgent: backend.agent });
    expect(primaryKeyId).toBe('b');
    // Adele's and Ben's apps, and Dan's waiting to be scanned.
    expect(counts.secrets).toEqual({ moved: 3, current: 0, unknown: 0 });
    // Adele's phone and the number that said STOP.
    expect(counts.aliases).toMatchObject({ moved: 2, unknown: 0 });
    expect(counts.counters.moved).toBeGreaterThan(0);
    expect(counts.counters.unknown).toBe(0);

    const again = await rekeyStore(config, { log: createLogger('silent'), clock, cosmosAgent: backend.agent });
    expect(again.counts.secrets).toEqual({ moved: 0, current: 3, unknown: 0 });
    expect(again.counts.aliases.moved).toBe(0);
    expect(again.counts.counters.moved).toBe(0);
  });

  it('then with B alone everything still holds, and START still lifts the STOP', async () => {
    await runWith(keyB);
    expect(await text(STOPPED, 'menu')).toEqual([]);
    expect((await text(ADELE.phone, 'menu')).join('\n')).toContain('Reply with a number:');
    // Over the limit and warned already: silence (a count lost to the rotation would start again, with a reply).
    expect(await text(CHATTY, 'hello')).toEqual([]);
    expect(await enterAppCode(clients[DAN.name]!, pending[DAN.name]!)).toContain('Your code was accepted');
    expect(await text(STOPPED, 'START')).toEqual([expect.stringContaining('subscribed')]);
    expect((await text(STOPPED, 'menu')).join('\n')).toContain('helps by text only from phones registered');
  });
});
