import { AppError, DecryptionError, PreconditionFailedError } from '../kit/errors';
import type { Counters } from '../verification/ports';
import type { KeyedName, SecretBox } from '../verification/secretBox';
import type { DocumentStore } from './store';

const MAX_ATTEMPTS = 25;

/** A short random pause so racing instances stop colliding in lockstep. */
const backoff = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.random() * 4 * Math.min(attempt, 5)));

/** A counter's name: plain, or made of a keyed hash (a number's texts, a destination's codes). */
export type CounterKey = string | KeyedName;

interface CounterDocument {
  count: number;
  /** Keyed counters only: what the name stands for, so a rekey can move the count under the primary key. */
  sealedName?: string;
}

/** What `npm run rekey` did with one counter document; `unknown`: sealed under a key no longer listed, left to expire. */
export type CounterRekey = 'moved' | 'current' | 'unknown';

/**
 * Rate-limit counters in the store, so every instance counts together. Each
 * window is a document that expires with it; a take is a conditional write,
 * retried when another instance took first.
 *
 * A keyed counter is counted under the primary key's name, plus whatever its
 * names under older keys counted before a rotation (read, never written: no
 * instance writes them any more), so a cap keeps counting across a rotation.
 */
export class StoreCounters implements Counters {
  constructor(private readonly store: DocumentStore) {
    if (!store) throw new Error('StoreCounters needs a store');
  }

  async take(key: CounterKey, limit: number, windowEndsAt: number): Promise<boolean> {
    return (await this.bump(key, limit, windowEndsAt)) !== undefined;
  }

  async increment(key: CounterKey, windowEndsAt: number): Promise<number> {
    return (await this.bump(key, Number.POSITIVE_INFINITY, windowEndsAt))!;
  }

  /**
   * `npm run rekey`: the keyed counters among `ids` move under the primary
   * key's names. A count is added there before its old document goes, so a
   * take in between counts it twice rather than not at all.
   */
  async rekey(ids: readonly string[], secretBox: SecretBox): Promise<Record<CounterRekey, number>> {
    const counts: Record<CounterRekey, number> = { moved: 0, current: 0, unknown: 0 };
    for (const id of ids) counts[await this.rekeyOne(id, secretBox)]++;
    return counts;
  }

  private async rekeyOne(id: string, secretBox: SecretBox): Promise<CounterRekey> {
    const found = await this.store.get<CounterDocument>('counters', id);
    const window = /@(\d+)$/.exec(id)?.[1];
    // A plain counter; or a keyed one written before counters kept their name, left to expire with its window (two days at most).
    if (!found?.value.sealedName || !window) return 'current';
    let name: KeyedName;
    try {
      name = secretBox.reopenName(found.value.sealedName);
    } catch (err) {
      // Sealed under a key no longer listed: left to expire.
      if (err instanceof DecryptionError) return 'unknown';
      throw err;
    }
    const windowEndsAt = Number(window);
    const primary = windowId(name.names[0]!, windowEndsAt);
    if (primary === id) return 'current';
    await this.write(primary, windowEndsAt, (current) => ({
      count: (current?.count ?? 0) + found.value.count,
      sealedName: current?.sealedName ?? name.sealed(),
    }));
    await this.store.delete('counters', id);
    return 'moved';
  }

  /**
   * Counts one more, atomically in the store, then says whether it was
   * within `limit`: of N parallel callers each gets its own count, so exactly
   * `limit` are let through. (A refused one is counted too: harmless, the
   * window is full either way.) Undefined when over the limit.
   */
  private async bump(key: CounterKey, limit: number, windowEndsAt: number): Promise<number | undefined> {
    const [primary, ...older] = typeof key === 'string' ? [key] : key.names;
    const before = await Promise.all(older.map((name) => this.store.get<CounterDocument>('counters', windowId(name, windowEndsAt))));
    const carried = before.reduce((sum, doc) => sum + (doc?.value.count ?? 0), 0);
    const init = typeof key === 'string' ? undefined : { sealedName: key.sealed() };
    const total = carried + (await this.store.increment('counters', windowId(primary!, windowEndsAt), { expiresAt: windowEndsAt, init }));
    return total <= limit ? total : undefined;
  }

  /** Read, change, write conditionally; retried when another instance wrote first. `update` returns undefined to write nothing. */
  private async write(
    id: string,
    windowEndsAt: number,
    update: (current: CounterDocument | undefined) => CounterDocument | undefined,
  ): Promise<void> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = await this.store.get<CounterDocument>('counters', id);
      const next = update(current?.value);
      if (!next) return;
      try {
        await this.store.put(
          'counters',
          id,
          next,
          current ? { ifMatch: current.etag, expiresAt: windowEndsAt } : { ifNoneMatch: '*', expiresAt: windowEndsAt },
        );
        return;
      } catch (err) {
        if (!(err instanceof PreconditionFailedError)) throw err;
        await backoff(attempt + 1);
      }
    }
    throw new AppError('counter_contended', `counter ${id} stayed contended after ${MAX_ATTEMPTS} attempts`);
  }
}

function windowId(name: string, windowEndsAt: number): string {
  return `${name}@${windowEndsAt}`;
}
