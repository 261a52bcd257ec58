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
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { totpCodeAt } from '../src/verification/totp';

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

type Activity = Record<string, unknown>;

/** The connector at serviceUrl: answers every reply at once and keeps the last card per conversation. */
class Connector {
  readonly lastCard = new Map<string, Activity>();
  private readonly server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      const conversation = decodeURIComponent(/conversations\/([^/]+)/.exec(req.url ?? '')?.[1] ?? '');
      if (req.method === 'POST' && body) {
        const activity = JSON.parse(body) as Activity;
        const card = (activity.attachments as Array<{ content: Activity }> | undefined)?.[0]?.content;
        if (card) this.lastCard.set(conversation, card);
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: `a${Math.random().toString(36).slice(2)}` }));
    });
  });
  url = '';
  async start() {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  stop() {
    this.server.closeAllConnections();
    this.server.close();
  }
}

interface Bot {
  readonly url: string;
  readonly child: ChildProcess;
  /** Store operations (and CPU time) per turn, from the bot's "turn cost" lines. */
  readonly costs: Array<{ reads: number; writes: number; queries: number; cpuMicros: number }>;
}

async function startBot(kind: 'enrollment' | 'echo', dataDir: string): Promise<Bot> {
  const child = spawn(process.execPath, ['bench/servers.js', kind, dataDir], {
    cwd: path.join(__dirname, '..'),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const costs: Bot['costs'] = [];
  const port = await new Promise<number>((resolve, reject) => {
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let newline = buffer.indexOf('\n');
      while (newline >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        const listening = /^listening (\d+)$/.exec(line);
        if (listening) resolve(Number(listening[1]));
        else if (line.includes('"turn cost"')) {
          const { storeCost, cpuMicros } = JSON.parse(line);
          costs.push({ ...storeCost, cpuMicros });
        }
        newline = buffer.indexOf('\n');
      }
    });
    child.once('exit', (code) => reject(new Error(`${kind} bot exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, child, costs };
}

/** Peak resident memory of a process (Linux), in MiB. */
function peakRssMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024);
}

interface Stats {
  turns: number;
  errors: number;
  latencies: number[];
  enrollments: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
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

function findAction(node: unknown, title: string): Activity | undefined {
  if (Array.isArray(node)) {
    for (const item of node) {
      const found = findAction(item, title);
      if (found) return found;
    }
  } else if (node && typeof node === 'object') {
    const n = node as Activity;
    if (n.type === 'Action.Submit' && n.title === title) return n;
    for (const value of Object.values(n)) {
      const found = findAction(value, title);
      if (found) return found;
    }
  }
  return undefined;
}

function factValue(node: unknown, title: string): string | undefined {
  const json = JSON.stringify(node ?? {});
  const match = new RegExp(`"title":"${title}","value":"([^"]+)"`).exec(json);
  return match?.[1];
}

function base32Decode(input: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const ch of input.replace(/\s/g, '')) bits += alphabet.indexOf(ch).toString(2).padStart(5, '0');
  return Buffer.from((bits.match(/.{8}/g) ?? []).map((b) => Number.parseInt(b, 2)));
}

/**
 * The codes texted so far, by number, read from the dev outbox as it grows
 * (only the new bytes each time, so the load generator's own work stays small
 * and constant: it shares the machine with the bot it measures).
 */
class Outbox {
  private offset = 0;
  private readonly codes = new Map<string, string>();
  constructor(private readonly file: string) {}

  textedCode(to: string): string | undefined {
    const fd = fs.openSync(this.file, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      if (size > this.offset) {
        const chunk = Buffer.alloc(size - this.offset);
        fs.readSync(fd, chunk, 0, chunk.length, this.offset);
        const text = chunk.toString('utf8');
        const complete = text.lastIndexOf('\n') + 1;
        this.offset += Buffer.byteLength(text.slice(0, complete));
        for (const line of text.slice(0, complete).split('\n')) {
          if (!line) continue;
          const entry = JSON.parse(line) as { channel: string; to: string; body: string };
          const code = entry.channel === 'sms' ? /\b(\d{6})\b/.exec(entry.body)?.[1] : undefined;
          if (code) this.codes.set(entry.to, code);
        }
      }
    } finally {
      fs.closeSync(fd);
    }
    return this.codes.get(to);
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

/** How many turns did what to the store: "1 read, 1 write": 75 (%), most common first. */
function storeOpsShare(costs: Bot['costs']): Record<string, number> {
  const counts = new Map<string, number>();
  for (const { reads, writes } of costs) {
    const key = `${reads} read${reads === 1 ? '' : 's'}, ${writes} write${writes === 1 ? '' : 's'}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return Object.fromEntries([...counts].sort((a, b) => b[1] - a[1]).map(([key, n]) => [key, Math.round((n / costs.length) * 1000) / 10]));
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
