import type { Server } from 'restify';
import type { Logger } from '../kit/log';

/** Routes that answer while the bot drains: the probes. */
const PROBES = new Set(['/healthz', '/readyz']);

/**
 * How the server stops without dropping a turn: once draining, new requests
 * get 503 with Retry-After (Bot Framework and Twilio send them again, to an
 * instance that is up), and `drain` waits for those in flight, a bounded time.
 * `/healthz` says the process lives; `/readyz` whether it should get traffic:
 * not draining, its store answering, its keys loaded (as App Service and
 * Kubernetes probes expect).
 */
export class Lifecycle {
  private draining = false;
  private inFlight = 0;
  private idle: (() => void) | undefined;

  constructor(
    private readonly log: Logger,
    /** Whether the store answers and the keys are loaded. */
    private readonly ready: () => Promise<boolean>,
  ) {}

  /** Counts requests in flight and turns new ones away while draining. */
  install(server: Server): void {
    server.pre((req, res, next) => {
      const path = req.getPath();
      if (PROBES.has(path)) return next();
      if (this.draining) {
        res.header('Retry-After', '5');
        res.send(503, { error: 'shutting down: try again' });
        return next(false);
      }
      this.inFlight += 1;
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        this.inFlight -= 1;
        if (this.inFlight === 0) this.idle?.();
      };
      res.once('finish', finish);
      res.once('close', finish);
      return next();
    });
    server.get('/healthz', async (_req, res) => {
      res.send(200, { status: 'ok' });
    });
    server.get('/readyz', async (_req, res) => {
      const ready = !this.draining && (await this.ready().catch(() => false));
      res.send(ready ? 200 : 503, { status: ready ? 'ready' : this.draining ? 'draining' : 'not ready' });
    });
  }

  /** Stops taking requests, then waits for those in flight, `timeoutMs` at most. */
  async drain(timeoutMs: number): Promise<void> {
    this.draining = true;
    if (this.inFlight === 0) return;
    const waiting = this.inFlight;
    const idle = new Promise<void>((resolve) => {
      this.idle = resolve;
    });
    const timedOut = new Promise<'timeout'>((resolve) => setTimeout(resolve, timeoutMs, 'timeout').unref());
    if ((await Promise.race([idle, timedOut])) === 'timeout') {
      this.log.warn({ inFlight: this.inFlight, waiting }, 'stopping with requests still in flight');
    }
  }
}
