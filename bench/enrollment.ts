/**
 * `npm run bench`: whole enrollments per second against an echo-bot baseline,
 * measured in the same run on the same machine. It prints figures; it never
 * fails on speed. Options: --users 50 --seconds 20 --rounds 100 --warmup 5 --step-seconds 5
 *
 * Each bot first gets `--warmup` seconds of the same load, not counted (the JIT
 * and the caches warm up, as in a service that has been running); then each
 * simulated user runs sessions back to back until `--rounds` sessions or
 * `--seconds`, whichever comes first.
 *
 * Each bot runs in its own process (so its memory is its own); this process is
 * the load generator and the connector that absorbs the replies. Only loopback
 * addresses are used.
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { totpCodeAt } from '../src/verification/totp';
import {
  type Activity,
  type Bot,
  base32Decode,
  Connector,
  factValue,
  findAction,
  Outbox,
  peakRssMiB,
  percentile,
  startBot,
  storeOpsShare,
} from './shared';

const arg = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const USERS = arg('users', 50);
const SECONDS = arg('seconds', 20);
const ROUNDS = arg('rounds', 100);
const WARMUP_SECONDS = arg('warmup', 5);
/** How long each bot is then driven by one person at a time, for the cost of each step. */
const STEP_SECONDS = arg('step-seconds', 5);
/** Profiling aid: drive a bot already running there (e.g. under --cpu-prof), and nothing else; `--echo` if it is the echo bot. */
const TARGET = process.argv.includes('--target') ? process.argv[process.argv.indexOf('--target') + 1] : undefined;
const TARGET_OUTBOX = process.argv.includes('--outbox') ? process.argv[process.argv.indexOf('--outbox') + 1] : undefined;

interface Stats {
  turns: number;
  errors: number;
  latencies: number[];
  enrollments: number;
}

/** One simulated person: posts activities as Teams would, timing each turn. */
class Person {
  private seq = 0;
  constructor(
    private readonly bot: string,
    private readonly connector: Connector,
    private readonly id: string,
    private readonly stats: Stats,
  ) {}

  private activity(extra: Activity): Activity {
    return {
      type: 'message',
      id: `${this.id}-${++this.seq}`,
      channelId: 'msteams',
      serviceUrl: this.connector.url,
      from: { id: `29:${this.id}`, name: this.id, aadObjectId: this.id },
      recipient: { id: '28:bot', name: 'bot' },
      conversation: { id: `a:${this.id}`, conversationType: 'personal', tenantId: 't' },
      ...extra,
    };
  }

