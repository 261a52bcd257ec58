import { createHash } from 'node:crypto';
import path from 'node:path';
import { Writable } from 'node:stream';
import v8 from 'node:v8';
import vm from 'node:vm';
import fc from 'fast-check';
import { createLogger, type Logger } from '../../src/kit/log';
import type { Random } from '../../src/verification/ports';

/**
 * How the fuzz tests run (npm run test:fuzz): the seed, how many cases each
 * property gets, and the checks every case ends with: no unhandled
 * rejection, no turn that failed inside the bot, the server still up, and
 * (across rounds) a heap that stays within a bound.
 */

declare global {
  /** The worker's own process (test/fuzz/environment.js): the test's `process` is a copy whose listeners never fire. */
  var workerProcess: NodeJS.Process | undefined;
}

function integerSetting(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${name} must be a whole number, not "${raw}"`);
  return value;
}

/** The seed of the whole run (jest.fuzz.config.js draws one when FUZZ_SEED is not set). */
export const SEED = integerSetting('FUZZ_SEED', 42) | 0;

/** Generated cases across every property of every file; FUZZ_RUNS raises it. Sized for 1-3 minutes in CI. */
export const TOTAL_RUNS = integerSetting('FUZZ_RUNS', 3000);

/** Each property's share of TOTAL_RUNS. */
const SHARES = {
  activities: 28,
  cardSubmits: 30,
  smsWebhook: 10,
  voiceWebhooks: 8,
  agentTexts: 4,
  smsText: 6,
  qrLinks: 4,
  adminRoute: 4,
  adminPages: 4,
  campaignRoutes: 4,
  devRoutes: 6,
} as const;

export type PropertyName = keyof typeof SHARES;

const TOTAL_SHARES = Object.values(SHARES).reduce((a, b) => a + b, 0);

/** How many cases a property runs: its share of TOTAL_RUNS (at least one). */
export function runsOf(name: PropertyName): number {
  return Math.max(1, Math.round((TOTAL_RUNS * SHARES[name]) / TOTAL_SHARES));
}

/**
 * How much the heap may grow, after a full collection, from the end of a
 * property's first round to the end of its last one (the first round warms
 * the caches: card expansions, SQLite statements, botbuilder's clients).
 */
export const HEAP_GROWTH_BOUND_MB = 48;

let collect: (() => void) | undefined;

/** The heap in use after a full collection (`global.gc` exposed at run time: npm scripts cannot pass --expose-gc to jest's workers). */
export function heapAfterGc(): number {
  if (!collect) {
    v8.setFlagsFromString('--expose-gc');
    collect = vm.runInNewContext('gc') as () => void;
  }
  collect();
  collect();
  return process.memoryUsage().heapUsed;
}

/** A Random that repeats itself for one seed: with FUZZ_SEED, the bot draws the same nonces, codes and secrets again. */
export function seededRandom(seed: number): Random {
  let counter = 0;
  const bytes = (length: number): Buffer => {
    const blocks: Buffer[] = [];
    for (let have = 0; have < length; have += 32) blocks.push(createHash('sha256').update(`${seed}:${counter++}`).digest());
    return Buffer.concat(blocks).subarray(0, length);
  };
  return {
    bytes,
    int: (maxExclusive) => bytes(6).readUIntBE(0, 6) % maxExclusive,
    id: () => {
      const hex = bytes(16).toString('hex');
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
    },
  };
}

/**
 * What the bot logs at error level: a turn that failed inside the bot (the
 * person got "Sorry, something went wrong") is a finding even when the HTTP
 * answer was 200.
 */
export class ErrorLog {
  readonly lines: string[] = [];
  readonly logger: Logger;

  constructor() {
    const lines = this.lines;
    this.logger = createLogger(
      'error',
      new Writable({
        write(chunk, _encoding, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    );
  }

  /** The lines logged since the last call; empties the log. */
  take(): string[] {
    return this.lines.splice(0, this.lines.length);
  }
}

/** Listens for unhandled rejections on the worker's own process, for as long as the file runs. */
export class RejectionWatch {
  private readonly seen: unknown[] = [];
  private readonly listener = (reason: unknown) => {
    this.seen.push(reason);
  };

  start(): this {
    if (!globalThis.workerProcess)
      throw new Error('run the fuzz tests with test/fuzz/jest.fuzz.config.js (its environment gives workerProcess)');
    globalThis.workerProcess.on('unhandledRejection', this.listener);
    return this;
  }

  stop(): void {
    globalThis.workerProcess?.off('unhandledRejection', this.listener);
  }

  /** Throws if a rejection went unhandled since the last call. */
  check(): void {
    const seen = this.seen.splice(0, this.seen.length);
    if (seen.length > 0) {
      const first = seen[0] instanceof Error ? (seen[0].stack ?? seen[0].message) : String(seen[0]);
      throw new Error(`${seen.length} unhandled rejection(s); the first: ${first}`);
    }
  }
}

/** What every case ends with, besides its own assertions. */
export interface Checks {
  readonly rejections: RejectionWatch;
  readonly errors: ErrorLog;
  /** The server's base URL: it must still answer its health check after each round ('': no server). */
  readonly url: () => string;
  /** Lines of `errors` a case may produce and that are not findings (e.g. a reply to a serviceUrl nobody listens on). */
  readonly excused?: (line: string) => boolean;
}

/** Throws when a status is a server error. */
export function expectAnswered(status: number, what: string): void {
  if (status >= 500) throw new Error(`${what} answered ${status}`);
}

export interface FuzzReport {
  readonly runs: number;
  readonly ms: number;
  /** Heap in use after each round, in MB. */
  readonly heapsMb: number[];
}

/**
 * Runs `predicate` over `arbitrary` for the property's share of the cases, in
 * rounds (seed, seed+1, ...), and checks after each case that nothing went
 * unhandled and no turn failed, and after each round that the server answers
 * and how big the heap is. A failure names the seed to replay it with.
 */
export async function fuzz<T>(
  name: PropertyName,
  arbitrary: fc.Arbitrary<T>,
  predicate: (input: T) => Promise<void>,
  checks: Checks,
  options: {
    readonly rounds?: number;
    readonly betweenRounds?: () => void | Promise<void>;
    /** The part of the property's runs this call takes (a property spread over several tests). */
    readonly share?: number;
    /** Makes this call's cases differ from those of other calls with the same seed. */
    readonly salt?: string;
  } = {},
): Promise<FuzzReport> {
  const runs = Math.max(1, Math.round(runsOf(name) * (options.share ?? 1)));
  const rounds = Math.max(1, Math.min(options.rounds ?? 4, runs));
  const seed = (SEED + (options.salt ? createHash('sha256').update(options.salt).digest().readInt32BE(0) : 0)) | 0;
  const { testPath } = expect.getState();
  const file = path.basename(testPath ?? 'test/fuzz');
  const replay = `replay: FUZZ_SEED=${SEED} FUZZ_RUNS=${TOTAL_RUNS} npm run test:fuzz -- ${file}`;
  const label = `${name}${options.salt ? ` (${options.salt})` : ''}`;
  console.log(`fuzz ${label}: seed=${SEED} numRuns=${runs} in ${rounds} round(s); ${replay}`);
  const started = performance.now();
  const heapsMb: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const numRuns = Math.floor(runs / rounds) + (round < runs % rounds ? 1 : 0);
    const property = fc.asyncProperty(arbitrary, async (input) => {
      checks.errors.take();
      await predicate(input);
      checks.rejections.check();
      const failed = checks.errors.take().filter((line) => !checks.excused?.(line));
      if (failed.length > 0) throw new Error(`the bot logged ${failed.length} error(s); the first: ${failed[0]}`);
    });
    try {
      await fc.assert(property, { seed: (seed + round) | 0, numRuns, includeErrorInReport: true });
    } catch (err) {
      throw new Error(`fuzz ${label}, round ${round + 1} of ${rounds} (${replay})\n${(err as Error).message}`);
    }
    const health = checks.url() ? (await fetch(`${checks.url()}/healthz`)).status : 200;
    if (health !== 200) throw new Error(`fuzz ${label}: the server stopped answering (healthz ${health}) after round ${round + 1}`);
    await options.betweenRounds?.();
    heapsMb.push(Math.round(heapAfterGc() / 1e5) / 10);
  }
  const report = { runs, ms: Math.round(performance.now() - started), heapsMb };
  console.log(`fuzz ${label}: ${runs} cases in ${report.ms} ms; heap after each round (MB): ${heapsMb.join(', ')}`);
  const growth = heapsMb.at(-1)! - heapsMb[0]!;
  if (growth > HEAP_GROWTH_BOUND_MB) {
    throw new Error(
      `fuzz ${label}: the heap grew by ${growth.toFixed(1)} MB across rounds (bound ${HEAP_GROWTH_BOUND_MB} MB): ${heapsMb.join(', ')}`,
    );
  }
  return report;
}

/** Drops what a long run accumulates on the test's side (the connector stub's and the Twilio double's logs), keeping the tail. */
export function trim<T>(list: T[], keep = 20): void {
  if (list.length > keep) list.splice(0, list.length - keep);
}
