import { AppError, PreconditionFailedError } from '../kit/errors';
import type { Counters } from '../verification/ports';
import type { DocumentStore } from './store';

const MAX_ATTEMPTS = 25;

/** A short random pause so racing instances stop colliding in lockstep. */
const backoff = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.random() * 4 * Math.min(attempt, 5)));

/**
 * Rate-limit counters in the store, so every instance counts together. Each
 * window is a document that expires with it; a take is a conditional write,
 * retried when another instance took first.
 */
export class StoreCounters implements Counters {
  constructor(private readonly store: DocumentStore) {
    if (!store) throw new Error('StoreCounters needs a store');
  }

  async take(key: string, limit: number, windowEndsAt: number): Promise<boolean> {
    return (await this.bump(key, limit, windowEndsAt)) !== undefined;
  }

  async increment(key: string, windowEndsAt: number): Promise<number> {
    return (await this.bump(key, Number.POSITIVE_INFINITY, windowEndsAt))!;
  }

  /** The new count, or undefined when the limit was already reached. */
  private async bump(key: string, limit: number, windowEndsAt: number): Promise<number | undefined> {
    const id = `${key}@${windowEndsAt}`;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = await this.store.get<{ count: number }>('counters', id);
      const count = current?.value.count ?? 0;
      if (count >= limit) return undefined;
      try {
        await this.store.put(
          'counters',
          id,
          { count: count + 1 },
          current ? { ifMatch: current.etag, expiresAt: windowEndsAt } : { ifNoneMatch: '*', expiresAt: windowEndsAt },
        );
        return count + 1;
      } catch (err) {
        if (!(err instanceof PreconditionFailedError)) throw err;
        await backoff(attempt + 1);
      }
    }
    throw new AppError('counter_contended', `counter ${key} stayed contended after ${MAX_ATTEMPTS} attempts`);
  }
}
