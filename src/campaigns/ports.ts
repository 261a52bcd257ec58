import type { RenderedCard } from '../presentation/cards';

/** Whom a proactive Teams chat is opened with: their Entra object id, in their tenant. */
export interface TeamsTarget {
  readonly aadObjectId: string;
  readonly tenantId?: string;
  /** Their Teams user id (`29:…`) when they chatted with the bot before: Teams takes either; some clients only this one. */
  readonly userId?: string;
}

/** How a send ended, as far as the queue needs to know. */
export type SendOutcome =
  | { readonly ok: true }
  /** The person cannot be reached this way (Teams: the app is not installed for them, 403/404): never retried on this channel. */
  | { readonly ok: false; readonly reason: 'unreachable' }
  /** The channel said to wait (429 Retry-After): nothing was sent. */
  | { readonly ok: false; readonly reason: 'throttled'; readonly retryAfterMs: number }
  /** Anything else: `sent` says whether the message may have gone out all the same (a time-out). */
  | { readonly ok: false; readonly reason: 'failed'; readonly sent: 'no' | 'maybe' };

/** Opens a one-to-one Teams chat with the person and sends the card (the edge implements it with botbuilder's CloudAdapter). */
export type TeamsSender = (target: TeamsTarget, card: RenderedCard) => Promise<SendOutcome>;
