/**
 * What the benchmarks share: the connector that absorbs the bots' replies,
 * the bots in their own processes with their per-turn store costs, reading a
 * card as a person would, the dev outbox, percentiles and the store's share
 * of turns. Only loopback addresses are used.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export type Activity = Record<string, unknown>;

/** The connector at serviceUrl: answers every reply at once and keeps the last card per conversation. */
export class Connector {
  readonly lastCard = new Map<string, Activity>();
  /** Told of every message posted, by conversation (the soak reads what was said). */
  onMessage?: (conversation: string, activity: Activity) => void;
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
        this.onMessage?.(conversation, activity);
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

export interface Bot {
  readonly url: string;
  readonly child: ChildProcess;
  /** Store operations (and CPU time) per turn, from the bot's "turn cost" lines. */
  readonly costs: Array<{ reads: number; writes: number; queries: number; cpuMicros: number }>;
}

/** Starts a bot of bench/servers.js; `env` adds settings (a store, Twilio) to the enrollment bot's. */
export async function startBot(kind: 'enrollment' | 'echo', dataDir: string, env: Record<string, string> = {}): Promise<Bot> {
  const child = spawn(process.execPath, ['bench/servers.js', kind, dataDir], {
    cwd: path.join(__dirname, '..'),
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, BENCH_ENV: JSON.stringify(env) },
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
export function peakRssMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024);
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export function findAction(node: unknown, title: string): Activity | undefined {
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

export function factValue(node: unknown, title: string): string | undefined {
  const json = JSON.stringify(node ?? {});
  const match = new RegExp(`"title":"${title}","value":"([^"]+)"`).exec(json);
  return match?.[1];
}

export function base32Decode(input: string): Buffer {
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
export class Outbox {
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

/** How many turns did what to the store: "1 read, 1 write": 75 (%), most common first. */
export function storeOpsShare(costs: Bot['costs']): Record<string, number> {
  const counts = new Map<string, number>();
  for (const { reads, writes } of costs) {
    const key = `${reads} read${reads === 1 ? '' : 's'}, ${writes} write${writes === 1 ? '' : 's'}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return Object.fromEntries([...counts].sort((a, b) => b[1] - a[1]).map(([key, n]) => [key, Math.round((n / costs.length) * 1000) / 10]));
}

