import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../kit/log';
import { maskEmail } from '../verification/email';
import { maskPhone } from '../verification/phone';
import type { Clock, CodeSender, DeliveryResult, OutgoingCall } from '../verification/ports';
import { voiceUrls } from './voiceUrls';

export interface OutboxEntry {
  readonly channel: 'sms' | 'voice' | 'email';
  readonly to: string;
  readonly subject?: string;
  readonly body: string;
  readonly at: string;
  /** Voice only: POST here to answer the call as if # was pressed. */
  readonly answerUrl?: string;
}

/**
 * Delivery for local runs without Twilio or SMTP: every text, call and email
 * is appended as one JSON line to `$DATA_DIR/outbox.jsonl`, where the person
 * trying the bot reads their code. The log says that something was written,
 * never what.
 */
export class DevOutbox implements CodeSender {
  readonly file: string;

  constructor(
    dataDir: string,
    private readonly publicBaseUrl: string,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {
    this.file = path.join(dataDir, 'outbox.jsonl');
    fs.mkdirSync(dataDir, { recursive: true });
  }

  async sendSms(to: string, body: string): Promise<DeliveryResult> {
    this.append({ channel: 'sms', to, body, at: this.now() });
    return { ok: true };
  }

  async placeCall(to: string, call: OutgoingCall): Promise<DeliveryResult> {
    this.append({
      channel: 'voice',
      to,
      ...(call.extension ? { extension: call.extension } : {}),
      body: call.greeting,
      answerUrl: voiceUrls(this.publicBaseUrl, call.callToken).devAnswer,
      at: this.now(),
    });
    return { ok: true };
  }

  async sendEmail(to: string, subject: string, body: string): Promise<DeliveryResult> {
    this.append({ channel: 'email', to, subject, body, at: this.now() });
    return { ok: true };
  }

  private append(entry: OutboxEntry): void {
    fs.appendFileSync(this.file, `${JSON.stringify(entry)}\n`, { mode: 0o600 });
    const to = entry.channel === 'email' ? maskEmail(entry.to) : maskPhone(entry.to);
    this.log.info({ channel: entry.channel, to, outbox: this.file }, 'dev outbox: message written (no Twilio or SMTP configured)');
  }

  private now(): string {
    return new Date(this.clock.now()).toISOString();
  }
}
