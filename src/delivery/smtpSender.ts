import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from '../kit/log';
import { maskEmail } from '../verification/email';
import type { CodeSender, DeliveryResult } from '../verification/ports';

/**
 * How long an email may keep a turn waiting. nodemailer's own defaults are
 * 2 minutes to connect, 30 s for the greeting and 10 minutes of silence on
 * the socket: a server that hangs would hold the person's turn that long.
 */
export const SMTP_TIMEOUTS = { connectMs: 4_000, greetingMs: 4_000, socketMs: 6_000, totalMs: 9_000 } as const;

export type SmtpTimeouts = { readonly [K in keyof typeof SMTP_TIMEOUTS]: number };

/** Email codes and notices through an SMTP server (`SMTP_URL`, e.g. smtps://user:pass@smtp.contoso.com). */
export class SmtpSender implements Pick<CodeSender, 'sendEmail'> {
  private readonly transport: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string,
    private readonly log: Logger,
    private readonly timeouts: SmtpTimeouts = SMTP_TIMEOUTS,
  ) {
    this.transport = nodemailer.createTransport({
      url: smtpUrl,
      connectionTimeout: timeouts.connectMs,
      greetingTimeout: timeouts.greetingMs,
      socketTimeout: timeouts.socketMs,
    });
  }

  async sendEmail(to: string, subject: string, body: string): Promise<DeliveryResult> {
    let timer: NodeJS.Timeout | undefined;
    try {
      // A server that answers, but a byte at a time, is given up too.
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${this.timeouts.totalMs} ms`)), this.timeouts.totalMs);
      });
      await Promise.race([this.transport.sendMail({ from: this.from, to, subject, text: body }), late]);
      this.log.info({ channel: 'email', to: maskEmail(to) }, 'email accepted by SMTP');
      return { ok: true };
    } catch (err) {
      const responseCode = (err as { responseCode?: number }).responseCode;
      // 5xx: the server refused the recipient for good; anything else may pass later.
      const permanent = responseCode !== undefined && responseCode >= 500;
      this.log.warn({ channel: 'email', to: maskEmail(to), responseCode, code: (err as { code?: string }).code }, 'SMTP refused');
      return { ok: false, failure: permanent ? 'rejected' : 'unavailable', permanent };
    } finally {
      clearTimeout(timer);
    }
  }
}

/** One sender from the phone part (Twilio or outbox) and the email part (SMTP or outbox). */
export function combineSenders(phone: Pick<CodeSender, 'sendSms' | 'placeCall'>, email: Pick<CodeSender, 'sendEmail'>): CodeSender {
  return {
    sendSms: (to, body) => phone.sendSms(to, body),
    placeCall: (to, call) => phone.placeCall(to, call),
    sendEmail: (to, subject, body) => email.sendEmail(to, subject, body),
  };
}
