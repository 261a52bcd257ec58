import type { Agent } from 'node:https';
import { type Container, CosmosClient, type CosmosClientOptions, type Database, ErrorResponse } from '@azure/cosmos';
import { AppError, PreconditionFailedError } from '../kit/errors';
import type { Clock } from '../verification/ports';
import { COLLECTIONS, type Collection, type DocumentStore, type StoredDocument, type WriteOptions } from './store';

/** How a document sits in Cosmos DB: the value wrapped with its partition key and expiry. */
interface Envelope<T> {
  id: string;
  /** Partition key: the document's own id, or its listing partition (audit: the person). */
  pk: string;
  value: T;
  expiresAt: number | null;
  /** Cosmos TTL (seconds) so expired documents get cleaned up; correctness never depends on it. */
  ttl?: number;
  _etag?: string;
}

export interface CosmosSettings {
  readonly endpoint: string;
  /** Account key; without one, `credential` (managed identity) is used. */
  readonly key?: string;
  readonly credential?: CosmosClientOptions['aadCredentials'];
  readonly database: string;
  /** A client-scoped agent (tests trust a local server's certificate here, never process-wide). */
  readonly agent?: Agent;
  /** Told the request units of every operation, for the per-turn cost. */
  readonly onCharge?: (requestUnits: number) => void;
}

/** Service busy after the SDK's own retries: the person is told to try again in a minute. */
export class StoreThrottledError extends AppError {
  constructor(cause: unknown) {
    super('store_throttled', 'The service is busy. Please try again in a minute.', { expose: true, cause });
  }
}

/**
 * The store port on Cosmos DB (NoSQL API): one container per collection,
 * partitioned on `/pk`; etag conditions on every write; expiry checked on read
 * (TTL only cleans up); 429s retried by the SDK, then surfaced as "busy".
 */
export class CosmosStore implements DocumentStore {
  private constructor(
    private readonly client: CosmosClient,
    private readonly containers: ReadonlyMap<Collection, Container>,
    private readonly clock: Clock,
    private readonly onCharge: (ru: number) => void,
  ) {}

  /** Connects, creating the database and its containers when missing. */
  static async open(settings: CosmosSettings, clock: Clock): Promise<CosmosStore> {
    const client = new CosmosClient({
      endpoint: settings.endpoint,
      ...(settings.key ? { key: settings.key } : { aadCredentials: settings.credential }),
      ...(settings.agent ? { agent: settings.agent } : {}),
      connectionPolicy: { retryOptions: { maxRetryAttemptCount: 9, fixedRetryIntervalInMilliseconds: 0, maxWaitTimeInSeconds: 30 } },
    });
    const { database } = await client.databases.createIfNotExists({ id: settings.database });
    const containers = new Map<Collection, Container>();
    for (const collection of COLLECTIONS) containers.set(collection, await createContainer(database, collection));
    return new CosmosStore(client, containers, clock, settings.onCharge ?? (() => {}));
  }

  async get<T>(collection: Collection, id: string, options: { readonly partition?: string } = {}): Promise<StoredDocument<T> | undefined> {
    const found = await this.read<T>(collection, id, options.partition);
    if (!found || this.expired(found.expiresAt)) return undefined;
    return { value: found.value, etag: found._etag! };
  }

  async put<T>(collection: Collection, id: string, value: T, options: WriteOptions = {}): Promise<string> {
    const envelope = this.envelope(id, value, options);
    const container = this.container(collection);
    return this.call(async () => {
      if (options.ifMatch !== undefined) {
        const current = await this.read<T>(collection, id, options.partition);
        // An expired document reads as absent: a condition on it fails like on a missing one.
        if (!current || this.expired(current.expiresAt)) throw new PreconditionFailedError(`${collection}/${id}`);
        const response = await container
          .item(encodeId(id), envelope.pk)
          .replace(envelope, { accessCondition: { type: 'IfMatch', condition: options.ifMatch } });
        this.onCharge(response.requestCharge);
        return response.etag;
      }
      if (options.ifNoneMatch === '*') {
        try {
          const response = await container.items.create(envelope);
          this.onCharge(response.requestCharge);
          return response.etag;
        } catch (err) {
          if (!(err instanceof ErrorResponse) || err.code !== 409) throw err;
          const current = await this.read<T>(collection, id, options.partition);
          if (current && !this.expired(current.expiresAt)) throw new PreconditionFailedError(`${collection}/${id}`);
          const response = await container
            .item(encodeId(id), envelope.pk)
            .replace(envelope, current?._etag ? { accessCondition: { type: 'IfMatch', condition: current._etag } } : {});
          this.onCharge(response.requestCharge);
          return response.etag;
        }
      }
      const response = await container.items.upsert(envelope);
      this.onCharge(response.requestCharge);
      return response.etag!;
    }, `${collection}/${id}`);
  }

