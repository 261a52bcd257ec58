import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

/** What the proxy does to a request instead of passing it on as it is. */
export type Fault =
  /** Answers with this status itself (the upstream never sees the request): 429, 500, 503... */
  | { readonly status: number; readonly headers?: Readonly<Record<string, string>>; readonly body?: unknown }
  /** Never answers and never closes: the client's own time-out is all that ends it. */
  | { readonly hang: true }
  /** Closes the connection: `before` the upstream sees the request, or `after` it acted on it (the answer is lost). */
  | { readonly drop: 'before' | 'after' }
  /** Passes the request on after this long (a slow upstream). */
  | { readonly delayMs: number };

export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly body: string;
}

export interface FaultRule {
  /** Which requests it applies to (default: every one). */
  readonly when?: (request: SeenRequest) => boolean;
  readonly fault: Fault;
  /** How many matching requests get the fault (default: all of them, until cleared). */
  readonly times?: number;
  /** The chance that a matching request gets it (default 1). */
  readonly probability?: number;
}

export interface FaultProxyOptions {
  /** Where requests go: http://127.0.0.1:port or https://localhost:port. Only loopback addresses are accepted. */
  readonly target: string;
  /** Serve TLS with this certificate (an HTTPS-terminating proxy, e.g. in front of a local Cosmos DB server). */
  readonly tls?: { readonly key: string; readonly cert: string };
  /** The agent that reaches the target (one that trusts its certificate). */
  readonly upstreamAgent?: http.Agent;
  /** A seed for the draws of `probability`, so that a run can be repeated. */
  readonly seed?: number;
}

/** A small deterministic PRNG (mulberry32): the same seed, the same faults. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * An HTTP(S) proxy on a loopback port in front of a real local service (the
 * Cosmos DB server, the connector stub, the Twilio double) that injects
 * faults by rule: answers of its own (429 with `x-ms-retry-after-ms`, 5xx),
 * requests that hang, connections dropped before or after the upstream acted.
 * Everything else passes through unchanged, except that the upstream's own
 * origin in a JSON answer is replaced by the proxy's (Cosmos DB names its
 * endpoints in its account document, and a client would go round the proxy).
 */
export class FaultProxy {
  readonly seen: SeenRequest[] = [];
  /** How many requests got a fault, by its kind. */
  readonly injected: Record<string, number> = {};
  private rules: Array<FaultRule & { left: number }> = [];
  private readonly server: http.Server;
  private readonly sockets = new Set<Socket>();
  private readonly target: URL;
  private readonly random: () => number;
  url = '';

  constructor(private readonly options: FaultProxyOptions) {
    this.target = new URL(options.target);
    if (!LOOPBACK_HOSTS.has(this.target.hostname)) throw new Error(`the fault proxy only talks to loopback, not ${this.target.hostname}`);
    this.random = prng(options.seed ?? 1);
    const handler = (req: http.IncomingMessage, res: http.ServerResponse) => this.handle(req, res);
    this.server = options.tls ? https.createServer({ key: options.tls.key, cert: options.tls.cert }, handler) : http.createServer(handler);
    this.server.on(options.tls ? 'secureConnection' : 'connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    // With TLS, the name the certificate is for; otherwise the address.
    this.url = `${this.options.tls ? 'https' : 'http'}://${this.options.tls ? 'localhost' : '127.0.0.1'}:${port}`;
    return this;
  }

  /** Adds a rule; rules are looked at in the order they were added, the first that applies wins. */
  inject(rule: FaultRule): this {
    this.rules.push({ ...rule, left: rule.times ?? Number.POSITIVE_INFINITY });
    return this;
  }

  /** Passes everything through again (requests hanging now stay hung until `stop`). */
  clear(): void {
    this.rules = [];
  }

  /** Ends every connection, hung ones too. */
  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private faultFor(request: SeenRequest): Fault | undefined {
    for (const rule of this.rules) {
      if (rule.left <= 0 || (rule.when && !rule.when(request))) continue;
      if (rule.probability !== undefined && this.random() >= rule.probability) continue;
      rule.left -= 1;
      return rule.fault;
    }
    return undefined;
  }

  private count(kind: string): void {
    this.injected[kind] = (this.injected[kind] ?? 0) + 1;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const request: SeenRequest = { method: req.method ?? 'GET', path: req.url ?? '/', body: body.toString('utf8') };
      this.seen.push(request);
      const fault = this.faultFor(request);
      if (!fault) return this.forward(req, body, res, false);
      if ('status' in fault) {
        this.count(String(fault.status));
        const payload = JSON.stringify(fault.body ?? { code: String(fault.status), message: 'injected by the fault proxy' });
        res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers });
        res.end(payload);
        return;
      }
      if ('hang' in fault) {
        this.count('hang');
        return; // the socket stays open, unanswered
      }
      if ('drop' in fault) {
        this.count(`drop ${fault.drop}`);
        if (fault.drop === 'before') {
          req.socket.destroy();
          return;
        }
        return this.forward(req, body, res, true);
      }
      this.count('delay');
      setTimeout(() => this.forward(req, body, res, false), fault.delayMs).unref();
    });
  }

  private forward(req: http.IncomingMessage, body: Buffer, res: http.ServerResponse, dropAnswer: boolean): void {
    const client = this.target.protocol === 'https:' ? https : http;
    const upstream = client.request(
      {
        hostname: this.target.hostname,
        port: this.target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: this.target.host },
        agent: this.options.upstreamAgent,
      },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          // The upstream acted; the client never hears of it.
          if (dropAnswer) {
            req.socket.destroy();
            return;
          }
          let payload = Buffer.concat(chunks);
          if (String(answer.headers['content-type'] ?? '').includes('json')) {
            const text = payload.toString('utf8');
            const own = this.url.replace(/^https?:\/\//, '');
            const theirs = [this.target.host, `127.0.0.1:${this.target.port}`, `localhost:${this.target.port}`];
            const rewritten = theirs.reduce((t, origin) => t.split(origin).join(own), text);
            if (rewritten !== text) payload = Buffer.from(rewritten, 'utf8');
          }
          const headers = { ...answer.headers, 'content-length': String(payload.length) };
          delete headers['transfer-encoding'];
          res.writeHead(answer.statusCode ?? 502, headers);
          res.end(payload);
        });
      },
    );
    upstream.on('error', () => req.socket.destroy());
    upstream.end(body);
  }
}

/** A certificate for an HTTPS-terminating proxy: the local Cosmos server's own (test/support/cosmos.ts). */
export { localhostCertificate as localhostTls } from './cosmos';
