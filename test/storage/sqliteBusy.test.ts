import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { SQLITE_BUSY_TIMEOUT_MS, SqliteStore, StoreBusyError } from '../../src/storage/sqliteStore';
import { cryptoRandom } from '../../src/verification/ports';
import { FrozenClock } from '../support/clock';

describe('the SQLite store when another connection holds the write lock (a backup, npm run rekey)', () => {
  let dir: string;
  let store: SqliteStore;
  let other: Database.Database;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqlite-busy-'));
    store = new SqliteStore(path.join(dir, 'db.sqlite'), new FrozenClock(), cryptoRandom);
    other = new Database(path.join(dir, 'db.sqlite'));
  });
  afterEach(async () => {
    other.close();
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a write with "busy" (a sentence the person may read) once the busy timeout has passed, which is short: the whole process waits', async () => {
    await store.put('state', 'p', { n: 1 });
    other.exec('BEGIN IMMEDIATE');
    const started = Date.now();
    const write = store.put('state', 'p', { n: 2 });
    await expect(write).rejects.toBeInstanceOf(StoreBusyError);
    await expect(write).rejects.toMatchObject({ expose: true, message: 'The service is busy. Please try again in a minute.' });
    // better-sqlite3 waits synchronously: every other turn of the process waited as long.
    expect(Date.now() - started).toBeLessThan(2 * SQLITE_BUSY_TIMEOUT_MS);
    expect(SQLITE_BUSY_TIMEOUT_MS).toBeLessThanOrEqual(1000);
    await expect(store.increment('counters', 'c', { expiresAt: Date.now() + 60_000 })).rejects.toBeInstanceOf(StoreBusyError);
  });

  it('still reads while another connection writes (WAL), and writes again once the lock is released', async () => {
    await store.put('state', 'p', { n: 1 });
    other.exec('BEGIN IMMEDIATE');
    expect((await store.get<{ n: number }>('state', 'p'))?.value).toEqual({ n: 1 });
    other.exec('ROLLBACK');
    await store.put('state', 'p', { n: 3 });
    expect((await store.get<{ n: number }>('state', 'p'))?.value).toEqual({ n: 3 });
  });
});
