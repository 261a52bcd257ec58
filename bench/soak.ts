/**
 * `npm run soak -- --users 1000 --minutes 5 [--faults] [--store sqlite|cosmos] [--seed 1] [--think-seconds 0] [--retry-seconds 15]`
 *
 * N people enrol at once (authenticator app, then a phone by text) for M
 * minutes, or until each has finished once, against the real bot in its own
 * process (SQLite), or two of them sharing one local Cosmos DB server, each
 * person's requests alternating between them (Cosmos DB). Texts go through
 * the real twilio SDK to a local Twilio double, replies to a local connector.
 * With `--faults`, fault proxies in front of Cosmos DB, Twilio and the
 * connector answer some requests with 429 (with x-ms-retry-after-ms) or 5xx,
 * hang some and drop some connections before or after the upstream acted; on
 * SQLite another connection takes the write lock now and then.
 *
 * A person behaves as a channel and a person do: a request with no answer (or
 * a 5xx) is delivered again with the same activity id; an answer that showed
 * nothing new gets a "hi"; a refusal ("try again in a minute") is tried
 * again after a while (`--retry-seconds`, on average).
 *
 * Prints: enrollments completed, lost (seen "Success!" but not in the store),
 * duplicated (a method stored twice), error replies, silent answers, p50/p99
 * per step, and the store operations per turn. Only 127.0.0.1 is used; every
 * loop is bounded in count and time, and it stops by itself.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { PersonDocument } from '../src/state/personState';
import { CosmosStore } from '../src/storage/cosmosStore';
import { SqliteStore, sqliteFileIn } from '../src/storage/sqliteStore';
import type { DocumentStore } from '../src/storage/store';
import { systemClock } from '../src/verification/ports';
import { totpCodeAt } from '../src/verification/totp';
import { LOCAL_COSMOS_KEY, type LocalCosmos, startLocalCosmos } from '../test/support/cosmos';
import { FaultProxy, localhostTls } from '../test/support/faultProxy';
import { TwilioDouble } from '../test/support/twilioDouble';
import { type Activity, type Bot, base32Decode, Connector, factValue, findAction, peakRssMiB, percentile, startBot, storeOpsShare } from './shared';

/** CPU seconds a process has used so far (Linux: user + system, from /proc). */
function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const argv = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const at = argv.indexOf(`--${name}`);
  return at >= 0 && argv[at + 1] !== undefined ? argv[at + 1]! : fallback;
};
const USERS = Number(arg('users', '100'));
const MINUTES = Number(arg('minutes', '5'));
const FAULTS = argv.includes('--faults');
const STORE = arg('store', 'sqlite') as 'sqlite' | 'cosmos';
const SEED = Number(arg('seed', '1'));
/** How long a person reads a card before acting (0: at once, the hardest load). */
const THINK_MS = Number(arg('think-seconds', '0')) * 1000;
/** How long a person told "try again in a minute" waits before clicking again (on average; half to one and a half times). */
const RETRY_MS = Number(arg('retry-seconds', '15')) * 1000;
/** How many requests one person makes at most (a whole enrollment takes 8). */
const MAX_REQUESTS = 80;
/** How long a request may wait for its answer (Bot Framework gives up at 15 s). */
const REQUEST_TIMEOUT_MS = 20_000;

if (!Number.isInteger(USERS) || USERS < 1 || USERS > 20_000) throw new Error('--users: 1 to 20000');
if (!(MINUTES > 0 && MINUTES <= 120)) throw new Error('--minutes: more than 0, at most 120');
if (STORE !== 'sqlite' && STORE !== 'cosmos') throw new Error('--store: sqlite or cosmos');

const STEPS = ['welcome', 'get the app', 'set up account', 'QR code', 'app code', 'phone number', 'texted code', 'success'] as const;
type StepName = (typeof STEPS)[number];

/** Which step a card is, as a person reads it; and what the step after it takes. */
function stepOf(card: Activity | undefined): StepName | 'done' | 'unknown' {
  const json = JSON.stringify(card ?? {});
  if (json.includes('Success!')) return 'done';
  if (json.includes('Scan the QR code')) return 'app code';
  if (json.includes('Set up your account')) return 'QR code';
  if (json.includes('Start by getting the app')) return 'set up account';
  if (json.includes('More information required')) return 'get the app';
  if (json.includes('What phone number would you like to use?')) return 'phone number';
  if (json.includes('We just sent a 6 digit code to')) return 'texted code';
  if (findAction(card, 'Next')) return 'success';
  return 'unknown';
}

