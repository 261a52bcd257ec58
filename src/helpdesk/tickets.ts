import type { ConversationReference } from 'botbuilder';
import { TICKET_NUMBER } from '../conversation/codeOrPass';
import { AppError, PreconditionFailedError } from '../kit/errors';
import type { DocumentStore } from '../storage/store';
import { type Clock, type Random, readableCode } from '../verification/ports';

export type TicketState = 'open' | 'claimed' | 'closed';

/**
 * A help-desk ticket: who, why, where their security info stands, and their
 * last steps. Never a secret, a code, an answer or a full number.
 */
export interface Ticket {
  readonly id: string;
  readonly personId: string;
  readonly upn: string;
  readonly displayName: string;
  readonly reason: 'asked' | 'locked';
  /** The channel the person asked from (msteams, sms, ...): where the agent's messages go. */
  readonly channel: string;
  readonly createdAt: number;
  state: TicketState;
  agent?: { readonly id: string; readonly name: string };
  /** Their methods, masked ("Phone: +1 ••• ••• 0123"). */
  methods: string[];
  policy: { mfaMet: boolean; ssprMet: boolean; locked: boolean };
  /** The last steps of the conversation (screens, the bot's words, the actions chosen). */
  recent: Array<{ at: number; from: 'person' | 'bot'; text: string }>;
  /** The latest card in the help-desk channel (its thread is where the agent talks). */
  post?: { readonly conversationId: string; readonly activityId: string };
  /** Every card posted (a reminder is a new one); each one's thread is indexed (`rememberThread`). */
  postedAs?: string[];
  lastPostedAt: number;
  history: Array<{ at: number; event: string; by?: string }>;
  /** The agent's private message that shows a Temporary Access Pass: taken back once the pass is spent. */
  passMessage?: { readonly reference: Partial<ConversationReference>; readonly activityId: string; readonly expiresAt: number };
}

/** What a ticket number looks like (HD-YYMMDD-XXXX). */
const WHOLE_TICKET_NUMBER = new RegExp(`^${TICKET_NUMBER.source}$`);

/** All tickets share one partition: a help desk lists them together. */
const PARTITION = 'tickets';
/** The index of channel threads: its documents have no partition, so each is one point read and none is listed as a ticket. */
const THREAD = 'thread:';
const MAX_ATTEMPTS = 10;

/** Tickets in the store: created once, then changed by conditional writes. */
export class TicketBook {
  constructor(
    private readonly store: DocumentStore,
    private readonly clock: Clock,
    private readonly random: Random,
  ) {}

  /** A new ticket with a short id people can read out: HD-YYMMDD-XXXX. */
  async create(fields: Omit<Ticket, 'id' | 'createdAt' | 'state' | 'lastPostedAt' | 'history'>): Promise<Ticket> {
    const now = this.clock.now();
    const day = new Date(now).toISOString().slice(2, 10).replace(/-/g, '');
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const suffix = readableCode(this.random, 4);
      const ticket: Ticket = {
        ...fields,
        id: `HD-${day}-${suffix}`,
        createdAt: now,
        state: 'open',
        lastPostedAt: now,
        history: [{ at: now, event: 'opened' }],
      };
      try {
        await this.store.put('tickets', ticket.id, ticket, { ifNoneMatch: '*', partition: PARTITION });
        return ticket;
      } catch (err) {
        if (!(err instanceof PreconditionFailedError)) throw err;
      }
    }
    throw new AppError('ticket_id_contended', 'could not find a free ticket id');
  }

  async get(id: string): Promise<Ticket | undefined> {
    if (!WHOLE_TICKET_NUMBER.test(id)) return undefined;
    return (await this.store.get<Ticket>('tickets', id, { partition: PARTITION }))?.value;
  }

  /**
   * Changes a ticket: read, change, write conditionally, retried when another
   * instance wrote first. A change that returns false changes nothing.
   */
  async update(id: string, change: (ticket: Ticket) => boolean): Promise<Ticket | undefined> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const stored = await this.store.get<Ticket>('tickets', id, { partition: PARTITION });
      if (!stored) return undefined;
      const ticket = stored.value;
      if (!change(ticket)) return undefined;
      try {
        await this.store.put('tickets', id, ticket, { ifMatch: stored.etag, partition: PARTITION });
        return ticket;
      } catch (err) {
        if (!(err instanceof PreconditionFailedError)) throw err;
      }
    }
    throw new AppError('ticket_contended', `ticket ${id} stayed contended`);
  }

  /** Remembers which ticket a help-desk channel thread (its conversation id) is about, for as long as the ticket is kept. */
  async rememberThread(threadId: string, ticketId: string): Promise<void> {
    await this.store.put('tickets', `${THREAD}${threadId}`, { ticketId });
  }

  /** The ticket a help-desk channel thread is about, however old. */
  async byThread(threadId: string): Promise<Ticket | undefined> {
    const entry = await this.store.get<{ ticketId: string }>('tickets', `${THREAD}${threadId}`);
    return entry ? this.get(entry.value.ticketId) : undefined;
  }

  /** The latest tickets, newest first. */
  recent(): Promise<Ticket[]> {
    return this.store.list<Ticket>('tickets', PARTITION, { limit: 500, newestFirst: true });
  }

  /** Tickets whose agent still has a pass on screen. */
  async withPassMessages(): Promise<Ticket[]> {
    return (await this.recent()).filter((t) => t.passMessage);
  }

  /** Open tickets nobody claimed, last posted before `before`. */
  async unclaimedSince(before: number): Promise<Ticket[]> {
    return (await this.recent()).filter((t) => t.state === 'open' && t.lastPostedAt <= before);
  }
}
