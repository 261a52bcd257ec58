import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PreconditionFailedError } from '../../src/kit/errors';
import { CosmosStore } from '../../src/storage/cosmosStore';
import { StoreCounters } from '../../src/storage/counters';
import { SqliteStore } from '../../src/storage/sqliteStore';
import type { DocumentStore } from '../../src/storage/store';
import { cryptoRandom } from '../../src/verification/ports';
import { FrozenClock } from '../support/clock';
import { LOCAL_COSMOS_KEY, type LocalCosmos, startLocalCosmos } from '../support/cosmos';

interface Subject {
  store: DocumentStore;
  clock: FrozenClock;
}

/** One contract, every adapter: what the rest of the bot may rely on. */
const adapters: Array<[string, () => Promise<Subject & { close(): Promise<void> }>]> = [
  [
    'SQLite',
    async () => {
      const clock = new FrozenClock();
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'contract-'));
      const store = new SqliteStore(path.join(dir, 'db.sqlite'), clock, cryptoRandom);
      return { store, clock, close: () => store.close() };
    },
  ],
  [
    'Cosmos DB (@vercel/cosmosdb-server)',
    async () => {
      const clock = new FrozenClock();
      const cosmos: LocalCosmos = await startLocalCosmos();
      const store = await CosmosStore.open(
        { endpoint: cosmos.endpoint, key: LOCAL_COSMOS_KEY, database: `contract-${cryptoRandom.id()}`, agent: cosmos.agent },
        clock,
      );
      return {
        store,
        clock,
        async close() {
          await store.close();
          await cosmos.stop();
        },
      };
    },
  ],
];