interface Figures {
  latencies: Record<StepName | 'other', number[]>;
  statuses: Record<string, number>;
  errorReplies: Record<string, number>;
  silent: number;
  requests: number;
}

/** The codes the Twilio double was asked to text, by number, read as they come. */
class TextedCodes {
  private seen = 0;
  private readonly codes = new Map<string, string>();
  constructor(private readonly twilio: TwilioDouble) {}
  last(to: string): string | undefined {
    const messages = this.twilio.messages();
    for (; this.seen < messages.length; this.seen++) {
      const m = messages[this.seen]!;
      const code = /\b(\d{6})\b/.exec(m.form.Body ?? '')?.[1];
      if (code && m.form.To) this.codes.set(m.form.To, code);
    }
    return this.codes.get(to);
  }
}

/** One person: a Teams user posting to the bot(s), reading their own chat at the connector. */
class SoakPerson {
  private seq = 0;
  private turn = 0;
  readonly conversation: string;
  readonly aad: string;
  sawSuccess = false;
  /** Told to try again in a minute: waits a while before the next click, as people do. */
  toldToWait = false;
  /** Requests made, and the last error reply read (for the unfinished ones' line). */
  requestsMade = 0;
  lastError: string | undefined;
  /** Messages that reached their chat so far. */
  messages = 0;
  constructor(
    readonly index: number,
    private readonly bots: readonly string[],
    private readonly serviceUrl: string,
    private readonly connector: Connector,
  ) {
    this.aad = `soak-${SEED}-${index}`;
    this.conversation = `a:${this.aad}`;
  }

  get personId(): string {
    return `aad:${this.aad}`;
  }
  get phone(): string {
    return `201 ${200 + (this.index % 800)} ${String(1000 + Math.floor(this.index / 800)).padStart(4, '0')}`;
  }
  get e164(): string {
    return `+1${this.phone.replace(/\D/g, '')}`;
  }

  activity(extra: Activity): Activity {
    return {
      type: 'message',
      id: `${this.aad}-${++this.seq}`,
      channelId: 'msteams',
      serviceUrl: this.serviceUrl,
      from: { id: `29:${this.aad}`, name: this.aad, aadObjectId: this.aad },
      recipient: { id: '28:bot', name: 'bot' },
      conversation: { id: this.conversation, conversationType: 'personal', tenantId: 't' },
      channelData: { tenant: { id: 't' } },
      ...extra,
    };
  }

  card(): Activity | undefined {
    return this.connector.lastCard.get(this.conversation);
  }

