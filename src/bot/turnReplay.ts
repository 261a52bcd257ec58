import { AsyncLocalStorage } from 'node:async_hooks';
import { createHmac, randomBytes } from 'node:crypto';
import type { AuditEvent, AuditLog, Clock, Counters, Destination, Messenger, Random, SecurityInfoChange } from '../verification/ports';

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
 * happen. Outside a turn (webhooks, the help desk's sweeps) everything passes
 * straight through.
 */
export class TurnReplay {
  private readonly seed = randomBytes(32);
  /** The turn's time: every run of it happens "now", so its deadlines and windows come out the same. */
  constructor(readonly now: number) {}
  /** Results of every effect done so far, by what it was, in order. */
  private readonly done = new Map<string, unknown[]>();
  /** This run's count of each effect, and of random draws. */
  private seen = new Map<string, number>();
  private draws = 0;

  /** A new run of the same turn: effects and random draws are matched from the start again. */
  rerun(): void {
    this.seen = new Map();
    this.draws = 0;
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

  /** The next `length` bytes of this turn's random stream (HMAC-SHA-256 of a 256-bit seed: as unpredictable as the CSPRNG). */
  bytes(length: number): Buffer {
    const blocks: Buffer[] = [];
    for (let have = 0; have < length; have += 32) {
      blocks.push(
        createHmac('sha256', this.seed)
          .update(`${this.draws++}`)
          .digest(),
      );
    }
    return Buffer.concat(blocks).subarray(0, length);
  }
}

const current = new AsyncLocalStorage<TurnReplay>();

/** The replay of the turn running now, if any. */
export function currentTurnReplay(): TurnReplay | undefined {
  return current.getStore();
}

/** Runs one turn (and its re-runs) with the same replay. */
export function withTurnReplay<T>(replay: TurnReplay, turn: () => Promise<T>): Promise<T> {
  return current.run(replay, turn);
}

/** The ports the verification core sees: replayed within a turn, as they are outside one. */
export function replayed(ports: { clock: Clock; random: Random; counters: Counters; messenger: Messenger; audit: AuditLog }) {
  const clock: Clock = { now: () => current.getStore()?.now ?? ports.clock.now() };
  const once = <T>(what: string, effect: () => Promise<T>) => current.getStore()?.once(what, effect) ?? effect();
  const random: Random = {
    bytes: (length) => current.getStore()?.bytes(length) ?? ports.random.bytes(length),
    int: (max) => {
      const replay = current.getStore();
      if (!replay) return ports.random.int(max);
      // Rejection sampling over 48 bits: uniform in [0, max).
      const limit = 2 ** 48 - (2 ** 48 % max);
      for (;;) {
        const value = replay.bytes(6).readUIntBE(0, 6);
        if (value < limit) return value % max;
      }
    },
    id: () => {
      const replay = current.getStore();
      if (!replay) return ports.random.id();
      const b = replay.bytes(16);
      b[6] = (b[6]! & 0x0f) | 0x40; // version 4
      b[8] = (b[8]! & 0x3f) | 0x80; // RFC 4122 variant
      const hex = b.toString('hex');
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    },
  };
  const key = (k: Parameters<Counters['take']>[0]) => (typeof k === 'string' ? k : k.names[0]!);
  const counters: Counters = {
    take: (k, limit, windowEndsAt) => once(`take ${key(k)} ${limit} ${windowEndsAt}`, () => ports.counters.take(k, limit, windowEndsAt)),
    increment: (k, windowEndsAt) => once(`increment ${key(k)} ${windowEndsAt}`, () => ports.counters.increment(k, windowEndsAt)),
  };
  const messenger: Messenger = {
    sendCode: (to: Destination, code: string, minutes: number) =>
      once(`code ${to.channel} ${to.address} ${code} ${minutes}`, () => ports.messenger.sendCode(to, code, minutes)),
    placeCall: (to, call) => once(`call ${to} ${call.callToken}`, () => ports.messenger.placeCall(to, call)),
    notifyChange: (to: Destination, change: SecurityInfoChange) =>
      once(`notice ${to.channel} ${to.address} ${JSON.stringify(change)}`, () => ports.messenger.notifyChange(to, change)),
  };
  const audit: AuditLog = {
    record: (event: AuditEvent) => once(`audit ${JSON.stringify(event)}`, () => ports.audit.record(event)),
  };
  return { clock, random, counters, messenger, audit };
}
