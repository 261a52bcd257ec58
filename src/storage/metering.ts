import { AsyncLocalStorage } from 'node:async_hooks';
import type { DocumentStore } from './store';

/** What one turn (or webhook) cost the store. */
export interface StoreCost {
  reads: number;
  writes: number;
  queries: number;
  /** Cosmos DB request units; 0 on SQLite. */
  requestUnits: number;
}

/**
 * Counts store operations per turn: `measure` opens a scope (async-local, so
 * concurrent turns do not mix), `wrap` counts every operation of a store in
 * the scope it runs in, and `charge` adds Cosmos DB request units.
 */
export class StoreMetering {
  private readonly scope = new AsyncLocalStorage<StoreCost>();

  async measure<T>(work: () => Promise<T>): Promise<{ result: T; cost: StoreCost }> {
    const cost: StoreCost = { reads: 0, writes: 0, queries: 0, requestUnits: 0 };
    const result = await this.scope.run(cost, work);
    return { result, cost };
  }

  charge(requestUnits: number): void {
    const cost = this.scope.getStore();
    if (cost) cost.requestUnits = Math.round((cost.requestUnits + requestUnits) * 100) / 100;
  }

  wrap(store: DocumentStore): DocumentStore {
    const count = (field: 'reads' | 'writes' | 'queries') => {
      const cost = this.scope.getStore();
      if (cost) cost[field] += 1;
    };
    return {
      get: (collection, id, options) => {
        count('reads');
        return store.get(collection, id, options);
      },
      put: (collection, id, value, options) => {
        count('writes');
        return store.put(collection, id, value, options);
      },
      increment: (collection, id, options) => {
        count('writes');
        return store.increment(collection, id, options);
      },
      delete: (collection, id, options) => {
        count('writes');
        return store.delete(collection, id, options);
      },
      list: (collection, partition, options) => {
        count('queries');
        return store.list(collection, partition, options);
      },
      close: () => store.close(),
    };
  }
}
