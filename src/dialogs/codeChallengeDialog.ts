import type { TurnContext } from 'botbuilder';
import { verbatim } from '../presentation/cards';
import type { ProgressStep } from '../presentation/labels';
import {
  cooldownMessage,
  dailyLimitMessage,
  deliveryFailureMessage,
  emailProblemMessage,
  phoneProblemMessage,
} from '../presentation/phoneMessages';
import type { CodeResult, SendResult } from '../verification/service';
import { lockedMessage } from './authenticatorAppDialog';
import { CardFlowDialog, type FlowTurn, type Reply, type Screen, type Transition } from './cardFlowDialog';
import { stepUpFirst } from './deps';
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
  /**
   * Where this dialog's words are in the catalogs ("challenge.phone"): its
   * `title` (the card's heading), `inSentence` ("your phone"), `codeSource`
   * (where the code went: "the text message") and `verified` (the headline).
   */
  protected abstract readonly texts: string;

  /** One of this dialog's words (see `texts`). */
  protected word(turn: FlowTurn<D>, which: 'title' | 'inSentence' | 'codeSource' | 'verified'): string {
    return turn.t(`${this.texts}.${which}`);
  }

  protected readonly codeScreens: Record<'enterCode' | 'registered', Screen<D>> = {
    enterCode: {
      show: (turn) => ({
        card: 'enterCode',
        data: { ...this.header(turn), title: this.word(turn, 'title'), masked: verbatim(turn.data.masked) },
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
          title: this.word(turn, 'title'),
          headline: turn.data.headline,
          message: verbatim(turn.t('challenge.registered', { method: this.word(turn, 'inSentence'), masked: turn.data.masked ?? '' })),
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
    if (result.status !== 'sent') return this.explainSend(turn, result);
    turn.data.challengeId = result.challengeId;
    turn.data.masked = result.masked;
    turn.data.matchNumber = result.matchNumber;
    return { go: screen };
  }

  protected async resend(turn: FlowTurn<D>): Promise<Transition> {
    const result = await this.deps.service.resendCode(this.deps.profile(turn.context));
    if (result.status !== 'sent') return this.explainSend(turn, result);
    turn.data.challengeId = result.challengeId;
    turn.data.matchNumber = result.matchNumber;
    // A new call asks for a new number: the card shows it.
    if (result.channel === 'voice') return { again: true, say: turn.t('challenge.callingAgain', { masked: result.masked }) };
    return { say: turn.t('challenge.sentAgain', { masked: result.masked }) };
  }

  protected explainSend(turn: FlowTurn<D>, result: Exclude<SendResult, { status: 'sent' }>): Transition {
    const language = turn.language;
    switch (result.status) {
      case 'invalidNumber':
        return { say: phoneProblemMessage(result.problem, language) };
      case 'invalidEmail':
        return { say: emailProblemMessage(result.problem, language) };
      case 'alreadyRegistered':
        return { say: turn.t('challenge.alreadyRegistered', { method: this.word(turn, 'inSentence') }) };
      case 'cooldown':
        return { say: cooldownMessage(result.retryInSeconds, language) };
      case 'dailyLimit':
        return { say: dailyLimitMessage(language) };
      case 'deliveryFailed':
        return { say: deliveryFailureMessage(result.failure, result.permanent, language) };
      case 'nothingPending':
        return { back: true };
      case 'notAllowed':
        return { end: { differentMethod: true } satisfies MethodResult, say: turn.t('challenge.notAllowed') };
      case 'locked':
        return { end: { locked: true } satisfies MethodResult, say: lockedMessage(language, result.until, this.deps.clock.now()) };
      case 'stepUpRequired':
        return stepUpFirst(language);
    }
  }

  protected async verifyCode(turn: FlowTurn<D>, reply: Reply): Promise<Transition> {
    const code = reply.values.code ?? '';
    const source = this.word(turn, 'codeSource');
    if (code.trim() === '') return { say: turn.t('challenge.enterCode', { source }) };
    const result: CodeResult = await this.deps.service.verifyCode(this.deps.profile(turn.context), code, this.deps.via(turn.context));
    switch (result.status) {
      case 'verified':
        turn.data.headline = this.word(turn, 'verified');
        return this.onVerified(turn);
      case 'malformed':
        return { say: turn.t('challenge.malformed', { source }) };
      case 'wrong':
        return { say: turn.t('challenge.wrong', { source, count: result.attemptsLeft }) };
      case 'attemptsExhausted':
        return { back: true, say: turn.t('challenge.attemptsExhausted') };
      case 'expired':
        return { say: turn.t('challenge.expired') };
      case 'nothingPending':
      case 'replayed':
        return { back: true, say: turn.t('challenge.noLongerValid') };
      case 'stepUpRequired':
        return stepUpFirst(turn.language);
      case 'locked':
        return { end: { locked: true } satisfies MethodResult, say: lockedMessage(turn.language, result.until, this.deps.clock.now()) };
    }
  }
}