  async send(extra: Activity): Promise<void> {
    const started = performance.now();
    try {
      const response = await fetch(`${this.bot}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(this.activity(extra)),
      });
      await response.arrayBuffer();
      if (!response.ok) this.stats.errors += 1;
    } catch {
      this.stats.errors += 1;
    }
    this.stats.latencies.push(performance.now() - started);
    this.stats.turns += 1;
  }

  card(): Activity | undefined {
    return this.connector.lastCard.get(`a:${this.id}`);
  }

  async click(title: string, inputs: Record<string, string> = {}): Promise<void> {
    const action = findAction(this.card(), title);
    if (!action) {
      this.stats.errors += 1;
      return;
    }
    await this.send({ value: { ...(action.data as object), ...inputs } });
  }
}

/** A whole enrollment as in the seed: welcome → app → QR → code → phone → code → success. */
/** A different valid US mobile number for every session (a number has its own cooldown and daily cap). */
let phones = 0;
function nextPhone(): string {
  const n = phones++;
  return `201 ${200 + (n % 800)} ${String(Math.floor(n / 800) % 10_000).padStart(4, '0')}`;
}

async function enroll(person: Person, phone: string, outbox: Outbox): Promise<boolean> {
  await person.send({ type: 'conversationUpdate', membersAdded: [{ id: '28:bot', name: 'bot' }] });
  await person.click('Next');
  await person.click('Next');
  await person.click('Next');
  // The generator reads the key from "Can't scan the QR code?" as a person's app would from the QR code.
  const key = factValue(person.card(), 'Secret key');
  if (!key) return false;
  await person.click('Next', { code: totpCodeAt(base32Decode(key), Date.now()) });
  await person.click('Next', { country: 'US', number: phone, method: 'sms' });
  const code = outbox.textedCode(`+1${phone.replace(/\D/g, '')}`);
  if (!code) return false;
  await person.click('Next', { code });
  await person.click('Next');
  return JSON.stringify(person.card()).includes('Success!');
}

/** How many turns `enroll` takes. */
const ENROLLMENT_TURNS = 8;

/** The echo bot's session: as many turns as an enrollment. */
async function echoSession(person: Person): Promise<boolean> {
  for (let i = 0; i < ENROLLMENT_TURNS; i++) await person.send({ text: `hello ${i}` });
  return true;
}

type Work = (person: Person) => Promise<boolean>;

/** Sessions of `work` by USERS people at once, back to back, for `seconds` (or `rounds` sessions each). */
async function load(name: string, bot: Bot, connector: Connector, work: Work, seconds: number, rounds: number): Promise<Stats> {
  const stats: Stats = { turns: 0, errors: 0, latencies: [], enrollments: 0 };
  const deadline = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: USERS }, async (_, user) => {
      for (let round = 0; round < rounds && Date.now() < deadline; round++) {
        const person = new Person(bot.url, connector, `${name}-${user}-${round}-${Math.random().toString(36).slice(2, 8)}`, stats);
        if (await work(person)) stats.enrollments += 1;
      }
    }),
  );
  return stats;
}

async function drive(name: string, bot: Bot, connector: Connector, work: Work) {
  if (WARMUP_SECONDS > 0) await load(`${name}-warmup`, bot, connector, work, WARMUP_SECONDS, ROUNDS);
  bot.costs.length = 0;
  const started = performance.now();
  const stats = await load(name, bot, connector, work, SECONDS, ROUNDS);
  const seconds = (performance.now() - started) / 1000;
  const sorted = [...stats.latencies].sort((a, b) => a - b);
  const perTurn = (field: 'reads' | 'writes') => (bot.costs.length ? bot.costs.reduce((sum, c) => sum + c[field], 0) / bot.costs.length : 0);
  return {
    name,
    users: USERS,
    turns: stats.turns,
    enrollments: stats.enrollments,
    errors: stats.errors,
    seconds: Math.round(seconds * 10) / 10,
    turnsPerSecond: Math.round((stats.turns / seconds) * 10) / 10,
    p50: Math.round(percentile(sorted, 50)),
    p95: Math.round(percentile(sorted, 95)),
    p99: Math.round(percentile(sorted, 99)),
    peakRssMiB: peakRssMiB(bot.child.pid!),
    storeReadsPerTurn: Math.round(perTurn('reads') * 100) / 100,
    storeWritesPerTurn: Math.round(perTurn('writes') * 100) / 100,
    storeOpsShare: storeOpsShare(bot.costs),
  };
}

/** What each turn of a session costs the bot's CPU, one person at a time (so turns do not overlap): the mean of each step, in ms. */
async function stepCosts(bot: Bot, connector: Connector, work: Work, seconds: number): Promise<number[]> {
  // A bot prints a turn's line after answering it: wait for every line of the turns so far before counting afresh.
  const settle = async (turns: number) => {
    for (let waited = 0; bot.costs.length < turns && waited < 5000; waited += 10) await new Promise((r) => setTimeout(r, 10));
  };
  // The lines of the load before: all in once none has come for a while.
  for (let seen = -1; seen !== bot.costs.length; ) {
    seen = bot.costs.length;
    await new Promise((r) => setTimeout(r, 200));
  }
  bot.costs.length = 0;
  const stats: Stats = { turns: 0, errors: 0, latencies: [], enrollments: 0 };
  const deadline = Date.now() + seconds * 1000;
  for (let round = 0; Date.now() < deadline; round++) {
    await work(new Person(bot.url, connector, `steps-${round}-${Math.random().toString(36).slice(2, 8)}`, stats));
  }
  await settle(stats.turns);
  const sums = new Array<number>(ENROLLMENT_TURNS).fill(0);
  const sessions = Math.floor(bot.costs.length / ENROLLMENT_TURNS);
  bot.costs.slice(0, sessions * ENROLLMENT_TURNS).forEach((cost, i) => {
    sums[i % ENROLLMENT_TURNS]! += cost.cpuMicros;
  });
  return sums.map((sum) => Math.round(sum / Math.max(1, sessions) / 10) / 100);
}

/** The steps of `enroll`, one per turn. */
const STEPS = ['welcome', 'get the app', 'set up account', 'QR code', 'app code', 'phone number', 'texted code', 'success'];

async function profileTarget(url: string, outbox: string): Promise<void> {
  const connector = new Connector();
  await connector.start();
  const bot = { url, child: { pid: process.pid } as ChildProcess, costs: [] };
  const texts = new Outbox(outbox);
  const result = process.argv.includes('--echo')
    ? await drive('echo', bot, connector, echoSession)
    : await drive('enrollment', bot, connector, (person) => enroll(person, nextPhone(), texts));
  console.table([result]);
  connector.stop();
}

async function main(): Promise<void> {
  if (TARGET && TARGET_OUTBOX) return profileTarget(TARGET, TARGET_OUTBOX);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-'));
  const connector = new Connector();
  await connector.start();
  const enrollmentBot = await startBot('enrollment', dataDir);
  const echoBot = await startBot('echo', dataDir);
  const outbox = new Outbox(path.join(dataDir, 'outbox.jsonl'));
  try {
    console.log(
      `Benchmark: ${USERS} concurrent users; per bot ${WARMUP_SECONDS} s of warm-up, then ${SECONDS} s (at most ${ROUNDS} sessions a user); ${os.cpus().length} cores, Node ${process.version}`,
    );
    const enrollment = await drive('enrollment', enrollmentBot, connector, (person) => enroll(person, nextPhone(), outbox));
    // The echo bot gets the same concurrency and as many turns per session as an enrollment takes.
    const echo = await drive('echo', echoBot, connector, echoSession);
    const ratios = {
      turnsPerSecond: Math.round((enrollment.turnsPerSecond / echo.turnsPerSecond) * 100) / 100,
      p99: Math.round((enrollment.p99 / Math.max(1, echo.p99)) * 100) / 100,
    };
    const { storeOpsShare: enrollmentOps, ...enrollmentRow } = enrollment;
    const { storeOpsShare: echoOps, ...echoRow } = echo;
    console.table([enrollmentRow, echoRow]);
    console.log(`enrollment/echo: turns/s × ${ratios.turnsPerSecond}, p99 × ${ratios.p99}`);
    console.log('store operations per turn (% of turns):', { enrollment: enrollmentOps, echo: echoOps });
    // Then one person at a time, for each step's own cost.
    const enrollmentSteps = await stepCosts(enrollmentBot, connector, (person) => enroll(person, nextPhone(), outbox), STEP_SECONDS);
    const echoSteps = await stepCosts(echoBot, connector, echoSession, STEP_SECONDS);
    const steps = STEPS.map((step, i) => ({ step, enrollmentCpuMs: enrollmentSteps[i]!, echoCpuMs: echoSteps[i]! }));
    console.log('CPU per turn, one person at a time:');
    console.table(steps);
    console.log(`whole enrollments: ${enrollment.enrollments} in ${enrollment.seconds} s = ${Math.round((enrollment.enrollments / enrollment.seconds) * 60)} per minute`);
    const file = path.join(__dirname, 'results', `enrollment-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(
      file,
      JSON.stringify({ at: new Date().toISOString(), cores: os.cpus().length, node: process.version, enrollment, echo, ratios, steps }, null, 2),
    );
    console.log(`written to ${path.relative(process.cwd(), file)}`);
  } finally {
    enrollmentBot.child.kill();
    echoBot.child.kill();
    connector.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
