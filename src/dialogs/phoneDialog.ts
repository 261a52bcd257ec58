import type { TurnContext } from 'botbuilder';
import type { DialogContext } from 'botbuilder-dialogs';
import type { PhoneChannel } from '../verification/phone';
import type { CodeResult, PhoneSendResult } from '../verification/service';
import { lockedMessage, type MethodDialogOptions } from './authenticatorAppDialog';
import { CardFlowDialog, type FlowTurn, type Reply, type Screen, type Transition } from './cardFlowDialog';
import type { DialogDeps } from './deps';
import type { ProgressStep } from './labels';
import type { MethodResult } from './methodResult';
import {
  callEndedMessage,
  cooldownMessage,
  countryLabel,
  DAILY_LIMIT_MESSAGE,
  deliveryFailureMessage,
  phoneProblemMessage,
} from './phoneMessages';

export const PHONE_DIALOG = 'phone';

interface PhoneData {
  progress: readonly ProgressStep[];
  country: string;
  /** What the person typed, to fill the form again after Back. */
  number: string;
  method: PhoneChannel;
  challengeId?: string;
  masked?: string;
  headline?: string;
}

const SCREEN = { phoneNumber: 'phoneNumber', enterCode: 'enterCode', calling: 'calling', registered: 'registered' } as const;
const DIFFERENT_METHOD: Transition = { end: { differentMethod: true } satisfies MethodResult };

/**
 * Adds a phone, as the browser wizard's Phone step: country, number, "Text me
 * a code" or "Call me"; then the code, or the call answered with #.
 */
export class PhoneDialog extends CardFlowDialog<PhoneData, MethodDialogOptions> {
  protected readonly firstScreen = SCREEN.phoneNumber;

  protected readonly screens: Record<string, Screen<PhoneData>> = {
    [SCREEN.phoneNumber]: {
      show: (turn) => ({
        card: 'phoneNumber',
        data: {
          ...this.header(turn),
          country: turn.data.country,
          number: turn.data.number,
          method: turn.data.method,
          countries: this.deps.service.policy.phone.allowedCountries
            .map((value) => ({ value, title: countryLabel(value) }))
            .sort((a, b) => a.title.localeCompare(b.title)),
        },
        textAction: 'send',
        textInput: 'number',
      }),
      on: {
        send: (turn, reply) => this.send(turn, reply),
        differentMethod: () => DIFFERENT_METHOD,
      },
    },
    [SCREEN.enterCode]: {
      show: (turn) => ({ card: 'enterCode', data: { ...this.header(turn), masked: turn.data.masked }, textAction: 'verify' }),
      on: {
        verify: (turn, reply) => this.verifyCode(turn, reply),
        resend: (turn) => this.resend(turn),
        differentMethod: () => DIFFERENT_METHOD,
      },
    },
    [SCREEN.calling]: {
      show: (turn) => ({ card: 'calling', data: { ...this.header(turn), masked: turn.data.masked } }),
      on: {
        resend: (turn) => this.resend(turn),
        switchToSms: (turn) => {
          turn.data.method = 'sms';
          return this.startSending(turn);
        },
        differentMethod: () => DIFFERENT_METHOD,
      },
      onWake: (turn) => this.checkCall(turn),
    },
    [SCREEN.registered]: {
      show: (turn) => ({ card: 'phoneRegistered', data: { ...this.header(turn), masked: turn.data.masked, headline: turn.data.headline } }),
      on: { next: () => ({ end: { registered: true } satisfies MethodResult }) },
    },
  };

  constructor(deps: DialogDeps) {
    super(PHONE_DIALOG, deps);
  }

  protected initialData(_dc: DialogContext, options: MethodDialogOptions | undefined): PhoneData {
    return { progress: options?.progress ?? [], country: this.deps.service.policy.phone.defaultCountry, number: '', method: 'sms' };
  }

  /** Cancelled or switched away: a code or call still out there must not register anything. */
  protected override onLeave(context: TurnContext): void {
    this.deps.service.abandonPhone(this.deps.profile(context));
  }

  private header(turn: FlowTurn<PhoneData>) {
    return { orgName: this.deps.orgName, steps: turn.data.progress };
  }

