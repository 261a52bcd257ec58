/**
 * The store port: documents in collections, each with an etag for optimistic
 * concurrency. Adapters: SQLite (embedded default). Expiry is checked on read:
 * correctness never depends on a background TTL sweep.
 */

/**
 * `state`: one document per person (profile + dialogs); `counters`: rate-limit
 * windows; `audit`: the audit log; `qr`: single-use QR image links;
 * `aliases`: who a phone number or UPN belongs to, and a number's STOP;
 * `tickets`: help-desk tickets; `campaigns`: registration campaigns;
 * `outreach`: each targeted person's record in a campaign, and the send
 * queue's steps and their send-once claims (docs/campaigns.md).
 */
export const COLLECTIONS = ['state', 'counters', 'audit', 'qr', 'aliases', 'tickets', 'campaigns', 'outreach'] as const;
export type Collection = (typeof COLLECTIONS)[number];

export interface StoredDocument<T> {
  readonly value: T;
  readonly etag: string;
}

export interface WriteOptions {
  /** Write only if the stored etag is this one (read-modify-write). */
  readonly ifMatch?: string;
  /** Write only if no live document exists (create). */
  readonly ifNoneMatch?: '*';
  /** Epoch ms after which the document reads as absent. */
  readonly expiresAt?: number;
  /** Groups documents that are listed together (e.g. one person's audit events). */
  readonly partition?: string;
}

export interface DocumentStore {
  /** `partition`: the one the document was written with, if any (Cosmos DB reads a document within its partition). */
  get<T>(collection: Collection, id: string, options?: { readonly partition?: string }): Promise<StoredDocument<T> | undefined>;
  /** Returns the new etag; throws PreconditionFailedError when a condition fails. */
  put<T>(collection: Collection, id: string, value: T, options?: WriteOptions): Promise<string>;
  /**
   * Adds one to the `count` of a counter document in one atomic step of the
   * store (no read-modify-write: parallel callers on any instance each get
   * their own count), creating it as `{ count: 1, ...init }` with `expiresAt`
   * when it is absent or expired. Returns the new count.
   */
  increment(collection: 'counters', id: string, options: { readonly expiresAt: number; readonly init?: object }): Promise<number>;
  /** Returns whether a live document was deleted; throws PreconditionFailedError when `ifMatch` fails. */
  delete(collection: Collection, id: string, options?: Pick<WriteOptions, 'ifMatch'>): Promise<boolean>;
  /** The live documents of a partition in id order (or the reverse), at most `limit`. */
  list<T>(collection: Collection, partition: string, options?: { limit?: number; newestFirst?: boolean }): Promise<T[]>;
  close(): Promise<void>;
}
