import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PreconditionFailedError } from '../../src/errors';
import { SqliteStore } from '../../src/storage/sqliteStore';
import { cryptoRandom } from '../../src/verification/ports';
import { FrozenClock } from '../support/clock';

describe('SQLite store', () => {
  const clock = new FrozenClock();
  let store: SqliteStore;
  beforeEach(() => {
    store = new SqliteStore(':memory:', clock, cryptoRandom);
  });
  afterEach(() => store.close());

  it('reads what it wrote, with an etag that changes on every write', async () => {
    expect(await store.get('state', 'a')).toBeUndefined();
    const e1 = await store.put('state', 'a', { n: 1 });
    expect(await store.get('state', 'a')).toEqual({ value: { n: 1 }, etag: e1 });
    const e2 = await store.put('state', 'a', { n: 2 }, { ifMatch: e1 });
    expect(e2).not.toBe(e1);
    expect((await store.get('state', 'a'))?.value).toEqual({ n: 2 });
  });

  it('a write with a stale etag fails and changes nothing', async () => {
    const e1 = await store.put('state', 'a', { n: 1 });
    await store.put('state', 'a', { n: 2 }, { ifMatch: e1 });
    await expect(store.put('state', 'a', { n: 3 }, { ifMatch: e1 })).rejects.toBeInstanceOf(PreconditionFailedError);
    expect((await store.get('state', 'a'))?.value).toEqual({ n: 2 });
  });

  it('of two writers who read the same version, exactly one wins', async () => {
    const e1 = await store.put('state', 'a', { n: 0 });
    const results = await Promise.allSettled([
      store.put('state', 'a', { n: 1 }, { ifMatch: e1 }),
      store.put('state', 'a', { n: 2 }, { ifMatch: e1 }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  it('create-only refuses an existing document', async () => {
    await store.put('state', 'a', { n: 1 }, { ifNoneMatch: '*' });
    await expect(store.put('state', 'a', { n: 2 }, { ifNoneMatch: '*' })).rejects.toBeInstanceOf(PreconditionFailedError);
  });

  it('an expired document reads as absent, can be created again, and cannot be updated', async () => {
    const etag = await store.put('state', 'a', { n: 1 }, { expiresAt: clock.now() + 1000 });
    clock.advance(1000);
    expect(await store.get('state', 'a')).toBeUndefined();
    await expect(store.put('state', 'a', { n: 2 }, { ifMatch: etag })).rejects.toBeInstanceOf(PreconditionFailedError);
    await store.put('state', 'a', { n: 3 }, { ifNoneMatch: '*' });
    expect((await store.get('state', 'a'))?.value).toEqual({ n: 3 });
  });

  it('deletes, conditionally when asked', async () => {
    const etag = await store.put('state', 'a', { n: 1 });
    await expect(store.delete('state', 'a', { ifMatch: 'stale' })).rejects.toBeInstanceOf(PreconditionFailedError);
    expect(await store.delete('state', 'a', { ifMatch: etag })).toBe(true);
    expect(await store.delete('state', 'a')).toBe(false);
  });

  it('sweeping removes only expired documents', async () => {
    await store.put('state', 'old', {}, { expiresAt: clock.now() + 10 });
    await store.put('state', 'live', {});
    clock.advance(10);
    expect(store.sweepExpired()).toBe(1);
    expect(await store.get('state', 'live')).toBeDefined();
  });
});

describe('SQLite store on disk', () => {
  it('keeps documents across a restart', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-'));
    const file = path.join(dir, 'db.sqlite');
    const clock = new FrozenClock();
    const first = new SqliteStore(file, clock, cryptoRandom);
    await first.put('state', 'a', { kept: true });
    await first.close();
    const second = new SqliteStore(file, clock, cryptoRandom);
    expect((await second.get('state', 'a'))?.value).toEqual({ kept: true });
    await second.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