  private async send(turn: FlowTurn<PhoneData>, reply: Reply): Promise<Transition> {
    const { country, number, method } = reply.values;
    if (country) turn.data.country = country;
    if (number !== undefined) turn.data.number = number;
    if (method === 'sms' || method === 'voice') turn.data.method = method;
    if (!turn.data.number.trim()) return { say: 'Type the phone number you want to use, then choose Next.' };
    return this.startSending(turn);
  }

  private async startSending(turn: FlowTurn<PhoneData>): Promise<Transition> {
    const { country, number, method } = turn.data;
    const result = await this.deps.service.startPhone(this.deps.profile(turn.context), { country, number, channel: method });
    if (result.status === 'sent') {
      turn.data.challengeId = result.challengeId;
      turn.data.masked = result.masked;
      return { go: result.channel === 'sms' ? SCREEN.enterCode : SCREEN.calling };
    }
    return this.explainSend(result);
  }

  private async resend(turn: FlowTurn<PhoneData>): Promise<Transition> {
    const result = await this.deps.service.resendPhone(this.deps.profile(turn.context));
    if (result.status === 'sent') {
      turn.data.challengeId = result.challengeId;
      return { say: result.channel === 'sms' ? `We sent a new code to ${result.masked}.` : `We're calling ${result.masked} again.` };
    }
    if (result.status === 'nothingPending') return { back: true };
    return this.explainSend(result);
  }

  private explainSend(result: Exclude<PhoneSendResult, { status: 'sent' }>): Transition {
    switch (result.status) {
      case 'invalidNumber':
        return { say: phoneProblemMessage(result.problem) };
      case 'alreadyRegistered':
        return { say: 'That phone number is already registered. Use another number, or set up a different method.' };
      case 'cooldown':
        return { say: cooldownMessage(result.retryInSeconds) };
      case 'dailyLimit':
        return { say: DAILY_LIMIT_MESSAGE };
      case 'deliveryFailed':
        return { say: deliveryFailureMessage(result.failure, result.permanent) };
      case 'nothingPending':
        return { back: true };
      case 'locked':
        return { end: { locked: true } satisfies MethodResult, say: lockedMessage(result.until, this.deps.clock.now()) };
    }
  }

  private verifyCode(turn: FlowTurn<PhoneData>, reply: Reply): Transition {
    const code = reply.values.code ?? '';
    if (code.trim() === '') return { say: 'Enter the 6-digit code from the text message, then choose Next.' };
    const result: CodeResult = this.deps.service.verifyPhoneCode(this.deps.profile(turn.context), code);
    switch (result.status) {
      case 'verified':
        turn.data.headline = 'SMS verified';
        return { go: SCREEN.registered };
      case 'malformed':
        return { say: 'A code has 6 digits, like 123456. Enter the code from the text message.' };
      case 'wrong':
        return {
          say: `That code didn't work. Check the text message and try again (${result.attemptsLeft} ${result.attemptsLeft === 1 ? 'try' : 'tries'} left).`,
        };
      case 'attemptsExhausted':
        return { back: true, say: 'Too many wrong codes: that code no longer works. Check your number, then choose Next for a new code.' };
      case 'expired':
        return { say: 'That code has expired. Choose "Resend code" to get a new one.' };
      case 'nothingPending':
      case 'replayed':
        return { back: true, say: 'That code is no longer valid. Choose Next for a new one.' };
      case 'locked':
        return { end: { locked: true } satisfies MethodResult, say: lockedMessage(result.until, this.deps.clock.now()) };
    }
  }

  private checkCall(turn: FlowTurn<PhoneData>): Transition {
    if (!turn.data.challengeId) return { wait: true };
    const status = this.deps.service.phoneStatus(this.deps.profile(turn.context), turn.data.challengeId);
    switch (status.status) {
      case 'verified':
        turn.data.headline = 'Call answered';
        return { go: SCREEN.registered };
      case 'callEnded':
        return { say: callEndedMessage(status.outcome) };
      case 'waiting':
      case 'gone':
        return { wait: true };
    }
  }
}