describe.each(adapters)('the store contract on %s', (_name, open) => {
  let subject: Subject & { close(): Promise<void> };
  let store: DocumentStore;
  let clock: FrozenClock;

  beforeAll(async () => {
    subject = await open();
    ({ store, clock } = subject);
  });
  afterAll(() => subject.close());

  let n = 0;
  const fresh = () => `doc:${++n}/with?odd#chars%`;

  it('reads what it wrote, with an etag that changes on every write; a missing document reads as absent', async () => {
    const id = fresh();
    expect(await store.get('state', id)).toBeUndefined();
    const e1 = await store.put('state', id, { n: 1 });
    expect(await store.get('state', id)).toEqual({ value: { n: 1 }, etag: e1 });
    const e2 = await store.put('state', id, { n: 2 }, { ifMatch: e1 });
    expect(e2).not.toBe(e1);
    expect((await store.get('state', id))?.value).toEqual({ n: 2 });
  });

  it('412: a write with a stale etag fails and changes nothing', async () => {
    const id = fresh();
    const e1 = await store.put('state', id, { n: 1 });
    await store.put('state', id, { n: 2 }, { ifMatch: e1 });
    await expect(store.put('state', id, { n: 3 }, { ifMatch: e1 })).rejects.toBeInstanceOf(PreconditionFailedError);
    expect((await store.get('state', id))?.value).toEqual({ n: 2 });
  });

  it('404: a conditional write or delete of a missing document fails', async () => {
    await expect(store.put('state', fresh(), { n: 1 }, { ifMatch: '"nope"' })).rejects.toBeInstanceOf(PreconditionFailedError);
    await expect(store.delete('state', fresh(), { ifMatch: '"nope"' })).rejects.toBeInstanceOf(PreconditionFailedError);
    expect(await store.delete('state', fresh())).toBe(false);
  });

  it('409: create-only refuses an existing document', async () => {
    const id = fresh();
    await store.put('state', id, { n: 1 }, { ifNoneMatch: '*' });
    await expect(store.put('state', id, { n: 2 }, { ifNoneMatch: '*' })).rejects.toBeInstanceOf(PreconditionFailedError);
    expect((await store.get('state', id))?.value).toEqual({ n: 1 });
  });

  it('of concurrent writers who read the same version, exactly one wins', async () => {
    const id = fresh();
    const etag = await store.put('state', id, { n: 0 });
    const results = await Promise.allSettled([1, 2, 3, 4, 5].map((v) => store.put('state', id, { n: v }, { ifMatch: etag })));
    const winners = results.filter((r) => r.status === 'fulfilled');
    expect(winners).toHaveLength(1);
    const losers = results.filter((r) => r.status === 'rejected');
    for (const loser of losers) expect((loser as PromiseRejectedResult).reason).toBeInstanceOf(PreconditionFailedError);
  });

  it('concurrent takes of a limited counter let exactly the limit through', async () => {
    const counters = new StoreCounters(store);
    const key = `race:${fresh()}`;
    const taken = await Promise.all(Array.from({ length: 40 }, () => counters.take(key, 10, clock.now() + 60_000)));
    expect(taken.filter(Boolean)).toHaveLength(10);
    expect(await counters.take(key, 10, clock.now() + 60_000)).toBe(false);
  });

  it('an atomic increment gives each of forty parallel callers its own count, and starts anew once its window is over', async () => {
    const id = `counter:${cryptoRandom.id()}@${clock.now()}`;
    const counts = await Promise.all(
      Array.from({ length: 40 }, () => store.increment('counters', id, { expiresAt: clock.now() + 1000, init: { tag: 'x' } })),
    );
    expect([...counts].sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect((await store.get('counters', id))?.value).toEqual({ tag: 'x', count: 40 });
    clock.advance(1000);
    expect(await store.increment('counters', id, { expiresAt: clock.now() + 1000 })).toBe(1);
  });

  it('expiry is checked on read (no TTL sweep needed): expired reads as absent, can be created again, cannot be updated', async () => {
    const id = fresh();
    const etag = await store.put('counters', id, { n: 1 }, { expiresAt: clock.now() + 1000 });
    clock.advance(1000);
    expect(await store.get('counters', id)).toBeUndefined();
    await expect(store.put('counters', id, { n: 2 }, { ifMatch: etag })).rejects.toBeInstanceOf(PreconditionFailedError);
    await store.put('counters', id, { n: 3 }, { ifNoneMatch: '*' });
    expect((await store.get('counters', id))?.value).toEqual({ n: 3 });
  });

  it('lists the live documents of one partition only, in id order', async () => {
    const who = `person-${fresh()}`;
    for (const [i, at] of [3, 1, 2].entries()) {
      await store.put('audit', `${String(at).padStart(4, '0')}-${i}`, { at }, { ifNoneMatch: '*', partition: who });
    }
    await store.put('audit', `0000-other`, { at: 0 }, { ifNoneMatch: '*', partition: `${who}-other` });
    await store.put('audit', '0004-old', { at: 4 }, { ifNoneMatch: '*', partition: who, expiresAt: clock.now() + 10 });
    clock.advance(10);
    expect(await store.list('audit', who)).toEqual([{ at: 1 }, { at: 2 }, { at: 3 }]);
    expect(await store.list('audit', who, { limit: 2 })).toEqual([{ at: 1 }, { at: 2 }]);
    expect(await store.list('audit', who, { limit: 2, newestFirst: true })).toEqual([{ at: 3 }, { at: 2 }]);
  });

  it('reads a document written in a partition from that partition, and replaces it there', async () => {
    const id = fresh();
    const etag = await store.put('tickets', id, { state: 'open' }, { ifNoneMatch: '*', partition: 'tickets' });
    expect(await store.get('tickets', id, { partition: 'tickets' })).toEqual({ value: { state: 'open' }, etag });
    await store.put('tickets', id, { state: 'closed' }, { ifMatch: etag, partition: 'tickets' });
    expect((await store.get('tickets', id, { partition: 'tickets' }))?.value).toEqual({ state: 'closed' });
    expect(await store.list('tickets', 'tickets')).toContainEqual({ state: 'closed' });
  });

  it('deletes, conditionally when asked', async () => {
    const id = fresh();
    const etag = await store.put('state', id, { n: 1 });
    await expect(store.delete('state', id, { ifMatch: '"stale"' })).rejects.toBeInstanceOf(PreconditionFailedError);
    expect(await store.delete('state', id, { ifMatch: etag })).toBe(true);
    expect(await store.get('state', id)).toBeUndefined();
  });
});
