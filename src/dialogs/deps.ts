import type { TurnContext } from 'botbuilder';
import type { CardRenderer, RenderedCard } from '../bot/cards';
import type { Clock, Random } from '../verification/ports';
import type { SecurityInfoProfile } from '../verification/profile';
import type { VerificationService } from '../verification/service';

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
}
