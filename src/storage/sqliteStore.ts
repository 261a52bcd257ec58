import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { BusyError, PreconditionFailedError } from '../kit/errors';
import type { Clock, Random } from '../verification/ports';
import type { Collection, DocumentStore, StoredDocument, WriteOptions } from './store';

interface Row {
  etag: string;
  body: string;
  expires_at: number | null;
}

/**
 * How long a write waits for another connection's write lock (a backup,
 * `npm run rekey`). better-sqlite3 is synchronous: the whole process waits
 * with it, every other person's turn too, so the wait is short; past it the
 * person is told the service is busy.
 */
export const SQLITE_BUSY_TIMEOUT_MS = 1000;

/** Another connection held the write lock past the busy timeout: the person is told to try again in a minute. */
export class StoreBusyError extends BusyError {
  constructor(cause: unknown) {
    super('store_busy', cause);
  }
}

/** SQLite's result codes for a lock another connection holds (SQLITE_BUSY, SQLITE_LOCKED and their extended codes). */
function isLocked(err: unknown): boolean {
  // By its code alone: the native module keeps the SqliteError class of the first context that loaded it (jest
  // loads modules once per test file), so neither `instanceof SqliteError` nor `instanceof Error` can be relied on.
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^SQLITE_(BUSY|LOCKED)/.test(code);
}

/** Where the embedded store keeps its file in DATA_DIR. */
export function sqliteFileIn(dataDir: string): string {
  return path.join(dataDir, 'security-info.sqlite');
}

/**
 * The documents table. An ordinary (rowid) table: documents of a few kilobytes
 * are written faster there than in a WITHOUT ROWID table, whose B-tree would
 * carry them in its interior pages (SQLite advises WITHOUT ROWID only for rows
 * of less than a twentieth of a page).
 */
function createTable(name: string): string {
  return `CREATE TABLE IF NOT EXISTS ${name} (
    collection TEXT NOT NULL,
    id TEXT NOT NULL,
    etag TEXT NOT NULL,
    body TEXT NOT NULL,
    expires_at INTEGER,
    partition TEXT,
    PRIMARY KEY (collection, id)
  )`;
}

/**
 * The embedded store: one SQLite file in WAL mode. Every conditional write is
 * a single statement, so it is atomic without explicit transactions.
 */
export class SqliteStore implements DocumentStore {
  private readonly db: Database.Database;
  private readonly statements;

  /** `file` may be ':memory:' for tests. */
  constructor(
    file: string,
    private readonly clock: Clock,
    private readonly random: Random,
  ) {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
    this.db.exec(createTable('documents'));
    // Older files are brought up to date inside the write lock, so two processes opening one do not both do it.
    this.db
      .transaction(() => {
        // Files made before the partition column existed get it added.
        const columns = this.db.prepare<[string], { name: string }>('SELECT name FROM pragma_table_info(?)').all('documents');
        if (!columns.some((c) => c.name === 'partition')) this.db.exec('ALTER TABLE documents ADD COLUMN partition TEXT');
        // Files made when the table was WITHOUT ROWID are copied into the current table once.
        const { sql } = this.db
          .prepare<[], { sql: string }>("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'documents'")
          .get()!;
        if (/WITHOUT ROWID/i.test(sql)) {
          this.db.exec(createTable('documents_current'));
          this.db.exec(
            'INSERT INTO documents_current (collection, id, etag, body, expires_at, partition) SELECT collection, id, etag, body, expires_at, partition FROM documents',
          );
          this.db.exec('DROP TABLE documents');
          this.db.exec('ALTER TABLE documents_current RENAME TO documents');
        }
        this.db.exec('CREATE INDEX IF NOT EXISTS documents_partition ON documents (collection, partition, id)');
      })
      .immediate();
    this.statements = {
      get: this.db.prepare<[string, string], Row>('SELECT etag, body, expires_at FROM documents WHERE collection = ? AND id = ?'),
      upsert: this.db.prepare(
        `INSERT INTO documents (collection, id, etag, body, expires_at, partition) VALUES (@collection, @id, @etag, @body, @expiresAt, @partition)
         ON CONFLICT (collection, id) DO UPDATE SET etag = excluded.etag, body = excluded.body, expires_at = excluded.expires_at, partition = excluded.partition`,
      ),
      // Creates, or replaces a document that has expired (it reads as absent).
      create: this.db.prepare(
        `INSERT INTO documents (collection, id, etag, body, expires_at, partition) VALUES (@collection, @id, @etag, @body, @expiresAt, @partition)
         ON CONFLICT (collection, id) DO UPDATE SET etag = excluded.etag, body = excluded.body, expires_at = excluded.expires_at, partition = excluded.partition
         WHERE documents.expires_at IS NOT NULL AND documents.expires_at <= @now`,
      ),
      replace: this.db.prepare(
        `UPDATE documents SET etag = @etag, body = @body, expires_at = @expiresAt, partition = @partition
         WHERE collection = @collection AND id = @id AND etag = @ifMatch AND (expires_at IS NULL OR expires_at > @now)`,
      ),
      list: this.db.prepare<[string, string, number, number], { body: string }>(
        'SELECT body FROM documents WHERE collection = ? AND partition = ? AND (expires_at IS NULL OR expires_at > ?) ORDER BY id LIMIT ?',
      ),
      listNewest: this.db.prepare<[string, string, number, number], { body: string }>(
        'SELECT body FROM documents WHERE collection = ? AND partition = ? AND (expires_at IS NULL OR expires_at > ?) ORDER BY id DESC LIMIT ?',
      ),
      delete: this.db.prepare(
        'DELETE FROM documents WHERE collection = @collection AND id = @id AND (expires_at IS NULL OR expires_at > @now)',
      ),
      deleteIf: this.db.prepare(
        'DELETE FROM documents WHERE collection = @collection AND id = @id AND etag = @ifMatch AND (expires_at IS NULL OR expires_at > @now)',
      ),
      // One statement: atomic across connections, as SQLite takes the write lock for it.
      increment: this.db.prepare<object, { count: number }>(
        `INSERT INTO documents (collection, id, etag, body, expires_at, partition) VALUES (@collection, @id, @etag, @body, @expiresAt, NULL)
         ON CONFLICT (collection, id) DO UPDATE SET
           etag = excluded.etag,
           body = CASE WHEN documents.expires_at IS NOT NULL AND documents.expires_at <= @now THEN excluded.body
                  ELSE json_set(documents.body, '$.count', json_extract(documents.body, '$.count') + 1) END,
           expires_at = CASE WHEN documents.expires_at IS NOT NULL AND documents.expires_at <= @now THEN excluded.expires_at
                  ELSE documents.expires_at END
         RETURNING json_extract(body, '$.count') AS count`,
      ),
      sweep: this.db.prepare('DELETE FROM documents WHERE expires_at IS NOT NULL AND expires_at <= ?'),
    };
  }

