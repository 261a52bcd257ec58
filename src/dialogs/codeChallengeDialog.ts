import type { TurnContext } from 'botbuilder';
import { verbatim } from '../presentation/cards';
import type { ProgressStep } from '../presentation/labels';
import {
  cooldownMessage,
  DAILY_LIMIT_MESSAGE,
  deliveryFailureMessage,
  emailProblemMessage,
  phoneProblemMessage,
} from '../presentation/phoneMessages';
import type { CodeResult, SendResult } from '../verification/service';
import { lockedMessage } from './authenticatorAppDialog';
import { CardFlowDialog, type FlowTurn, type Reply, type Screen, type Transition } from './cardFlowDialog';
import { STEP_UP_FIRST } from './deps';
import type { MethodDialogOptions, MethodResult } from './methodResult';

export interface CodeData {
  progress: readonly ProgressStep[];
  replaces?: string;
  challengeId?: string;
  masked?: string;
  /** A call: the two digits to enter when it rings. */
  matchNumber?: string;
  headline?: string;
}

export const DIFFERENT_METHOD: Transition = { end: { differentMethod: true } satisfies MethodResult };

/**
 * What proving a phone and proving an email address share: the code screen
 * (with Resend code), the "registered" screen, and what every refusal of the
 * verification service means to a person. Subclasses add how the code is asked for.
 */
export abstract class CodeChallengeDialog<D extends CodeData> extends CardFlowDialog<D, MethodDialogOptions> {
  /** "Phone", "Email": the card's heading. */
  protected abstract readonly title: string;
  /** Where the code went, for messages: "the text message", "the email". */
  protected abstract readonly codeSource: string;

  protected readonly codeScreens: Record<'enterCode' | 'registered', Screen<D>> = {
    enterCode: {
      show: (turn) => ({
        card: 'enterCode',
        data: { ...this.header(turn), title: this.title, masked: verbatim(turn.data.masked) },
        textAction: 'verify',
      }),
      on: {
        verify: (turn, reply) => this.verifyCode(turn, reply),
        resend: (turn) => this.resend(turn),
        differentMethod: () => DIFFERENT_METHOD,
      },
    },
    registered: {
      show: (turn) => ({
        card: 'methodRegistered',
        data: {
          ...this.header(turn),
          title: this.title,
          headline: turn.data.headline,
          message: verbatim(`Your ${this.title.toLowerCase()} ${turn.data.masked} was registered successfully.`),
        },
      }),
      on: { next: () => ({ end: { registered: true } satisfies MethodResult }) },
    },
  };

  /** Cancelled or switched away: a code or call still out there must not register anything. */
  protected override onLeave(context: TurnContext): void {
    this.deps.service.abandonCode(this.deps.profile(context));
  }

  /** The code was right: by default, the "registered" screen. */
  protected onVerified(_turn: FlowTurn<D>): Promise<Transition> | Transition {
    return { go: 'registered' };
  }

  protected header(turn: FlowTurn<D>) {
    return { orgName: this.deps.orgName, steps: turn.data.progress };
  }

  /** What a sent code leads to; anything else is explained. */
  protected afterSend(turn: FlowTurn<D>, result: SendResult, screen: string): Transition {
    if (result.status !== 'sent') return this.explainSend(result);
    turn.data.challengeId = result.challengeId;
    turn.data.masked = result.masked;
    turn.data.matchNumber = result.matchNumber;
    return { go: screen };
  }

  protected async resend(turn: FlowTurn<D>): Promise<Transition> {
    const result = await this.deps.service.resendCode(this.deps.profile(turn.context));
    if (result.status !== 'sent') return this.explainSend(result);
    turn.data.challengeId = result.challengeId;
    turn.data.matchNumber = result.matchNumber;
    // A new call asks for a new number: the card shows it.
    if (result.channel === 'voice') return { again: true, say: `We're calling ${result.masked} again.` };
    return { say: `We sent a new code to ${result.masked}.` };
  }

  protected explainSend(result: Exclude<SendResult, { status: 'sent' }>): Transition {
    switch (result.status) {
      case 'invalidNumber':
        return { say: phoneProblemMessage(result.problem) };
      case 'invalidEmail':
        return { say: emailProblemMessage(result.problem) };
      case 'alreadyRegistered':
        return { say: `That ${this.title.toLowerCase()} is already registered. Use another one, or set up a different method.` };
      case 'cooldown':
        return { say: cooldownMessage(result.retryInSeconds) };
      case 'dailyLimit':
        return { say: DAILY_LIMIT_MESSAGE };
      case 'deliveryFailed':
        return { say: deliveryFailureMessage(result.failure, result.permanent) };
      case 'nothingPending':
        return { back: true };
      case 'notAllowed':
        return { end: { differentMethod: true } satisfies MethodResult, say: `That method is not available for your account.` };
      case 'locked':
        return { end: { locked: true } satisfies MethodResult, say: lockedMessage(result.until, this.deps.clock.now()) };
      case 'stepUpRequired':
        return STEP_UP_FIRST;
    }
  }

  protected async verifyCode(turn: FlowTurn<D>, reply: Reply): Promise<Transition> {
    const code = reply.values.code ?? '';
    if (code.trim() === '') return { say: `Enter the 6-digit code from ${this.codeSource}, then choose Next.` };
    const result: CodeResult = await this.deps.service.verifyCode(this.deps.profile(turn.context), code, this.deps.via(turn.context));
    switch (result.status) {
      case 'verified':
        turn.data.headline = `${this.title === 'Email' ? 'Email' : 'SMS'} verified`;
        return this.onVerified(turn);
      case 'malformed':
        return { say: `A code has 6 digits, like 123456. Enter the code from ${this.codeSource}.` };
      case 'wrong':
        return {
          say: `That code didn't work. Check ${this.codeSource} and try again (${result.attemptsLeft} ${result.attemptsLeft === 1 ? 'try' : 'tries'} left).`,
        };
      case 'attemptsExhausted':
        return { back: true, say: 'Too many wrong codes: that code no longer works. Check the details, then choose Next for a new code.' };
      case 'expired':
        return { say: 'That code has expired. Choose "Resend code" to get a new one.' };
      case 'nothingPending':
      case 'replayed':
        return { back: true, say: 'That code is no longer valid. Choose Next for a new one.' };
      case 'stepUpRequired':
        return STEP_UP_FIRST;
      case 'locked':
        return { end: { locked: true } satisfies MethodResult, say: lockedMessage(result.until, this.deps.clock.now()) };
    }
  }
}
