import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import type { MethodKind } from './policy';

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

/**
 * The name of a document found by a keyed hash of a value (a phone number, a
 * token), never by the value itself: `prefix` + the hash, under each key
 * (SecretBox.keyedNames).
 */
export interface KeyedName {
  /** Under each key, the primary's first: written under the first, found under any. */
  readonly names: readonly string[];
  /** The prefix and value, sealed under the primary key: kept in the document so `npm run rekey` can name it anew after a rotation. */
  sealed(): string;
}

/**
 * Fixed-window counters shared by every instance (rate limits live in the
 * store, never in memory). A key made of a keyed hash counts under every
 * encryption key, so a key rotation restarts no limit.
 */
export interface Counters {
  /** Takes one unit of `key` if fewer than `limit` were taken in the window ending at `windowEndsAt`. */
  take(key: string | KeyedName, limit: number, windowEndsAt: number): Promise<boolean>;
  /** Adds one to `key` (atomically, across instances) and returns the new count. */
  increment(key: string | KeyedName, windowEndsAt: number): Promise<number>;
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

/** How texts, calls and emails reach people: Twilio and SMTP, or the dev outbox. */
export interface CodeSender {
  sendSms(to: string, body: string): Promise<DeliveryResult>;
  sendEmail(to: string, subject: string, body: string): Promise<DeliveryResult>;
  /**
   * Calls `to`, says `greeting` in the voice of `voice` (a BCP 47 locale:
   * "es-US"), and waits for a key press; without one, says `noAnswer`. The
   * outcome comes back to the verification service through the webhooks of `callToken`.
   */
  placeCall(to: string, call: OutgoingCall): Promise<DeliveryResult>;
}

/** A verification call as it goes out: its words come from the Messenger. */
export interface OutgoingCall {
  readonly callToken: string;
  readonly greeting: string;
  readonly noAnswer: string;
  readonly voice: string;
  readonly extension?: string;
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
    | 'method.proven'
    | 'accessPass.issued'
    | 'accessPass.redeemed'
    | 'accessPass.withdrawn'
    | 'escalation'
    | 'admin.action'
    | 'admin.signin'
    | 'campaign.started'
    | 'campaign.paused'
    | 'campaign.resumed'
    | 'campaign.stopped'
    | 'campaign.opened'
    | 'campaign.snoozed';
  readonly result: 'success' | 'failure';
  /** The channel or route it happened through: msteams, sms, voice, helpdesk, admin... */
  readonly via: string;
  readonly method?: string;
  /** Masked detail, e.g. "+1 ••• ••• 0123". */
  readonly detail?: string;
}

export interface AuditLog {
  record(event: AuditEvent): Promise<void>;
}

/**
 * Where a request came from: the channel, and whether its sender was proven
 * by the channel (a Bot Framework token) or could be forged (the number a
 * text claims to come from). The edge decides; the core only reads it.
 */
export interface Via {
  readonly channel: string;
  readonly verifiedSender: boolean;
}

/** Where a code or notice goes. */
export interface Destination {
  readonly channel: 'sms' | 'email';
  /** E.164 number or email address. */
  readonly address: string;
}

/** A change to someone's security info, as their change notice names it. */
export type SecurityInfoChange =
  | { readonly what: 'added' | 'changed' | 'removed'; readonly kind: MethodKind }
  | { readonly what: 'defaultChanged' | 'reregistrationRequired' };

/**
 * What the core asks to be said to people. The words live on the delivery
 * side (delivery/messages.ts); the core hands over only the facts.
 */
export interface Messenger {
  sendCode(to: Destination, code: string, expiresInMinutes: number): Promise<DeliveryResult>;
  /** Calls `to`; the outcome comes back through the webhooks of `callToken`. */
  placeCall(to: string, call: { readonly callToken: string; readonly extension?: string }): Promise<DeliveryResult>;
  notifyChange(to: Destination, change: SecurityInfoChange): Promise<DeliveryResult>;
}
