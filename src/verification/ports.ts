import { randomBytes, randomInt, randomUUID } from 'node:crypto';

/** Time comes in through this port so tests can freeze it. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

/** Randomness comes in through this port; production uses the CSPRNG. */
export interface Random {
  bytes(length: number): Buffer;
  /** A uniform integer in [0, maxExclusive). */
  int(maxExclusive: number): number;
  /** An unguessable identifier. */
  id(): string;
}

export const systemClock: Clock = { now: () => Date.now() };

export const cryptoRandom: Random = {
  bytes: (length) => randomBytes(length),
  int: (maxExclusive) => randomInt(maxExclusive),
  id: () => randomUUID(),
};
