import type { Activity, ConversationReference, TurnContext } from 'botbuilder';
import type { Logger } from '../kit/log';
import type { CardRenderer } from '../presentation/cards';
import type { PersonState } from '../state/personState';
import type { AuditLog, Clock } from '../verification/ports';
import type { VerificationService } from '../verification/service';
import type { TicketBook } from './tickets';

/** Runs a proactive turn in a conversation: a person's chat or text thread, or the help-desk channel. */
export type Reach = (reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>) => Promise<void>;

/** Opens a one-to-one chat with the sender of `activity` (an agent in the channel) and runs a turn in it. */
export type ReachPrivately = (activity: Partial<Activity>, logic: (context: TurnContext) => Promise<void>) => Promise<void>;

/** Where the help desk's Teams channel is. */
export interface HelpDeskChannel {
  readonly conversationId: string;
  readonly serviceUrl: string;
}

export interface HelpDeskDeps {
  readonly tickets: TicketBook;
  readonly state: PersonState;
  readonly service: VerificationService;
  readonly cards: CardRenderer;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly log: Logger;
  readonly reach: Reach;
  /** A one-to-one chat with an agent: where a Temporary Access Pass is shown (never the shared channel). */
  readonly reachPrivately: ReachPrivately;
  /** How people reach the help desk by themselves (when no channel or webhook is configured). */
  readonly contact: string;
  /** The Teams channel tickets are posted to. */
  readonly channel?: HelpDeskChannel;
  /** The bot's Microsoft App id (the sender of channel posts). */
  readonly appId?: string;
  /** Entra object ids of the agents who may act on tickets. */
  readonly agentIds: readonly string[];
  readonly webhookUrl?: string;
  readonly repostMinutes: number;
}

/** A help-desk agent, as Teams names them (their Entra object id). */
export interface Agent {
  readonly id: string;
  readonly name: string;
}
