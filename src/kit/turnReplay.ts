import { AsyncLocalStorage } from 'node:async_hooks';
import { createHmac, randomBytes } from 'node:crypto';

/**
 * What a turn did that cannot be undone (a text sent, an audit event, a
 * counter taken), so that a re-run of the same turn — its save lost to
 * another turn of the same person — does each such thing once.
 *
 * A re-run starts from fresh state; where it takes the same path, it asks
 * for the same effects, and gets the results of the first run instead of a
 * second text. Its randomness is replayed too (the same codes, the same
 * ids), so the code texted by the first run is the code the re-run keeps.
 * Where fresh state sends the re-run another way, its effects differ and
 * happen. Outside a turn everything passes straight through. (A webhook that
 * changes a person's document runs as a turn of its own.)
 */
export class TurnReplay {
  private readonly seed = randomBytes(32);
  /** The turn's time: every run of it happens "now", so its deadlines and windows come out the same. */
  constructor(readonly now: number) {}
  /** Results of every effect done so far, by what it was, in order. */
  private readonly done = new Map<string, unknown[]>();
  /** This run's count of each effect, and of random draws per stream. */
  private seen = new Map<string, number>();
  private draws = new Map<string, number>();

  /** A new run of the same turn: effects and random draws are matched from the start again. */
  rerun(): void {
    this.seen = new Map();
    this.draws = new Map();
  }

  /** Runs `effect` unless an earlier run of this turn did the same one (the n-th time alike): then its result. */
  async once<T>(what: string, effect: () => Promise<T>): Promise<T> {
    const n = this.seen.get(what) ?? 0;
    this.seen.set(what, n + 1);
    const results = this.done.get(what) ?? [];
    if (n < results.length) return results[n] as T;
    const result = await effect();
    results.push(result);
    this.done.set(what, results);
    return result;
  }

  /**
   * The next `length` bytes of this turn's random `stream` (HMAC-SHA-256 of a
   * 256-bit seed: as unpredictable as the CSPRNG). Each kind of draw has its
   * own stream, so a re-run that takes another path never turns one kind of
   * secret (a texted code) into another (a key).
   */
  bytes(stream: string, length: number): Buffer {
    const n = this.draws.get(stream) ?? 0;
    this.draws.set(stream, n + 1);
    const blocks: Buffer[] = [];
    for (let block = 0; block * 32 < length; block++) {
      blocks.push(createHmac('sha256', this.seed).update(`${stream}#${n}#${block}`).digest());
    }
    return Buffer.concat(blocks).subarray(0, length);
  }
}

const current = new AsyncLocalStorage<TurnReplay>();

/** The replay of the turn running now, if any. */
export function currentTurnReplay(): TurnReplay | undefined {
  return current.getStore();
}

/** Runs `effect` once per turn however often the turn runs (see TurnReplay); outside a turn, just runs it. */
export function onceInTurn<T>(what: string, effect: () => Promise<T>): Promise<T> {
  return current.getStore()?.once(what, effect) ?? effect();
}

/** Runs one turn (and its re-runs) with the same replay. */
export function withTurnReplay<T>(replay: TurnReplay, turn: () => Promise<T>): Promise<T> {
  return current.run(replay, turn);
}