  async get<T>(collection: Collection, id: string): Promise<StoredDocument<T> | undefined> {
    const row = this.unlocked(() => this.statements.get.get(collection, id));
    if (!row || this.expired(row.expires_at)) return undefined;
    return { value: JSON.parse(row.body) as T, etag: row.etag };
  }

  async put<T>(collection: Collection, id: string, value: T, options: WriteOptions = {}): Promise<string> {
    const etag = this.random.id();
    const params = {
      collection,
      id,
      etag,
      body: JSON.stringify(value),
      expiresAt: options.expiresAt ?? null,
      partition: options.partition ?? null,
      now: this.clock.now(),
    };
    const changes = this.unlocked(() => {
      if (options.ifMatch !== undefined) return this.statements.replace.run({ ...params, ifMatch: options.ifMatch }).changes;
      if (options.ifNoneMatch === '*') return this.statements.create.run(params).changes;
      const { now: _now, ...unconditional } = params;
      return this.statements.upsert.run(unconditional).changes;
    });
    if (changes === 0) throw new PreconditionFailedError(`${collection}/${id}`);
    return etag;
  }

  async increment(collection: 'counters', id: string, options: { readonly expiresAt: number; readonly init?: object }): Promise<number> {
    const body = JSON.stringify({ ...options.init, count: 1 });
    const params = { collection, id, etag: this.random.id(), body, expiresAt: options.expiresAt, now: this.clock.now() };
    return this.unlocked(() => this.statements.increment.get(params)!.count);
  }

  async delete(collection: Collection, id: string, options: Pick<WriteOptions, 'ifMatch'> = {}): Promise<boolean> {
    const params = { collection, id, now: this.clock.now() };
    if (options.ifMatch === undefined) return this.unlocked(() => this.statements.delete.run(params).changes > 0);
    const changes = this.unlocked(() => this.statements.deleteIf.run({ ...params, ifMatch: options.ifMatch }).changes);
    if (changes === 0) throw new PreconditionFailedError(`${collection}/${id}`);
    return true;
  }

  async list<T>(collection: Collection, partition: string, options: { limit?: number; newestFirst?: boolean } = {}): Promise<T[]> {
    const statement = options.newestFirst ? this.statements.listNewest : this.statements.list;
    return this.unlocked(() => statement.all(collection, partition, this.clock.now(), options.limit ?? 1000)).map(
      (row) => JSON.parse(row.body) as T,
    );
  }

  /** Removes expired documents; only a clean-up, reads already treat them as absent. */
  sweepExpired(): number {
    return this.statements.sweep.run(this.clock.now()).changes;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  /** Runs a statement; a lock held past the busy timeout becomes {@link StoreBusyError}. */
  private unlocked<R>(statement: () => R): R {
    try {
      return statement();
    } catch (err) {
      if (isLocked(err)) throw new StoreBusyError(err);
      throw err;
    }
  }

  private expired(expiresAt: number | null): boolean {
    return expiresAt !== null && expiresAt <= this.clock.now();
  }
}
