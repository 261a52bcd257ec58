import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from '../kit/log';
import { maskEmail } from '../verification/email';
import type { CodeSender, DeliveryResult } from '../verification/ports';

/** Email codes and notices through an SMTP server (`SMTP_URL`, e.g. smtps://user:pass@smtp.contoso.com). */
export class SmtpSender implements Pick<CodeSender, 'sendEmail'> {
  private readonly transport: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string,
    private readonly log: Logger,
  ) {
    this.transport = nodemailer.createTransport(smtpUrl);
  }

  async sendEmail(to: string, subject: string, body: string): Promise<DeliveryResult> {
    try {
      await this.transport.sendMail({ from: this.from, to, subject, text: body });
      this.log.info({ channel: 'email', to: maskEmail(to) }, 'email accepted by SMTP');
      return { ok: true };
    } catch (err) {
      const responseCode = (err as { responseCode?: number }).responseCode;
      // 5xx: the server refused the recipient for good; anything else may pass later.
      const permanent = responseCode !== undefined && responseCode >= 500;
      this.log.warn({ channel: 'email', to: maskEmail(to), responseCode }, 'SMTP refused');
      return { ok: false, failure: permanent ? 'rejected' : 'unavailable', permanent };
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