  /**
   * A patch `incr`, atomic in Cosmos DB: one request when the counter exists.
   * When it does not, it is created (and patched after all if another
   * instance created it first); an expired one is renewed on its etag.
   */
  async increment(collection: 'counters', id: string, options: { readonly expiresAt: number; readonly init?: object }): Promise<number> {
    const item = this.container(collection).item(encodeId(id), id);
    const fresh = { ...options.init, count: 1 };
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        try {
          const response = await item.patch<Envelope<{ count: number }>>([{ op: 'incr', path: '/value/count', value: 1 }]);
          this.onCharge(response.requestCharge);
          if (response.resource && !this.expired(response.resource.expiresAt)) return response.resource.value.count;
        } catch (err) {
          if (!(err instanceof ErrorResponse) || err.code !== 404) throw err;
        }
        // Absent, or expired (create-only replaces an expired document, and only that).
        await this.put(collection, id, fresh, { expiresAt: options.expiresAt, ifNoneMatch: '*' });
        return 1;
      } catch (err) {
        // Another instance created or renewed it first: count on theirs.
        if (!(err instanceof PreconditionFailedError)) throw err;
      }
    }
    throw new AppError('counter_contended', `counter ${collection}/${id} stayed contended`);
  }

  async delete(collection: Collection, id: string, options: Pick<WriteOptions, 'ifMatch'> = {}): Promise<boolean> {
    const current = await this.read(collection, id);
    if (!current || this.expired(current.expiresAt)) {
      if (options.ifMatch !== undefined) throw new PreconditionFailedError(`${collection}/${id}`);
      return false;
    }
    return this.call(async () => {
      const response = await this.container(collection)
        .item(encodeId(id), current.pk)
        .delete(options.ifMatch !== undefined ? { accessCondition: { type: 'IfMatch', condition: options.ifMatch } } : {});
      this.onCharge(response.requestCharge);
      return true;
    }, `${collection}/${id}`);
  }

  async list<T>(collection: Collection, partition: string, options: { limit?: number; newestFirst?: boolean } = {}): Promise<T[]> {
    const limit = options.limit ?? 1000;
    return this.call(async () => {
      // The WHERE clause scopes the query: some servers ignore partition-scoped query options.
      const response = await this.container(collection)
        .items.query<Envelope<T>>(
          {
            query: `SELECT * FROM c WHERE c.pk = @pk ORDER BY c.id ${options.newestFirst ? 'DESC' : 'ASC'}`,
            parameters: [{ name: '@pk', value: partition }],
          },
          { partitionKey: partition, maxItemCount: limit },
        )
        .fetchAll();
      this.onCharge(response.requestCharge);
      return response.resources
        .filter((e) => !this.expired(e.expiresAt))
        .slice(0, limit)
        .map((e) => e.value);
    }, `${collection} list`);
  }

  async close(): Promise<void> {
    this.client.dispose();
  }

  private async read<T>(collection: Collection, id: string, partition?: string): Promise<Envelope<T> | undefined> {
    return this.call(async () => {
      const response = await this.container(collection)
        .item(encodeId(id), partition ?? id)
        .read<Envelope<T>>();
      this.onCharge(response.requestCharge);
      return response.statusCode === 404 ? undefined : response.resource;
    }, `${collection}/${id}`);
  }

  private envelope<T>(id: string, value: T, options: WriteOptions): Envelope<T> {
    const expiresAt = options.expiresAt ?? null;
    return {
      id: encodeId(id),
      pk: options.partition ?? id,
      value,
      expiresAt,
      ...(expiresAt !== null ? { ttl: Math.max(1, Math.ceil((expiresAt - this.clock.now()) / 1000)) } : {}),
    };
  }

  /** Maps the SDK's errors onto the port's: 412 → precondition failed, 429 (after the SDK's retries) → busy. */
  private async call<R>(operation: () => Promise<R>, what: string): Promise<R> {
    try {
      return await operation();
    } catch (err) {
      if (err instanceof PreconditionFailedError) throw err;
      if (err instanceof ErrorResponse) {
        if (err.code === 412 || err.code === 404 || err.code === 409) throw new PreconditionFailedError(what);
        if (err.code === 429) throw new StoreThrottledError(err);
      }
      throw err;
    }
  }

  private container(collection: Collection): Container {
    const container = this.containers.get(collection);
    if (!container) throw new Error(`no container for ${collection}`);
    return container;
  }

  private expired(expiresAt: number | null | undefined): boolean {
    return expiresAt !== null && expiresAt !== undefined && expiresAt <= this.clock.now();
  }
}

async function createContainer(database: Database, collection: Collection): Promise<Container> {
  const { container } = await database.containers.createIfNotExists({
    id: collection,
    partitionKey: { paths: ['/pk'] },
    // -1: TTL on, per document (`ttl`); documents without one never expire.
    defaultTtl: -1,
  });
  return container;
}

/** Cosmos ids may not hold / \ ? #: percent-encode them (and % itself, so it stays reversible). */
function encodeId(id: string): string {
  return id.replace(/[%/\\?#]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}
