import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { PreconditionFailedError } from '../../src/kit/errors';
import { SqliteStore } from '../../src/storage/sqliteStore';
import { cryptoRandom } from '../../src/verification/ports';
import { FrozenClock } from '../support/clock';

// What every adapter does is in contract.test.ts; this is what only the SQLite file does.
describe('SQLite store on disk', () => {
  const clock = new FrozenClock();
  const dir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'store-'));

  it('keeps documents across a restart, in WAL mode', async () => {
    const file = path.join(dir(), 'db.sqlite');
    const first = new SqliteStore(file, clock, cryptoRandom);
    await first.put('state', 'a', { kept: true });
    await first.close();
    const second = new SqliteStore(file, clock, cryptoRandom);
    expect((await second.get('state', 'a'))?.value).toEqual({ kept: true });
    await second.close();
    const raw = new Database(file);
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
  });

  it('sweeping removes only expired documents', async () => {
    const store = new SqliteStore(':memory:', clock, cryptoRandom);
    await store.put('state', 'old', {}, { expiresAt: clock.now() + 10 });
    await store.put('state', 'live', {});
    clock.advance(10);
    expect(store.sweepExpired()).toBe(1);
    expect(await store.get('state', 'live')).toBeDefined();
    await store.close();
  });

  it('opens a file made before documents had a partition (a WITHOUT ROWID table then), and keeps its documents', async () => {
    const file = path.join(dir(), 'old.sqlite');
    const raw = new Database(file);
    raw.exec(
      'CREATE TABLE documents (collection TEXT NOT NULL, id TEXT NOT NULL, etag TEXT NOT NULL, body TEXT NOT NULL, expires_at INTEGER, PRIMARY KEY (collection, id)) WITHOUT ROWID',
    );
    raw.prepare("INSERT INTO documents VALUES ('state', 'a', 'e1', '{\"old\":true}', NULL)").run();
    raw.close();
    const store = new SqliteStore(file, clock, cryptoRandom);
    expect(await store.get('state', 'a')).toEqual({ value: { old: true }, etag: 'e1' });
    await expect(store.put('state', 'a', { old: false }, { ifMatch: 'stale' })).rejects.toThrow(PreconditionFailedError);
    await store.put('state', 'a', { old: false }, { ifMatch: 'e1' });
    await store.put('audit', 'x', { n: 1 }, { partition: 'p' });
    expect(await store.list('audit', 'p')).toEqual([{ n: 1 }]);
    await store.close();
    // Opened again: already current, nothing copied twice.
    const again = new SqliteStore(file, clock, cryptoRandom);
    expect((await again.get('state', 'a'))?.value).toEqual({ old: false });
    await again.close();
    const schema = new Database(file, { readonly: true });
    expect(schema.prepare("SELECT sql FROM sqlite_master WHERE name = 'documents'").get()).toEqual({
      sql: expect.not.stringMatching(/WITHOUT ROWID/i),
    });
    schema.close();
  });
});
