import https from 'node:https';
import { CosmosStore, StoreThrottledError, StoreUnavailableError } from '../../src/storage/cosmosStore';
import { cryptoRandom } from '../../src/verification/ports';
import { FrozenClock } from '../support/clock';
import { LOCAL_COSMOS_KEY, type LocalCosmos, startLocalCosmos } from '../support/cosmos';
import { FaultProxy, localhostTls } from '../support/faultProxy';

/** Short waits for the test: the production ones are COSMOS_TIMEOUTS (4 s a request, 6 s an operation). */
const TIMEOUTS = { requestMs: 300, throttledSeconds: 0.3, operationMs: 600 };

describe('the Cosmos DB store when Cosmos DB fails (a fault proxy in front of a local server)', () => {
  let cosmos: LocalCosmos;
  let proxy: FaultProxy;
  let store: CosmosStore;

  beforeAll(async () => {
    cosmos = await startLocalCosmos();
    const tls = await localhostTls();
    proxy = await new FaultProxy({ target: cosmos.endpoint, tls, upstreamAgent: cosmos.agent }).start();
    store = await CosmosStore.open(
      {
        endpoint: proxy.url,
        key: LOCAL_COSMOS_KEY,
        database: `outages-${cryptoRandom.id()}`,
        agent: new https.Agent({ ca: tls.cert }),
        timeouts: TIMEOUTS,
      },
      new FrozenClock(Date.now()),
    );
    await store.put('state', 'p1', { n: 1 });
  });
  afterAll(async () => {
    await store.close();
    await proxy.stop();
    await cosmos.stop();
  });
  afterEach(() => proxy.clear());

  /** How long `work` took to settle, and how. */
  async function timed<T>(work: Promise<T>): Promise<{ ms: number; error?: unknown; value?: T }> {
    const started = Date.now();
    try {
      const value = await work;
      return { ms: Date.now() - started, value };
    } catch (error) {
      return { ms: Date.now() - started, error };
    }
  }

  it('gives up on a read that never gets an answer within its deadline, as "unavailable" (the SDK alone waited a minute, then retried)', async () => {
    proxy.inject({ when: (r) => r.method === 'GET', fault: { hang: true } });
    const { ms, error } = await timed(store.get('state', 'p1'));
    expect(error).toBeInstanceOf(StoreUnavailableError);
    // The SDK alone waited a minute: the bound leaves room for a loaded machine.
    expect(ms).toBeLessThan(15_000);
  });

  it('gives up on a write that never gets an answer', async () => {
    proxy.inject({ when: (r) => r.method !== 'GET', fault: { hang: true } });
    const { ms, error } = await timed(store.put('state', 'p2', { n: 2 }));
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect(ms).toBeLessThan(15_000);
  });

  it('does not sleep out a 429 that asks for a long wait: busy or unavailable within the deadline', async () => {
    proxy.inject({ fault: { status: 429, headers: { 'x-ms-retry-after-ms': '2000' } } });
    const { ms, error } = await timed(store.get('state', 'p1'));
    expect([StoreUnavailableError, StoreThrottledError].some((kind) => error instanceof kind)).toBe(true);
    expect(ms).toBeLessThan(3_000);
  });

  it('waits out short 429s as Cosmos DB asks, and answers', async () => {
    const before = proxy.injected['429'] ?? 0;
    proxy.inject({ fault: { status: 429, headers: { 'x-ms-retry-after-ms': '20' } }, times: 2 });
    const { value } = await timed(store.get<{ n: number }>('state', 'p1'));
    expect(value?.value).toEqual({ n: 1 });
    expect((proxy.injected['429'] ?? 0) - before).toBe(2);
  });

  it.each([
    ['a 503', { status: 503 }],
    ['a connection dropped', { drop: 'before' as const }],
  ])('says %s on a write is the store being unavailable (a sentence the person may read), not a bug', async (_name, fault) => {
    proxy.inject({ when: (r) => r.method !== 'GET', fault });
    const { error } = await timed(store.put('state', 'p3', { n: 3 }));
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as StoreUnavailableError).expose).toBe(true);
  });
});
