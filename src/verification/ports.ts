import { randomBytes, randomInt, randomUUID } from 'node:crypto';

/** Time comes in through this port so tests can freeze it. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

/** Randomness comes in through this port; production uses the CSPRNG. */
export interface Random {
  bytes(length: number): Buffer;
  /** A uniform integer in [0, maxExclusive). */
  int(maxExclusive: number): number;
  /** An unguessable identifier. */
  id(): string;
}

export const systemClock: Clock = { now: () => Date.now() };

/** Letters and digits a person reads out or types without mixing them up (no 0/O, 1/I/L). */
const READABLE = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** `length` characters a person can read out (about 4.95 bits each): passes, ticket numbers. */
export function readableCode(random: Random, length: number): string {
  return Array.from({ length }, () => READABLE[random.int(READABLE.length)]).join('');
}

export const cryptoRandom: Random = {
  bytes: (length) => randomBytes(length),
  int: (maxExclusive) => randomInt(maxExclusive),
  id: () => randomUUID(),
};

/** Fixed-window counters shared by every instance (rate limits live in the store, never in memory). */
export interface Counters {
  /** Takes one unit of `key` if fewer than `limit` were taken in the window ending at `windowEndsAt`. */
  take(key: string, limit: number, windowEndsAt: number): Promise<boolean>;
  /** Adds one to `key` (atomically, across instances) and returns the new count. */
  increment(key: string, windowEndsAt: number): Promise<number>;
}

/** Why a message or call could not be delivered. */
export type DeliveryFailure =
  /** The provider says the number does not exist or is malformed. */
  | 'invalidNumber'
  /** The number cannot receive texts. */
  | 'notMobile'
  /** The provider may not reach that number or region. */
  | 'unreachable'
  /** The person replied STOP to our texts. */
  | 'optedOut'
  /** Any other refusal by the provider. */
  | 'rejected'
  /** The provider is down or timed out, even after retries. */
  | 'unavailable';

export type DeliveryResult = { readonly ok: true } | { readonly ok: false; readonly failure: DeliveryFailure; readonly permanent: boolean };

/** How codes, calls and notices reach people: Twilio and SMTP, or the dev outbox. */
export interface CodeSender {
  sendSms(to: string, body: string): Promise<DeliveryResult>;
  sendEmail(to: string, subject: string, body: string): Promise<DeliveryResult>;
  /**
   * Calls `to`, says `greeting`, and waits for a key press. The outcome comes
   * back to the verification service through the webhooks of `callToken`.
   */
  placeCall(
    to: string,
    call: { readonly callToken: string; readonly greeting: string; readonly extension?: string },
  ): Promise<DeliveryResult>;
}

/** One line of the audit log: who, what, when, where, result — never a secret, code or full number. */
export interface AuditEvent {
  readonly at: number;
  readonly userId: string;
  readonly upn: string;
  readonly event:
    | 'method.added'
    | 'method.deleted'
    | 'default.changed'
    | 'verification.failed'
    | 'account.locked'
    | 'questions.checked'
    | 'phone.proven'
    | 'accessPass.issued'
    | 'accessPass.redeemed'
    | 'escalation'
    | 'admin.action';
  readonly result: 'success' | 'failure';
  /** The channel or route it happened through: msteams, sms, voice, admin... */
  readonly via: string;
  readonly method?: string;
  /** Masked detail, e.g. "+1 ••• ••• 0123". */
  readonly detail?: string;
}

export interface AuditLog {
  record(event: AuditEvent): Promise<void>;
}
