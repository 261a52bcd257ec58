import type { TurnContext } from 'botbuilder';
import type { CardRenderer, RenderedCard } from '../presentation/cards';
import type { Clock, Random } from '../verification/ports';
import type { SecurityInfoProfile } from '../verification/profile';
import type { VerificationService } from '../verification/service';

/** The main dialog's routing step: the wizard, manage mode or the SMS menu, whichever fits the person. */
export const ROUTE_DIALOG = 'main.route';

/** What every dialog is built with; the composition root makes one. */
export interface DialogDeps {
  readonly service: VerificationService;
  readonly cards: CardRenderer;
  readonly random: Random;
  readonly clock: Clock;
  readonly orgName: string;
  /** The profile of the person of this turn (loaded by the bot before dialogs run). */
  profile(context: TurnContext): SecurityInfoProfile;
  /** Sends a card, or its text where the channel has no cards; returns the activity id when there is one. */
  present(context: TurnContext, card: RenderedCard): Promise<string | undefined>;
  /** Replaces a card sent earlier (where the channel allows it). */
  replace(context: TurnContext, activityId: string, card: RenderedCard): Promise<void>;
  /** A QR code image (data URI) for the text. */
  qrImage(text: string): Promise<string>;
  /** How people reach the help desk by themselves ("the help desk at +1 425 555 0100"). */
  readonly helpDesk: string;
  /** Notes a step for the help desk's view of the conversation: never a code, an answer or a key. */
  note(context: TurnContext, from: 'person' | 'bot', text: string): void;
  /** Opens a help-desk ticket for the person (or tells them about the one open) and says what happens next. */
  escalate(context: TurnContext, reason: EscalationReason): Promise<void>;
}

export type EscalationReason = 'asked' | 'locked';
