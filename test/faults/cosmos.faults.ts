import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { type App, startApp } from '../../src/index';
import { createLogger } from '../../src/kit/log';
import { CosmosStore } from '../../src/storage/cosmosStore';
import { systemClock } from '../../src/verification/ports';
import { eventually } from '../e2e/support/mail';
import { ConnectorStub } from '../support/connectorStub';
import { LOCAL_COSMOS_KEY, type LocalCosmos, startLocalCosmos } from '../support/cosmos';
import { FaultProxy, localhostTls, type SeenRequest } from '../support/faultProxy';
import { enrollThroughFaults, FaultPerson, LEAKED, methodsOf, nextMove, outboxCodes, phoneFor, stepOf, WITH_REFERENCE } from './support';

const DATABASE = 'faults';

/** Requests on a person's document (reads and conditional writes of the `state` container). */
const onState = (r: SeenRequest) => r.path.includes('/colls/state/docs');
const writesState = (r: SeenRequest) => onState(r) && r.method !== 'GET';

/** The bot on Cosmos DB through a fault proxy: Cosmos answers 429, 503, hangs and drops connections in the middle of enrollments. */
describe('Cosmos DB faults, through a fault proxy in front of a local Cosmos DB server', () => {
  let cosmos: LocalCosmos;
  let proxy: FaultProxy;
  let connector: ConnectorStub;
  let dataDir: string;
  let app: App;
  let direct: CosmosStore;
  let people = 0;
  let env: Record<string, string>;

  beforeAll(async () => {
    cosmos = await startLocalCosmos();
    const tls = await localhostTls();
    proxy = await new FaultProxy({ target: cosmos.endpoint, tls, upstreamAgent: cosmos.agent }).start();
    connector = await new ConnectorStub().start();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'faults-cosmos-'));
    env = {
      PORT: '0',
      DATA_DIR: dataDir,
      STORE: 'cosmos',
      COSMOS_ENDPOINT: proxy.url,
      COSMOS_KEY: LOCAL_COSMOS_KEY,
      COSMOS_DATABASE: DATABASE,
      ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 9).toString('base64')}`,
    };
    // The bot trusts the proxy's certificate, for its own client only.
    app = await startApp(loadConfig(env), { log: createLogger('silent'), cosmosAgent: new https.Agent({ ca: tls.cert, keepAlive: true }) });
    // The test reads the store past the proxy.
    direct = await CosmosStore.open(
      { endpoint: cosmos.endpoint, key: LOCAL_COSMOS_KEY, database: DATABASE, agent: cosmos.agent },
      systemClock,
    );
  });

  afterAll(async () => {
    await app?.close();
    await direct?.close();
    await proxy?.stop();
    await connector?.stop();
    await cosmos?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  afterEach(() => proxy.clear());

  const person = () => {
    people += 1;
    return new FaultPerson(() => app.url, connector, `cosmos-${people}`, phoneFor(people));
  };
  const codes = () => outboxCodes(path.join(dataDir, 'outbox.jsonl'));

  /** Goes through the wizard, with no fault, until the card shows `step`. */
  async function walkTo(p: FaultPerson, step: ReturnType<typeof stepOf>) {
    if (!p.lastCard()) await p.open();
    for (let i = 0; i < 10 && stepOf(p.lastCard()) !== step; i++) {
      const move = nextMove(p, codes());
      if (!move) throw new Error(`stuck at ${stepOf(p.lastCard())}`);
      await p.post(move);
    }
    expect(stepOf(p.lastCard())).toBe(step);
  }

  it('429s with x-ms-retry-after-ms are waited out as told: every step goes through, and the enrollment is there once', async () => {
    const p = person();
    proxy.inject({ when: onState, fault: { status: 429, headers: { 'x-ms-retry-after-ms': '40' } }, probability: 0.5 });
    const started = Date.now();
    const run = await enrollThroughFaults(p, codes());

    expect(run.done).toBe(true);
    expect(proxy.injected['429']).toBeGreaterThan(0);
    expect(run.said.filter((s) => /went wrong|busy/.test(s))).toEqual([]);
    expect(await methodsOf(direct, p.personId)).toEqual({ authenticatorApp: 1, phone: 1 });
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it.each([
    ['429 that does not stop', { status: 429, headers: { 'x-ms-retry-after-ms': '200' } }],
    ['429 asking for a 20 s wait', { status: 429, headers: { 'x-ms-retry-after-ms': '20000' } }],
    ['503', { status: 503 }],
    ['a hang (no answer)', { hang: true as const }],
    ['a connection dropped before the write', { drop: 'before' as const }],
    ['a connection dropped after the write', { drop: 'after' as const }],
  ])(
    '%s on saving the texted code: a clear answer within seconds, nothing half-done, and the person finishes once it passes',
    async (_name, fault) => {
      const p = person();
      await walkTo(p, 'code');
      const code = codes()(p.e164).at(-1)!;
      proxy.inject({ when: writesState, fault, times: 1_000 });
      const started = Date.now();
      const sent = await p.click('Next', { code });
      const took = Date.now() - started;
      proxy.clear();
      expect(took).toBeLessThan(15_000);
      expect(sent.said.join(' ')).not.toMatch(LEAKED);
      // Either it went through (a write that landed), or the person is told to try again, with a reference.
      if (stepOf(p.lastCard()) !== 'success') expect(sent.said.at(-1)).toMatch(WITH_REFERENCE);
      const after = await methodsOf(direct, p.personId);
      expect(after.phone ?? 0).toBeLessThanOrEqual(1);
      const run = await enrollThroughFaults(p, codes());
      expect(run.done).toBe(true);
      expect(await methodsOf(direct, p.personId)).toEqual({ authenticatorApp: 1, phone: 1 });
    },
  );

  it('a read that hangs (the turn loading the person) is given up within seconds, with a clear answer', async () => {
    const p = person();
    await walkTo(p, 'phone');
    proxy.inject({ when: (r) => onState(r) && r.method === 'GET', fault: { hang: true } });
    const started = Date.now();
    const sent = await p.click('Next', { country: 'US', number: p.phone, method: 'sms' });
    proxy.clear();
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(sent.said).toEqual([
      expect.stringMatching(/^I can't reach my records just now\. Please try again in a minute\. \(Reference: [0-9a-f]{8}\)$/),
    ]);
    // Nothing was texted: the turn never got as far.
    expect(codes()(p.e164)).toEqual([]);
    expect((await enrollThroughFaults(p, codes())).done).toBe(true);
    expect(await methodsOf(direct, p.personId)).toEqual({ authenticatorApp: 1, phone: 1 });
  });

  it('a turn stuck on the store holds one place only: with every place taken, the next person is told the service is busy at once, and finishes later', async () => {
    // One turn at a time, and one second in line: the smallest instance.
    const gated = await startApp(loadConfig({ ...env, MAX_CONCURRENT_TURNS: '1', TURN_QUEUE_SECONDS: '1' }), {
      log: createLogger('silent'),
      cosmosAgent: new https.Agent({ ca: (await localhostTls()).cert, keepAlive: true }),
    });
    try {
      const onGated = () => {
        people += 1;
        return new FaultPerson(() => gated.url, connector, `cosmos-gated-${people}`, phoneFor(people));
      };
      const stuck = onGated();
      const next = onGated();
      await walkTo(stuck, 'phone');
      await walkTo(next, 'phone');
      const readsStuck = (r: SeenRequest) => onState(r) && r.method === 'GET' && decodeURIComponent(r.path).endsWith(stuck.personId);
      proxy.inject({ when: readsStuck, fault: { hang: true } });
      const seenBefore = proxy.seen.length;

      const finished: string[] = [];
      const stuckTurn = stuck.click('Next', { country: 'US', number: stuck.phone, method: 'sms' }).finally(() => finished.push('stuck'));
      // The stuck turn holds the only place once its read reached the store.
      await eventually(() => expect(proxy.seen.slice(seenBefore).some(readsStuck)).toBe(true));
      const nextTurn = await next.click('Next', { country: 'US', number: next.phone, method: 'sms' }).finally(() => finished.push('next'));

      // Answered before the stuck turn gave up on the store, in plain words, and nothing was done.
      expect(finished).toEqual(['next']);
      expect(nextTurn.said).toEqual([
        expect.stringMatching(/^The service is busy\. Please try again in a minute\. \(Reference: [0-9a-f]{8}\)$/),
      ]);
      expect(stepOf(next.lastCard())).toBe('phone');
      expect(codes()(next.e164)).toEqual([]);
      expect((await stuckTurn).said).toEqual([expect.stringMatching(/^I can't reach my records just now\./)]);

      proxy.clear();
      for (const p of [stuck, next]) {
        expect((await enrollThroughFaults(p, codes())).done).toBe(true);
        expect(await methodsOf(direct, p.personId)).toEqual({ authenticatorApp: 1, phone: 1 });
      }
    } finally {
      await gated.close();
    }
  });
});