  /** Posts one activity to the next bot in turn; the HTTP status (0: no answer). */
  async post(activity: Activity): Promise<number> {
    const bot = this.bots[this.turn++ % this.bots.length]!;
    try {
      const response = await fetch(`${bot}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(activity),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      await response.arrayBuffer();
      return response.status;
    } catch {
      return 0;
    }
  }

  /** The activity that takes the person on from the card they see. */
  next(codes: TextedCodes): Activity | undefined {
    const card = this.card();
    const click = (title: string, inputs: Record<string, string> = {}) => {
      const action = findAction(card, title);
      return action ? this.activity({ value: { ...(action.data as object), ...inputs } }) : undefined;
    };
    switch (stepOf(card)) {
      case 'get the app':
      case 'set up account':
      case 'QR code':
      case 'success':
        return click('Next');
      case 'app code': {
        // The key from "Can't scan the QR code?", as the app reads it from the QR code.
        const key = factValue(card, 'Secret key');
        return key ? click('Next', { code: totpCodeAt(base32Decode(key), Date.now()) }) : undefined;
      }
      case 'phone number':
        return click('Next', { country: 'US', number: this.phone, method: 'sms' });
      case 'texted code': {
        const code = codes.last(this.e164);
        return code ? click('Next', { code }) : click('Resend code');
      }
      default:
        return undefined;
    }
  }
}

/** Replies that ask the person to try again in a minute. */
const RETRY_LATER = new Set(['busy, try again', 'store unavailable, try again', 'phone service unavailable, try again']);

/** Counts what the person was told that is an error reply (an apology, a refusal to try again). */
function classify(activity: Activity): string | undefined {
  const json = JSON.stringify(activity);
  if (json.includes('The service is busy')) return 'busy, try again';
  if (json.includes("I can't reach my records just now")) return 'store unavailable, try again';
  if (json.includes("We couldn't reach our phone service")) return 'phone service unavailable, try again';
  if (json.includes('something went wrong on my side')) return 'something went wrong';
  if (json.includes('I was still working on your previous message')) return 'previous message still in progress';
  if (/Reference: [0-9a-f]{8}/.test(json)) return 'other refusal with a reference';
  return undefined;
}

async function enrol(person: SoakPerson, codes: TextedCodes, figures: Figures, deadline: number): Promise<void> {
  const record = (step: StepName | 'other', status: number, started: number) => {
    figures.requests += 1;
    figures.statuses[status] = (figures.statuses[status] ?? 0) + 1;
    if (status !== 0) figures.latencies[step].push(performance.now() - started);
  };
  const timed = async (step: StepName | 'other', activity: Activity): Promise<number> => {
    const started = performance.now();
    const status = await person.post(activity);
    record(step, status, started);
    return status;
  };
  let requests = 0;
  const open = person.activity({ type: 'conversationUpdate', membersAdded: [{ id: '28:bot', name: 'bot' }] });
  for (let again = 0; again < 5 && requests < MAX_REQUESTS; again++) {
    requests += 1;
    const status = await timed('welcome', open);
    if (status === 200) break;
  }
  while (requests < MAX_REQUESTS && Date.now() < deadline) {
    if (stepOf(person.card()) === 'done') {
      person.sawSuccess = true;
      person.requestsMade = requests;
      return;
    }
    if (THINK_MS > 0) await new Promise((resolve) => setTimeout(resolve, THINK_MS * (0.5 + Math.random())));
    if (person.toldToWait) {
      person.toldToWait = false;
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS * (0.5 + Math.random())));
    }
    const before = person.card();
    const messagesBefore = person.messages;
    const step = stepOf(before);
    const move = person.next(codes) ?? person.activity({ text: 'hi' });
    const name: StepName | 'other' = step === 'done' || step === 'unknown' ? 'other' : step;
    let status = 0;
    // Delivered again, with the same id, until it is answered (as Bot Framework does), a few times at most.
    for (let attempt = 0; attempt < 8 && requests < MAX_REQUESTS; attempt++) {
      requests += 1;
      status = await timed(name, move);
      if (status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 200 * (attempt + 1)));
    }
    if (status === 200 && person.messages === messagesBefore) {
      // An answer, and nothing reached the chat: the person waits a moment, then writes ("hi", or clicks again).
      figures.silent += 1;
      await new Promise((resolve) => setTimeout(resolve, 300));
      if (person.next(codes) === undefined) {
        requests += 1;
        await timed('other', person.activity({ text: 'hi' }));
      }
    }
  }
  person.requestsMade = requests;
  if (stepOf(person.card()) === 'done') person.sawSuccess = true;
}

async function main(): Promise<void> {
  const started = Date.now();
  const deadline = started + MINUTES * 60_000;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'soak-'));
  const connector = new Connector();
  await connector.start();
  const twilio = await new TwilioDouble().start();
  const random = FAULTS ? SEED : 0;
  const twilioProxy = await new FaultProxy({ target: twilio.url, seed: random + 1 }).start();
  const channelProxy = await new FaultProxy({ target: connector.url, seed: random + 2 }).start();
  let cosmos: LocalCosmos | undefined;
  let cosmosProxy: FaultProxy | undefined;
  const bots: Bot[] = [];
  let locker: NodeJS.Timeout | undefined;
  let sqliteLocks = () => 0;
  const env: Record<string, string> = {
    ENCRYPTION_KEYS: `soak:${Buffer.alloc(32, 5).toString('base64')}`,
    TWILIO_ACCOUNT_SID: `AC${'3'.repeat(32)}`,
    TWILIO_AUTH_TOKEN: 'soak-auth-token',
    TWILIO_FROM_NUMBER: '+14255550199',
    TWILIO_API_BASE_URL: twilioProxy.url,
    PUBLIC_BASE_URL: 'http://127.0.0.1:9',
  };
  try {
    if (STORE === 'cosmos') {
      cosmos = await startLocalCosmos();
      const tls = await localhostTls();
      cosmosProxy = await new FaultProxy({ target: cosmos.endpoint, tls, upstreamAgent: cosmos.agent, seed: random + 3 }).start();
      Object.assign(env, {
        STORE: 'cosmos',
        COSMOS_ENDPOINT: cosmosProxy.url,
        COSMOS_KEY: LOCAL_COSMOS_KEY,
        COSMOS_DATABASE: 'soak',
        BENCH_COSMOS_CA: tls.cert,
      });
    }
    // Two instances on one Cosmos DB; SQLite is one file for one instance.
    for (let i = 0; i < (STORE === 'cosmos' ? 2 : 1); i++) bots.push(await startBot('enrollment', dataDir, env));

    const injected = () => ({
      cosmos: cosmosProxy?.injected ?? {},
      twilio: twilioProxy.injected,
      channel: channelProxy.injected,
      sqliteWriteLocksHeld: sqliteLocks(),
    });
    if (FAULTS) {
      cosmosProxy
        ?.inject({ fault: { status: 429, headers: { 'x-ms-retry-after-ms': '50' } }, probability: 0.02 })
        .inject({ when: (r) => r.method !== 'GET', fault: { status: 503 }, probability: 0.003 })
        .inject({ fault: { drop: 'before' }, probability: 0.002 })
        .inject({ when: (r) => r.method !== 'GET', fault: { drop: 'after' }, probability: 0.002 })
        .inject({ fault: { hang: true }, probability: 0.0003 });
      twilioProxy
        .inject({ fault: { status: 503 }, probability: 0.03 })
        .inject({ fault: { status: 429 }, probability: 0.02 })
        .inject({ fault: { drop: 'after' }, probability: 0.01 })
        .inject({ fault: { hang: true }, probability: 0.003 });
      channelProxy.inject({ fault: { status: 502 }, probability: 0.01 }).inject({ fault: { hang: true }, probability: 0.0005 });
      if (STORE === 'sqlite') {
        // Another connection (a backup, npm run rekey) takes the write lock for 1.2 s every 10 s.
        const other = new Database(sqliteFileIn(dataDir));
        let holds = 0;
        locker = setInterval(() => {
          if (holds++ >= MINUTES * 6) return;
          other.exec('BEGIN IMMEDIATE');
          setTimeout(() => other.exec('ROLLBACK'), 1200);
        }, 10_000);
        sqliteLocks = () => Math.min(holds, MINUTES * 6);
      }
    }

    const figures: Figures = {
      latencies: Object.fromEntries([...STEPS, 'other'].map((s) => [s, []])) as unknown as Figures['latencies'],
      statuses: {},
      errorReplies: {},
      silent: 0,
      requests: 0,
    };
    const byConversation = new Map<string, SoakPerson>();
    connector.onMessage = (conversation, activity) => {
      const person = byConversation.get(conversation);
      if (person) person.messages += 1;
      const kind = classify(activity);
      if (person && kind) person.lastError = kind;
      if (person && kind && RETRY_LATER.has(kind)) person.toldToWait = true;
      if (kind) figures.errorReplies[kind] = (figures.errorReplies[kind] ?? 0) + 1;
    };
    const codes = new TextedCodes(twilio);
    const urls = bots.map((b) => b.url);
    const people = Array.from({ length: USERS }, (_, i) => new SoakPerson(i, urls, channelProxy.url, connector));
    for (const p of people) byConversation.set(p.conversation, p);
    console.log(
      `Soak: ${USERS} people at once, ${MINUTES} min at most, store ${STORE} (${bots.length} instance${bots.length > 1 ? 's' : ''}), faults ${FAULTS ? `on (seed ${SEED})` : 'off'}; ${os.cpus().length} cores, Node ${process.version}`,
    );
    for (const bot of bots) bot.costs.length = 0;
    const cpuBefore = { bots: bots.map((b) => cpuSeconds(b.child.pid!)), generator: cpuSeconds(process.pid) };
    const loadStarted = performance.now();
    const progress = setInterval(() => {
      const done = people.filter((p) => p.sawSuccess).length;
      console.log(`  ${Math.round((performance.now() - loadStarted) / 1000)} s: ${done} finished, ${figures.requests} requests`);
    }, 15_000);
    await Promise.all(
      people.map(async (p) => {
        // Arrivals spread over the first seconds, as people open the chat.
        await new Promise((resolve) => setTimeout(resolve, Math.floor((p.index / USERS) * Math.min(10_000, USERS * 10))));
        await enrol(p, codes, figures, deadline);
      }),
    );
    clearInterval(progress);
    const seconds = (performance.now() - loadStarted) / 1000;
    if (locker) clearInterval(locker);
    cosmosProxy?.clear();
    twilioProxy.clear();
    channelProxy.clear();
    const cpu = {
      bots: bots.map((b, i) => Math.round((cpuSeconds(b.child.pid!) - cpuBefore.bots[i]!) * 10) / 10),
      generator: Math.round((cpuSeconds(process.pid) - cpuBefore.generator) * 10) / 10,
    };
    const rss = bots.map((b) => peakRssMiB(b.child.pid!));
    // Let the bots print the last turns' costs, then stop them.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const costs = bots.flatMap((b) => b.costs);
    for (const bot of bots) bot.child.kill('SIGTERM');
    await Promise.all(bots.map((b) => new Promise((resolve) => (b.child.exitCode !== null ? resolve(null) : b.child.once('exit', resolve)))));

    // The data: everyone who saw "Success!" is in the store with one app and one phone; nobody has a method twice.
    const store: DocumentStore =
      STORE === 'cosmos'
        ? await CosmosStore.open({ endpoint: cosmos!.endpoint, key: LOCAL_COSMOS_KEY, database: 'soak', agent: cosmos!.agent }, systemClock)
        : new SqliteStore(sqliteFileIn(dataDir), systemClock, { bytes: () => Buffer.alloc(0), int: () => 0, id: () => 'x' });
    let lost = 0;
    let duplicated = 0;
    let storedComplete = 0;
    for (const p of people) {
      const doc = (await store.get<PersonDocument>('state', p.personId))?.value;
      const kinds: Record<string, number> = {};
      for (const m of doc?.profile?.methods ?? []) kinds[m.kind] = (kinds[m.kind] ?? 0) + 1;
      if (Object.values(kinds).some((n) => n > 1)) duplicated += 1;
      const complete = kinds.authenticatorApp === 1 && kinds.phone === 1;
      if (complete) storedComplete += 1;
      if (p.sawSuccess && !complete) lost += 1;
    }
    await store.close();

    const completed = people.filter((p) => p.sawSuccess).length;
    const perStep = [...STEPS, 'other' as const]
      .map((step) => {
        const sorted = [...figures.latencies[step]].sort((a, b) => a - b);
        return { step, requests: sorted.length, p50ms: Math.round(percentile(sorted, 50)), p99ms: Math.round(percentile(sorted, 99)) };
      })
      .filter((row) => row.requests > 0);
    const mean = (field: 'reads' | 'writes' | 'queries') =>
      costs.length ? Math.round((costs.reduce((sum, c) => sum + c[field], 0) / costs.length) * 100) / 100 : 0;
    console.log(`\nenrollments completed: ${completed} of ${USERS} (stored complete: ${storedComplete}) in ${Math.round(seconds)} s`);
    console.log(`lost (saw "Success!", not stored): ${lost}`);
    console.log(`duplicated (a method stored twice): ${duplicated}`);
    console.log(`requests: ${figures.requests} (${Math.round(figures.requests / seconds)}/s); HTTP answers:`, figures.statuses);
    console.log('error replies (what people were told):', figures.errorReplies);
    const unfinished = people.filter((p) => !p.sawSuccess);
    if (unfinished.length > 0) {
      console.log(
        `unfinished (where they stopped, first 5): ${unfinished
          .slice(0, 5)
          .map((p) => `#${p.index} at "${stepOf(p.card())}" after ${p.requestsMade} requests, last told "${p.lastError ?? 'nothing wrong'}"`)
          .join('; ')}`,
      );
    }
    console.log(`silent answers (200, nothing reached the chat): ${figures.silent}`);
    console.log('per step (ms, from the request to its answer):');
    console.table(perStep);
    console.log(`store operations per turn: ${mean('reads')} reads, ${mean('writes')} writes, ${mean('queries')} queries over ${costs.length} turns`);
    console.log('share of turns:', storeOpsShare(costs));
    if (FAULTS) console.log('faults injected:', injected());
    console.log(
      `CPU seconds over the ${Math.round(seconds)} s: bot${bots.length > 1 ? 's' : ''} ${cpu.bots.join(' + ')}, load generator (people, connector, Twilio double, proxies${STORE === 'cosmos' ? ', Cosmos DB server' : ''}) ${cpu.generator}; ${os.cpus().length} cores = ${Math.round(seconds * os.cpus().length)} CPU seconds; peak RSS of the bot${bots.length > 1 ? 's' : ''}: ${rss.join(', ')} MiB`,
    );
    process.exitCode = lost > 0 || duplicated > 0 ? 1 : 0;
  } finally {
    if (locker) clearInterval(locker);
    for (const bot of bots) if (bot.child.exitCode === null) bot.child.kill('SIGKILL');
    await cosmosProxy?.stop();
    await cosmos?.stop();
    await twilioProxy.stop();
    await channelProxy.stop();
    await twilio.stop();
    connector.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
