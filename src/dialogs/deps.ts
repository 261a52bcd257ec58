import type { TurnContext } from 'botbuilder';
import { type Language, t } from '../kit/texts';
import type { CardRenderer, RenderedCard } from '../presentation/cards';
import type { Clock, Random, Via } from '../verification/ports';
import type { SecurityInfoProfile } from '../verification/profile';
import type { VerificationService } from '../verification/service';

/** The main dialog's routing step: the wizard, manage mode or the SMS menu, whichever fits the person. */
export const ROUTE_DIALOG = 'main.route';

/** "First, prove it's you": begun before any change when the verification service asks for a step-up. */
export const STEP_UP_DIALOG = 'stepUp';

/** How a step-up ends: proven, or not (the person went back or could not). */
export type StepUpResult = { readonly proven: boolean };

export function isStepUpResult(value: unknown): value is StepUpResult {
  return typeof value === 'object' && value !== null && 'proven' in value;
}

/** A screen whose change the service refused for want of a step-up: prove first, then this screen again. */
export function stepUpFirst(language: Language) {
  return { begin: STEP_UP_DIALOG, say: t(language, 'dialogs.stepUpFirst') } as const;
}

/**
 * Set on a turn whose activity was delivered before and whose answer may
 * never have gone out (the instance that ran it stopped before it spoke): the
 * dialog shows where the person is again, and does nothing else.
 */
export const REPEATED_DELIVERY = Symbol('repeatedDelivery');

/** What every dialog is built with; the composition root makes one. */
export interface DialogDeps {
  readonly service: VerificationService;
  readonly cards: CardRenderer;
  readonly random: Random;
  readonly clock: Clock;
  readonly orgName: string;
  /** Where the turn came from, and whether its channel proves the sender (verification/via.ts). */
  via(context: TurnContext): Via;
  /** The profile of the person of this turn (loaded by the bot before dialogs run). */
  profile(context: TurnContext): SecurityInfoProfile;
  /** Sends a card, or its text where the channel has no cards; returns the activity id when there is one. */
  present(context: TurnContext, card: RenderedCard): Promise<string | undefined>;
  /** Replaces a card sent earlier (where the channel allows it). */
  replace(context: TurnContext, activityId: string, card: RenderedCard): Promise<void>;
  /** A QR code image (data URI) for the text. */
  qrImage(text: string): Promise<string>;
  /** What revokes a QR image link (QR_IMAGE_MODE=url) once its card leaves the chat, safe to keep in dialog state; undefined for a data URI. */
  qrImageHandle(image: string): string | undefined;
  /** Makes the QR image link of a handle stop working. */
  revokeQrImage(handle: string): Promise<void>;
  /** How people reach the help desk by themselves ("the help desk at +1 425 555 0100"). */
  readonly helpDesk: string;
  /** Notes a step for the help desk's view of the conversation: never a code, an answer or a key. */
  note(context: TurnContext, from: 'person' | 'bot', text: string): void;
  /** Opens a help-desk ticket for the person (or tells them about the one open) and says what happens next. */
  escalate(context: TurnContext, reason: EscalationReason): Promise<void>;
}

export type EscalationReason = 'asked' | 'locked';
