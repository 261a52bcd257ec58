import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  readonly from: string;
  readonly to: string[];
  readonly text: string;
}

/** Where in the SMTP dialogue a scripted fault strikes. */
export type SmtpStage = 'connect' | 'mail' | 'rcpt' | 'data';

/** A scripted fault: an SMTP reply code (4xx, 5xx) at a stage, or no reply at all there (a hung server). */
export type SmtpFault =
  | { readonly stage: SmtpStage; readonly code: number; readonly message?: string }
  | { readonly stage: SmtpStage; readonly hang: true };

/**
 * A local SMTP server (the `smtp-server` package) on a loopback port, for the
 * real nodemailer transport of SmtpSender to talk to: it keeps what it was
 * sent, and faults can be scripted one message at a time.
 */
export class SmtpDouble {
  readonly received: ReceivedMail[] = [];
  private readonly script: SmtpFault[] = [];
  /** Callbacks of stages left hanging, released at `stop`. */
  private readonly hung: Array<() => void> = [];
  private server!: SMTPServer;
  url = '';

  /** The next messages meet these faults, one each, in order. */
  failNext(...faults: SmtpFault[]): void {
    this.script.push(...faults);
  }

  async start(): Promise<this> {
    const at = (stage: SmtpStage, session: { fault?: SmtpFault }, callback: (err?: Error | null) => void): boolean => {
      const fault = session.fault;
      if (!fault || fault.stage !== stage) return false;
      if ('hang' in fault) {
        this.hung.push(() => callback(Object.assign(new Error('closing'), { responseCode: 421 })));
        return true;
      }
      callback(Object.assign(new Error(fault.message ?? `injected ${fault.code}`), { responseCode: fault.code }));
      return true;
    };
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onConnect: (session, callback) => {
        const state = session as unknown as { fault?: SmtpFault };
        state.fault = this.script.shift();
        if (!at('connect', state, callback)) callback();
      },
      onMailFrom: (_address, session, callback) => {
        if (!at('mail', session as unknown as { fault?: SmtpFault }, callback)) callback();
      },
      onRcptTo: (_address, session, callback) => {
        if (!at('rcpt', session as unknown as { fault?: SmtpFault }, callback)) callback();
      },
      onData: (stream, session, callback) => {
        let text = '';
        stream.on('data', (chunk: Buffer) => {
          text += chunk.toString('utf8');
        });
        stream.on('end', () => {
          if (at('data', session as unknown as { fault?: SmtpFault }, callback)) return;
          this.received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            text,
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.server.address() as AddressInfo;
    this.url = `smtp://127.0.0.1:${port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const release of this.hung.splice(0)) release();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
