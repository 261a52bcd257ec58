import type { Agent } from 'node:https';
import { type Container, CosmosClient, type CosmosClientOptions, type Database, ErrorResponse } from '@azure/cosmos';
import { AppError, BusyError, PreconditionFailedError } from '../kit/errors';
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
  /** How long to wait (tests shorten them); {@link COSMOS_TIMEOUTS} by default. */
  readonly timeouts?: Partial<CosmosTimeouts>;
}

export interface CosmosTimeouts {
  readonly requestMs: number;
  readonly throttledSeconds: number;
  readonly operationMs: number;
}

/** Service busy after the SDK's own retries: the person is told to try again in a minute. */
export class StoreThrottledError extends BusyError {
  constructor(cause: unknown) {
    super('store_throttled', cause);
  }
}

/** Cosmos DB did not answer in time, answered 503, or the connection dropped: the person is told to try again. */
export class StoreUnavailableError extends AppError {
  constructor(cause: unknown) {
    super('store_unavailable', "I can't reach my records just now. Please try again in a minute.", { expose: true, cause });
  }
}

/**
 * How long the client waits: for one HTTP request (the SDK's default is a
 * minute), for 429s in a row (it waits as long as each `x-ms-retry-after-ms`
 * says, up to this in all), and for one operation with every retry the SDK
 * makes (timed-out reads are retried across regions up to 120 times). A
 * turn that needs the store gives up within seconds, not minutes: Bot
 * Framework waits 15 s for a turn's answer.
 */
export const COSMOS_TIMEOUTS: CosmosTimeouts = { requestMs: 4_000, throttledSeconds: 4, operationMs: 6_000 };

/** Status codes of a Cosmos DB that is down or overloaded (not of a request that is wrong). */
const UNAVAILABLE_STATUS = new Set([408, 500, 502, 503, 504]);
/** Errors of a request that never got its answer. */
const UNANSWERED = new Set(['TimeoutError', 'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'REQUEST_SEND_ERROR', 'UND_ERR_SOCKET']);

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
    private readonly timeouts: CosmosTimeouts,
  ) {}

  /** Connects, creating the database and its containers when missing. */
  static async open(settings: CosmosSettings, clock: Clock): Promise<CosmosStore> {
    const timeouts = { ...COSMOS_TIMEOUTS, ...settings.timeouts };
    const client = new CosmosClient({
      endpoint: settings.endpoint,
      ...(settings.key ? { key: settings.key } : { aadCredentials: settings.credential }),
      ...(settings.agent ? { agent: settings.agent } : {}),
      connectionPolicy: {
        requestTimeout: timeouts.requestMs,
        retryOptions: { maxRetryAttemptCount: 9, fixedRetryIntervalInMilliseconds: 0, maxWaitTimeInSeconds: timeouts.throttledSeconds },
      },
    });
    const { database } = await client.databases.createIfNotExists({ id: settings.database });
    const containers = new Map<Collection, Container>();
    for (const collection of COLLECTIONS) containers.set(collection, await createContainer(database, collection));
    return new CosmosStore(client, containers, clock, settings.onCharge ?? (() => {}), timeouts);
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
          .replace(envelope, { accessCondition: { type: 'IfMatch', condition: options.ifMatch }, abortSignal: this.deadline() });
        this.onCharge(response.requestCharge);
        return response.etag;
      }
      if (options.ifNoneMatch === '*') {
        try {
          const response = await container.items.create(envelope, { abortSignal: this.deadline() });
          this.onCharge(response.requestCharge);
          return response.etag;
        } catch (err) {
          if (!(err instanceof ErrorResponse) || err.code !== 409) throw err;
          const current = await this.read<T>(collection, id, options.partition);
          if (current && !this.expired(current.expiresAt)) throw new PreconditionFailedError(`${collection}/${id}`);
          const response = await container.item(encodeId(id), envelope.pk).replace(envelope, {
            ...(current?._etag ? { accessCondition: { type: 'IfMatch' as const, condition: current._etag } } : {}),
            abortSignal: this.deadline(),
          });
          this.onCharge(response.requestCharge);
          return response.etag;
        }
      }
      const response = await container.items.upsert(envelope, { abortSignal: this.deadline() });
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
          const response = await this.call(
            () =>
              item.patch<Envelope<{ count: number }>>([{ op: 'incr', path: '/value/count', value: 1 }], { abortSignal: this.deadline() }),
            `${collection}/${id}`,
            { notFound: 'pass' },
          );
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
        .delete({
          ...(options.ifMatch !== undefined ? { accessCondition: { type: 'IfMatch' as const, condition: options.ifMatch } } : {}),
          abortSignal: this.deadline(),
        });
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
          { partitionKey: partition, maxItemCount: limit, abortSignal: this.deadline() },
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
        .read<Envelope<T>>({ abortSignal: this.deadline() });
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

  /**
   * Maps the SDK's errors onto the port's: 412 → precondition failed, 429
   * (after the SDK's retries) → busy, no answer in time or a dropped
   * connection or a 503 → unavailable (both said to the person as they are).
   */
  private async call<R>(operation: () => Promise<R>, what: string, options: { notFound?: 'pass' } = {}): Promise<R> {
    let timer: NodeJS.Timeout | undefined;
    // The SDK sleeps out a 429's whole retry-after, whatever its abort signal says: the deadline is kept here.
    const late = new Promise<never>((_, reject) => {
      const ms = this.timeouts.operationMs;
      timer = setTimeout(() => reject(new StoreUnavailableError(new Error(`${what}: no answer within ${ms} ms`))), ms);
    });
    try {
      return await Promise.race([operation(), late]);
    } catch (err) {
      if (err instanceof PreconditionFailedError || err instanceof StoreUnavailableError || err instanceof StoreThrottledError) throw err;
      if (err instanceof ErrorResponse && typeof err.code === 'number') {
        if (err.code === 404 && options.notFound === 'pass') throw err;
        if (err.code === 412 || err.code === 404 || err.code === 409) throw new PreconditionFailedError(what);
        if (err.code === 429) throw new StoreThrottledError(err);
        if (UNAVAILABLE_STATUS.has(err.code)) throw new StoreUnavailableError(err);
      }
      if (isUnanswered(err)) throw new StoreUnavailableError(err);
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  /** A fresh deadline for one request of the SDK, its retries included. */
  private deadline(): AbortSignal {
    return AbortSignal.timeout(this.timeouts.operationMs);
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

/** An operation that got no answer: timed out (ours or the SDK's), aborted, or its connection went away. */
function isUnanswered(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  return err.name === 'AbortError' || err.name === 'TimeoutError' || (typeof code === 'string' && UNANSWERED.has(code));
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
